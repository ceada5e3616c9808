// What the tokens section's pages share, built once by token-admin.ts for token-list.ts and
// token-pages.ts, and how a token is named in them: by its owner, never by its key.
import type { FastifyRequest } from 'fastify';
import type { Transaction } from 'kysely';
import type { TokenService } from '../authtoken/token-service.js';
import type { KeygateDatabase } from '../db/keygate-database.js';
import type { Database } from '../db/schema.js';
import type { User } from '../users/user.js';
import type { UserService } from '../users/user-service.js';
import type { Crumb } from './admin-page.js';
import type { SectionUrls } from './admin-section.js';
import type { Deleter } from './deletion.js';
import type { TokenAdminQueries, TokenWithOwner } from './token-admin-queries.js';

/** How a token is named in the admin log and page titles: by its owner, never by its key. */
export function tokenRepr(username: string): string {
  return `Token for ${username}`;
}

/** A token in lists and confirmations: its owner and the safe hint. */
export function tokenLabel(username: string, hint: string): string {
  return `${tokenRepr(username)} (${hint}…)`;
}

/** What the tokens section's pages share. */
export interface TokenPagesDeps {
  readonly database: KeygateDatabase;
  readonly users: UserService;
  readonly tokens: TokenService;
  readonly queries: TokenAdminQueries;
  readonly urls: SectionUrls & {
    /** A token's regenerate page. */
    readonly regenerate: (id: number) => string;
    /** The add form's user picker. */
    readonly userSearch: string;
    /** A token owner's page in the users section. */
    readonly owner: (userId: number) => string;
  };
  readonly crumbs: readonly Crumb[];
  /** Records a change to the token `id` of `username` in the admin log, inside `trx`. */
  readonly record: (
    trx: Transaction<Database>,
    actor: User,
    token: { readonly id: number; readonly username: string },
    action: 'added' | 'changed',
    message?: string,
  ) => Promise<void>;
  /** The token the URL names, if the admin may manage it; 404 or 403 otherwise. */
  readonly tokenOf: (request: FastifyRequest) => Promise<TokenWithOwner>;
  /** The tokens' deleter (it checks the actor itself). */
  readonly deleter: Deleter;
}
