// The addresses each user has logged in from, remembered as digests: they keep their own login budget.
import type { Kysely } from 'kysely';
import type { DialectMigration } from './column-types.js';

/**
 * Creates `login_known_addresses`: one row per (username, client address) pair that has logged in,
 * named only by a keyed digest of the pair (the table says neither who nor where), and the
 * moment (epoch milliseconds) it is forgotten. Plain portable SQL: a primary key and a bigint.
 */
export const loginKnownAddresses: DialectMigration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('login_known_addresses')
      .addColumn('digest', 'varchar(64)', (c) => c.notNull().primaryKey())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .execute();
    // Pruning deletes by expiry; without the index it would scan the whole table.
    await db.schema
      .createIndex('login_known_addresses_expires_at')
      .on('login_known_addresses')
      .column('expires_at')
      .execute();
  },

  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('login_known_addresses').execute();
  },
};
