// Deleting tokens from the admin, and the rule every token page applies first: a superuser's
// tokens are for superusers only (their key acts as a superuser on the API).
import type { Kysely } from 'kysely';
import type { TokenService } from '../authtoken/token-service.js';
import type { Database } from '../db/schema.js';
import { PermissionDenied } from '../errors.js';
import type { User } from '../users/user.js';
import type { AdminLog } from './admin-log.js';
import type { Deleter } from './deletion.js';
import type { TokenAdminQueries } from './token-admin-queries.js';
import { mayManage } from './user-deletion.js';

/** The refusal of a superuser's token to a staff user who is not a superuser. */
export const SUPERUSER_TOKENS_ONLY = 'Only a superuser can see or change a superuser’s tokens.';

/**
 * Refuses (403) a superuser's tokens to a staff user who is not one: whoever can read such a key,
 * replace it or add one for its owner acts as a superuser on the API. The users section's rule (a
 * superuser's account is for superusers to manage), applied to what the account owns.
 */
export function checkTokenOwners(
  actor: User,
  owners: readonly { readonly ownerIsSuperuser: boolean }[],
): void {
  if (!owners.every((o) => mayManage(actor, { isSuperuser: o.ownerIsSuperuser }))) {
    throw new PermissionDenied(SUPERUSER_TOKENS_ONLY);
  }
}

/** What the tokens' deleter needs. */
export interface TokenDeleterDeps {
  readonly db: Kysely<Database>;
  readonly queries: TokenAdminQueries;
  readonly tokens: TokenService;
  readonly log: AdminLog;
  readonly listPath: string;
  readonly changeUrl: (id: number) => string;
  /** A token in lists and confirmations (owner and hint) and in the log (owner only). */
  readonly label: (username: string, hint: string) => string;
  readonly repr: (username: string) => string;
}

/**
 * The tokens' deleter: it refuses (403) to even confirm the deletion of a superuser's token to a
 * non-superuser, and checks again, on fresh rows, before deleting everything in one transaction.
 */
export function createTokenDeleter(deps: TokenDeleterDeps): Deleter {
  const { db, queries, tokens, log } = deps;
  return {
    noun: 'token',
    plural: 'tokens',
    listPath: deps.listPath,
    async load(ids, actor) {
      const found = await queries.findWithOwners(ids);
      checkTokenOwners(actor, found);
      return found.map(({ token, username }) => ({
        id: token.id,
        label: deps.label(username, token.hint),
        href: deps.changeUrl(token.id),
        related: [],
      }));
    },
    async deleteAll(actor, doomed) {
      const owners = new Map(
        (await queries.findWithOwners(doomed.map((d) => d.id))).map((f) => [f.token.id, f]),
      );
      // An owner may have become a superuser since the confirmation page.
      checkTokenOwners(actor, [...owners.values()]);
      return db.transaction().execute(async (trx) => {
        const deleted = await tokens.deleteMany([...owners.keys()], { trx });
        for (const token of deleted) {
          await log.record(trx, {
            actor,
            contentType: 'token',
            objectId: token.id,
            objectRepr: deps.repr(owners.get(token.id)!.username),
            action: 'deleted',
          });
        }
        return deleted.length;
      });
    },
  };
}
