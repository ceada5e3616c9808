// What the users section's pages share, built once by user-admin.ts for user-list.ts and user-pages.ts.
import type { FastifyRequest } from 'fastify';
import type { Transaction } from 'kysely';
import type { KeygateDatabase } from '../db/keygate-database.js';
import type { Database } from '../db/schema.js';
import type { User } from '../users/user.js';
import type { UserService } from '../users/user-service.js';
import type { Crumb } from './admin-page.js';
import type { SectionUrls } from './admin-section.js';
import type { Deleter } from './deletion.js';

/** What the users section's pages share. */
export interface UserPagesDeps {
  readonly users: UserService;
  readonly database: KeygateDatabase;
  readonly urls: SectionUrls & { readonly password: (id: number) => string };
  readonly crumbs: readonly Crumb[];
  /** Records a change to `user` in the admin log, inside `trx`. */
  readonly record: (
    trx: Transaction<Database>,
    actor: User,
    user: User,
    action: 'added' | 'changed' | 'deleted',
    message?: string,
  ) => Promise<void>;
  /** The user the URL names, if the admin may manage them; 404 or 403 otherwise. */
  readonly targetOf: (request: FastifyRequest) => Promise<User>;
  /** The deleter acting for `actor`. */
  readonly deleterFor: (actor: User) => Deleter;
}
