// Deleting users from the admin: who may delete whom, and the confirmation's list of each user's
// tokens, named by their hint (a key is never shown in the users section).
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { PermissionDenied } from '../errors.js';
import { toUser, USER_COLUMNS, type User } from '../users/user.js';
import type { UserService } from '../users/user-service.js';
import type { Deleter } from './deletion.js';

/** The refusal of a self-deletion. */
export const SELF_DELETE = 'You cannot delete your own account.';
/** The refusal of anything done to a superuser by a staff user who is not one. */
export const SUPERUSER_ONLY = 'Only a superuser can change or delete a superuser’s account.';

/** Django's rule: a staff user who is not a superuser cannot touch a superuser's account. */
export function mayManage(actor: User, target: { readonly isSuperuser: boolean }): boolean {
  return actor.isSuperuser || !target.isSuperuser;
}

/** Refuses what `actor` may not delete: their own account, or a superuser's for a non-superuser. */
function checkDeletable(actor: User, targets: readonly { id: number; isSuperuser: boolean }[]): void {
  if (targets.some((t) => t.id === actor.id)) throw new PermissionDenied(SELF_DELETE);
  if (!targets.every((t) => mayManage(actor, t))) throw new PermissionDenied(SUPERUSER_ONLY);
}

/** What the users' deleter needs. */
export interface UserDeleterDeps {
  readonly db: Kysely<Database>;
  readonly users: UserService;
  readonly listPath: string;
  readonly changeUrl: (id: number) => string;
  /** Records a deletion in the admin log, inside the deletion's transaction. */
  readonly recordDeletion: (trx: Transaction<Database>, actor: User, user: User) => Promise<void>;
}

/**
 * The deleter for `actor`: it refuses (403) to even confirm what they may not delete, and checks
 * again, on fresh rows, before deleting everything in one transaction.
 */
export function createUserDeleter(deps: UserDeleterDeps): (actor: User) => Deleter {
  const { db, users } = deps;
  return (actor) => ({
    noun: 'user',
    plural: 'users',
    listPath: deps.listPath,
    async load(ids) {
      if (ids.length === 0) return [];
      const rows = await db
        .selectFrom('users')
        .select(['id', 'username', 'is_superuser'])
        .where('id', 'in', ids)
        .orderBy('username')
        .execute();
      if (rows.length === 0) return [];
      const found = rows.map((row) => ({ id: Number(row.id), isSuperuser: Boolean(row.is_superuser) }));
      checkDeletable(actor, found);
      // One query for every listed user's tokens: only the hint is read, never the key.
      const tokens = await db
        .selectFrom('tokens')
        .select(['user_id', 'hint'])
        .where(
          'user_id',
          'in',
          found.map((u) => u.id),
        )
        .orderBy('id')
        .execute();
      const related = new Map<number, string[]>();
      for (const token of tokens) {
        const userId = Number(token.user_id);
        related.set(userId, [...(related.get(userId) ?? []), `Token: ${token.hint}…`]);
      }
      return rows.map((row) => ({
        id: Number(row.id),
        label: row.username,
        href: deps.changeUrl(Number(row.id)),
        related: related.get(Number(row.id)) ?? [],
      }));
    },
    async deleteAll(by, doomed) {
      if (doomed.length === 0) return 0;
      const rows = await db
        .selectFrom('users')
        .select(USER_COLUMNS)
        .where(
          'id',
          'in',
          doomed.map((d) => d.id),
        )
        .execute();
      const targets = rows.map(toUser);
      checkDeletable(by, targets);
      return db.transaction().execute(async (trx) => {
        const deleted = await users.deleteUsers(targets, { trx });
        for (const user of deleted) await deps.recordDeletion(trx, by, user);
        return deleted.length;
      });
    },
  });
}
