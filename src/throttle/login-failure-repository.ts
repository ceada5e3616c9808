// SQL for the brute-force counters (`login_failures`) and the known addresses (`login_known_addresses`);
// every change is one statement, atomic in the database, so every process agrees.
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
     * Counts one attempt for `scope` in a single statement: inserts the row, or adds one to it, or
     * starts a new window at `now` when the stored one began at or before `expiredAt`, and returns
     * the row as that statement left it. The database serialises concurrent upserts of one row, so
     * no increment is lost and each sees its own count, between processes too.
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

    /** Takes back one increment in a single statement, only within the window it was counted in. */
    async release(scope: string, windowStarted: number): Promise<void> {
      await db
        .updateTable('login_failures')
        .set((eb) => ({ failures: eb('failures', '-', eb.lit(1)) }))
        .where('scope', '=', scope)
        .where('window_started', '=', windowStarted)
        .where('failures', '>', 0)
        .execute();
    },

    /** Forgets the counter of one scope. */
    async clear(scope: string): Promise<void> {
      await db.deleteFrom('login_failures').where('scope', '=', scope).execute();
    },

    /** Until when the known address `digest` is remembered (expired rows included); null when it is not. */
    async knownUntil(digest: string): Promise<number | null> {
      const row = await db
        .selectFrom('login_known_addresses')
        .select('expires_at')
        .where('digest', '=', digest)
        .executeTakeFirst();
      return row === undefined ? null : Number(row.expires_at);
    },

    /** Remembers the known address `digest` until `until` (unless already remembered longer), in one upsert. */
    async remember(digest: string, until: number): Promise<void> {
      await db
        .insertInto('login_known_addresses')
        .values({ digest, expires_at: until })
        .onConflict((conflict) =>
          conflict.column('digest').doUpdateSet((eb) => ({
            // Two logins at once: the later date wins, whichever statement runs last.
            expires_at: eb
              .case()
              .when('excluded.expires_at', '>', eb.ref('login_known_addresses.expires_at'))
              .then(eb.ref('excluded.expires_at'))
              .else(eb.ref('login_known_addresses.expires_at'))
              .end(),
          })),
        )
        .execute();
    },

    /** Deletes expired counters and known addresses; returns how many. */
    async prune(expiredAt: number, now: number): Promise<number> {
      const counters = await db
        .deleteFrom('login_failures')
        .where('window_started', '<=', expiredAt)
        .executeTakeFirst();
      const addresses = await db
        .deleteFrom('login_known_addresses')
        .where('expires_at', '<=', now)
        .executeTakeFirst();
      return Number(counters.numDeletedRows) + Number(addresses.numDeletedRows);
    },

    /** Nothing to release: the pool belongs to the Keygate's database. */
    async close(): Promise<void> {},
  } satisfies LoginFailureStore;
}

/** The login failure repository's interface. */
export type LoginFailureRepository = ReturnType<typeof createLoginFailureRepository>;
