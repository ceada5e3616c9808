// Browser sessions (Django's django_session), keyed by the digest of the key the cookie holds.
import type { Kysely } from 'kysely';
import type { Dialect } from '../keygate-database.js';
import { timestampType, type DialectMigration } from './column-types.js';

/**
 * Creates `sessions`: `id` is the SHA-256 hex digest of the random session key (the cookie holds
 * the key, so a leaked table logs nobody in), the user it belongs to (deleted with the user), JSON
 * data, and when it expires. Indexes serve the per-user logout-everywhere and the expiry prune.
 */
export const sessions: DialectMigration = {
  async up(db: Kysely<unknown>, dialect: Dialect) {
    const ts = timestampType(dialect);
    await db.schema
      .createTable('sessions')
      .addColumn('id', 'char(64)', (c) => c.notNull().primaryKey())
      .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('data', 'text', (c) => c.notNull().defaultTo('{}'))
      .addColumn('expires_at', ts, (c) => c.notNull())
      .addColumn('created', ts, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('sessions_user_id').on('sessions').column('user_id').execute();
    await db.schema.createIndex('sessions_expires_at').on('sessions').column('expires_at').execute();
  },

  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('sessions').execute();
  },
};
