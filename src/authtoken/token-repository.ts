// SQL for tokens, including the one prepared statement every authenticated request runs.
import type { KeygateDatabase } from '../db/keygate-database.js';
import type { NewTokenRow } from '../db/schema.js';
import type { Executor } from '../users/user-repository.js';
import { JOINED_USER_COLUMNS, toUser, type User } from '../users/user.js';
import { JOINED_TOKEN_COLUMNS, TOKEN_COLUMNS, toToken, type Token } from './token.js';

/** A token with its owner, as authentication needs them. */
export interface TokenWithUser {
  /** The token. */
  readonly token: Token;
  /** Its owner. */
  readonly user: User;
}

/** Creates the token repository over an open database. */
export function createTokenRepository(database: KeygateDatabase) {
  const db = database.db;

  // Built once with Kysely (so it is correct SQL for either dialect), prepared once, run per request.
  const authLookup = database.prepare(
    'keygate_token_auth',
    db
      .selectFrom('tokens as t')
      .innerJoin('users as u', 'u.id', 't.user_id')
      .select([...JOINED_TOKEN_COLUMNS, ...JOINED_USER_COLUMNS])
      .where('t.digest', '=', '')
      .compile(),
  );

  return {
    /** The token whose key has this digest, with its user: one query, prepared once. */
    async findByDigest(digest: string): Promise<TokenWithUser | undefined> {
      const row = await authLookup.first([digest]);
      if (row === undefined) return undefined;
      return {
        token: toToken(row),
        user: toUser({ ...row, id: row.user_id }),
      };
    },

    async insert(row: NewTokenRow, executor: Executor = db): Promise<Token> {
      return toToken(
        await executor.insertInto('tokens').values(row).returning(TOKEN_COLUMNS).executeTakeFirstOrThrow(),
      );
    },

    /** The DRF-policy token of a user (the one with a stored key), if any. */
    async findStoredKeyToken(userId: number, executor: Executor = db): Promise<Token | undefined> {
      const row = await executor
        .selectFrom('tokens')
        .select(TOKEN_COLUMNS)
        .where('user_id', '=', userId)
        .where('key', 'is not', null)
        .executeTakeFirst();
      return row && toToken(row);
    },

    async findById(id: number, executor: Executor = db): Promise<Token | undefined> {
      const row = await executor
        .selectFrom('tokens')
        .select(TOKEN_COLUMNS)
        .where('id', '=', id)
        .executeTakeFirst();
      return row && toToken(row);
    },

    async listForUser(userId: number, executor: Executor = db): Promise<Token[]> {
      const rows = await executor
        .selectFrom('tokens')
        .select(TOKEN_COLUMNS)
        .where('user_id', '=', userId)
        .orderBy('id')
        .execute();
      return rows.map(toToken);
    },

    async deleteById(id: number, executor: Executor = db): Promise<Token | undefined> {
      const row = await executor
        .deleteFrom('tokens')
        .where('id', '=', id)
        .returning(TOKEN_COLUMNS)
        .executeTakeFirst();
      return row && toToken(row);
    },

    async deleteForUser(userId: number, executor: Executor = db): Promise<Token[]> {
      const rows = await executor
        .deleteFrom('tokens')
        .where('user_id', '=', userId)
        .returning(TOKEN_COLUMNS)
        .execute();
      return rows.map(toToken);
    },

    /** Ids of users that have no token at all (DRF's documented backfill). */
    async userIdsWithoutToken(executor: Executor = db): Promise<number[]> {
      const rows = await executor
        .selectFrom('users')
        .select('users.id')
        .where((eb) =>
          eb.not(
            eb.exists(
              eb.selectFrom('tokens').select('tokens.id').whereRef('tokens.user_id', '=', 'users.id'),
            ),
          ),
        )
        .orderBy('users.id')
        .execute();
      return rows.map((r) => Number(r.id));
    },

    /** Sets last_used_at unless it was set after `notAfter` (so it is written at most once a minute). */
    async touchLastUsed(id: number, now: string, notAfter: string): Promise<void> {
      await db
        .updateTable('tokens')
        .set({ last_used_at: now })
        .where('id', '=', id)
        .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', notAfter)]))
        .execute();
    },
  };
}

/** The token repository's interface. */
export type TokenRepository = ReturnType<typeof createTokenRepository>;
