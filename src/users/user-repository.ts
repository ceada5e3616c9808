// SQL for users. Knows nothing of HTTP; every method runs on the executor it is given.
import type { Kysely } from 'kysely';
import type { Database, NewUserRow, UserUpdate } from '../db/schema.js';
import { toUser, USER_COLUMNS, type User } from './user.js';

/** A Kysely instance or an open transaction. */
export type Executor = Kysely<Database>;

/** A user with the stored password hash, for checking credentials only. */
export interface UserWithPassword {
  readonly user: User;
  readonly passwordHash: string;
}

/** Creates the user repository over `db`. */
export function createUserRepository(db: Executor) {
  return {
    async insert(row: NewUserRow, executor: Executor = db): Promise<User> {
      const inserted = await executor
        .insertInto('users')
        .values(row)
        .returning(USER_COLUMNS)
        .executeTakeFirstOrThrow();
      return toUser(inserted);
    },

    async findById(id: number, executor: Executor = db): Promise<User | undefined> {
      const row = await executor
        .selectFrom('users')
        .select(USER_COLUMNS)
        .where('id', '=', id)
        .executeTakeFirst();
      return row && toUser(row);
    },

    /** Exact, case-sensitive match, as Django's default backend. */
    async findByUsername(username: string, executor: Executor = db): Promise<User | undefined> {
      const row = await executor
        .selectFrom('users')
        .select(USER_COLUMNS)
        .where('username', '=', username)
        .executeTakeFirst();
      return row && toUser(row);
    },

    async findWithPassword(username: string, executor: Executor = db): Promise<UserWithPassword | undefined> {
      const row = await executor
        .selectFrom('users')
        .select([...USER_COLUMNS, 'password'])
        .where('username', '=', username)
        .executeTakeFirst();
      return row && { user: toUser(row), passwordHash: row.password };
    },

    async update(id: number, changes: UserUpdate, executor: Executor = db): Promise<User | undefined> {
      const row = await executor
        .updateTable('users')
        .set(changes)
        .where('id', '=', id)
        .returning(USER_COLUMNS)
        .executeTakeFirst();
      return row && toUser(row);
    },

    /** Replaces the hash only if it is still `expected` (a concurrent password change wins). */
    async replacePasswordHash(
      id: number,
      expected: string,
      replacement: string,
      executor: Executor = db,
    ): Promise<void> {
      await executor
        .updateTable('users')
        .set({ password: replacement })
        .where('id', '=', id)
        .where('password', '=', expected)
        .execute();
    },

    async delete(id: number, executor: Executor = db): Promise<boolean> {
      const result = await executor.deleteFrom('users').where('id', '=', id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },

    async count(executor: Executor = db): Promise<number> {
      const row = await executor
        .selectFrom('users')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
  };
}

/** The user repository's interface. */
export type UserRepository = ReturnType<typeof createUserRepository>;
