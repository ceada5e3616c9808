// An index for the admin's username prefix search that is right under any PostgreSQL collation.
import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../keygate-database.js';
import type { DialectMigration } from './column-types.js';

/**
 * PostgreSQL: an index on `username COLLATE "C"` (byte order), which the admin's "add token" user
 * search ranges over. The unique index on `username` follows the database's collation; under a
 * language collation such as en_US a `>=`/`<` range on it is not a prefix match. SQLite compares
 * with BINARY already and needs nothing.
 */
export const usernamePrefixIndex: DialectMigration = {
  async up(db: Kysely<unknown>, dialect: Dialect) {
    if (dialect !== 'postgres') return;
    await sql`CREATE INDEX users_username_c ON users (username COLLATE "C")`.execute(db);
  },

  async down(db: Kysely<unknown>, dialect: Dialect) {
    if (dialect !== 'postgres') return;
    await sql`DROP INDEX IF EXISTS users_username_c`.execute(db);
  },
};
