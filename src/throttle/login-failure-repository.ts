// SQL for the brute-force counters in `login_failures`; atomic in the database, so every process agrees.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { FailureCount, LoginFailureStore, StoredFailureCount } from './login-failure-store.js';

export type { FailureCount } from './login-failure-store.js';

/** Creates the login failure repository over `db`: the database's LoginFailureStore. */
export function createLoginFailureRepository(db: Kysely<Database>) {
  return {
    /** The stored counters for these scopes (expired ones included; the caller judges the window). */
    async read(scopes: readonly string[]): Promise<StoredFailureCount[]> {
      if (scopes.length === 0) return [];
      const rows = await db
        .selectFrom('login_failures')
        .select(['scope', 'failures', 'window_started'])
        .where('scope', 'in', scopes)
        .execute();
      return rows.map((row) => ({
        scope: row.scope,
        failures: Number(row.failures),
        windowStarted: Number(row.window_started),
      }));
    },

    /**
     * Counts one failure for `scope` in a single statement: inserts the row, or adds one to it, or
     * starts a new window at `now` when the stored one began at or before `expiredAt`. The database
     * serialises concurrent upserts of one row, so no increment is ever lost between processes.
     */
    async increment(scope: string, now: number, expiredAt: number): Promise<FailureCount> {
      const row = await db
        .insertInto('login_failures')
        .values({ scope, failures: 1, window_started: now })
        .onConflict((conflict) =>
          conflict.column('scope').doUpdateSet((eb) => {
            const expired = eb('login_failures.window_started', '<=', expiredAt);
            return {
              failures: eb
                .case()
                .when(expired)
                .then(eb.lit(1))
                .else(eb('login_failures.failures', '+', eb.lit(1)))
                .end(),
              window_started: eb
                .case()
                .when(expired)
                .then(eb.ref('excluded.window_started'))
                .else(eb.ref('login_failures.window_started'))
                .end(),
            };
          }),
        )
        .returning(['failures', 'window_started'])
        .executeTakeFirstOrThrow();
      return { failures: Number(row.failures), windowStarted: Number(row.window_started) };
    },

    /** Forgets the counter of one scope. */
    async clear(scope: string): Promise<void> {
      await db.deleteFrom('login_failures').where('scope', '=', scope).execute();
    },

    /** Deletes every counter whose window began at or before `expiredAt`; returns how many. */
    async prune(expiredAt: number): Promise<number> {
      const result = await db
        .deleteFrom('login_failures')
        .where('window_started', '<=', expiredAt)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },

    /** Nothing to release: the pool belongs to the Keygate's database. */
    async close(): Promise<void> {},
  } satisfies LoginFailureStore;
}

/** The login failure repository's interface. */
export type LoginFailureRepository = ReturnType<typeof createLoginFailureRepository>;
