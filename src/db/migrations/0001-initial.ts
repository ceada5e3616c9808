// Users (Django's auth_user), tokens (both policies in one table) and the seed's products.
import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../keygate-database.js';
import { primaryKey, timestampType, type DialectMigration } from './column-types.js';

/** Creates the three tables and an index for every lookup the API does. */
export const initial: DialectMigration = {
  async up(db: Kysely<unknown>, dialect: Dialect) {
    const ts = timestampType(dialect);
    await db.schema
      .createTable('users')
      .addColumn('id', 'integer', primaryKey(dialect))
      .addColumn('username', 'varchar(150)', (c) => c.notNull().unique())
      .addColumn('email', 'varchar(254)', (c) => c.notNull().defaultTo(''))
      .addColumn('password', 'varchar(255)', (c) => c.notNull())
      .addColumn('first_name', 'varchar(150)', (c) => c.notNull().defaultTo(''))
      .addColumn('last_name', 'varchar(150)', (c) => c.notNull().defaultTo(''))
      .addColumn('is_active', 'boolean', (c) => c.notNull().defaultTo(true))
      .addColumn('is_staff', 'boolean', (c) => c.notNull().defaultTo(false))
      .addColumn('is_superuser', 'boolean', (c) => c.notNull().defaultTo(false))
      .addColumn('date_joined', ts, (c) => c.notNull())
      .addColumn('last_login', ts)
      .execute();

    await db.schema
      .createTable('tokens')
      .addColumn('id', 'integer', primaryKey(dialect))
      .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('digest', 'char(64)', (c) => c.notNull())
      .addColumn('key', 'varchar(128)')
      .addColumn('hint', 'varchar(16)', (c) => c.notNull())
      .addColumn('name', 'varchar(100)', (c) => c.notNull().defaultTo(''))
      .addColumn('created', ts, (c) => c.notNull())
      .addColumn('expires_at', ts)
      .addColumn('last_used_at', ts)
      .addColumn('scopes', 'varchar(500)', (c) => c.notNull().defaultTo(''))
      .execute();
    // The authentication lookup: one unique index, the only column ever searched by key material.
    await db.schema.createIndex('tokens_digest_key').on('tokens').column('digest').unique().execute();
    await db.schema.createIndex('tokens_user_id').on('tokens').column('user_id').execute();
    // DRF policy: one stored key per user, enforced by the database so get-or-create races are safe.
    await db.schema
      .createIndex('tokens_one_drf_key_per_user')
      .on('tokens')
      .column('user_id')
      .unique()
      .where(sql.ref('key'), 'is not', null)
      .execute();

    await db.schema
      .createTable('products')
      .addColumn('id', 'integer', primaryKey(dialect))
      .addColumn('name', 'varchar(100)', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull())
      .addColumn('price_cents', 'bigint', (c) => c.notNull())
      .addColumn('stock', 'integer', (c) => c.notNull())
      .addColumn('created', ts, (c) => c.notNull())
      .addColumn('updated', ts, (c) => c.notNull())
      .execute();
  },

  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('products').execute();
    await db.schema.dropTable('tokens').execute();
    await db.schema.dropTable('users').execute();
  },
};
