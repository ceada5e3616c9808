// Brute-force counters for password logins, shared by every process through the database.
import type { Kysely } from 'kysely';
import type { DialectMigration } from './column-types.js';

/**
 * Creates `login_failures`: one row per counted scope (`user:<username>`, `addr:<ip>`), its failures
 * in the current window and when that window started (epoch milliseconds). Plain portable SQL —
 * a primary key and a bigint — so it suits CockroachDB and YugabyteDB as well as PostgreSQL.
 */
export const loginFailures: DialectMigration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('login_failures')
      .addColumn('scope', 'varchar(300)', (c) => c.notNull().primaryKey())
      .addColumn('failures', 'integer', (c) => c.notNull())
      .addColumn('window_started', 'bigint', (c) => c.notNull())
      .execute();
    // Pruning deletes by window start; without the index it would scan the whole table.
    await db.schema
      .createIndex('login_failures_window_started')
      .on('login_failures')
      .column('window_started')
      .execute();
  },

  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('login_failures').execute();
  },
};
