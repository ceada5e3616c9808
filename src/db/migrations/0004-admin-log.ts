// The admin site's record of changes (Django's django_admin_log): who changed what, and when.
import type { Kysely } from 'kysely';
import type { Dialect } from '../keygate-database.js';
import { primaryKey, timestampType, type DialectMigration } from './column-types.js';

/**
 * Creates `admin_log`: one row per change made through the admin, written in the transaction of
 * the change itself. `object_repr` keeps what the object was called then, so an entry still reads
 * well after the object is gone. Entries go with the user who made them, as in Django.
 */
export const adminLog: DialectMigration = {
  async up(db: Kysely<unknown>, dialect: Dialect) {
    await db.schema
      .createTable('admin_log')
      .addColumn('id', 'integer', primaryKey(dialect))
      .addColumn('action_time', timestampType(dialect), (c) => c.notNull())
      .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('content_type', 'varchar(20)', (c) => c.notNull())
      .addColumn('object_id', 'varchar(40)', (c) => c.notNull())
      .addColumn('object_repr', 'varchar(200)', (c) => c.notNull())
      .addColumn('action_flag', 'smallint', (c) => c.notNull())
      .addColumn('change_message', 'text', (c) => c.notNull().defaultTo(''))
      .execute();
    await db.schema.createIndex('admin_log_action_time').on('admin_log').column('action_time').execute();
    await db.schema.createIndex('admin_log_user_id').on('admin_log').column('user_id').execute();
  },

  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('admin_log').execute();
  },
};
