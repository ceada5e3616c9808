// The exact number of products in a one-row table, kept by triggers, so a list page never counts.
import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../keygate-database.js';
import type { DialectMigration } from './column-types.js';

/**
 * Creates `product_count` (one row, `id` = 1) and the triggers that keep `n` equal to the number of
 * rows in `products` whoever writes them (the API, the admin site, a SQL console): DRF's
 * LimitOffsetPagination `count` stays exact while a page no longer scans the table (at a million
 * products `count(*)` took most of a second per page).
 *
 * SQLite: row triggers in the writing transaction (SQLite disables its truncate optimisation when a
 * table has a delete trigger, so `DELETE FROM products` fires them too). PostgreSQL: statement
 * triggers with transition tables, one counter update per statement however many rows it touches,
 * plus one for TRUNCATE. The counter row is locked by each writing transaction until it commits,
 * which serialises concurrent product inserts and deletes (not updates, which leave `n` alone).
 *
 * The triggers are created before the current count is taken: on PostgreSQL creating them locks
 * `products` against writes until this migration commits, so no row is missed or counted twice.
 */
export const productCount: DialectMigration = {
  async up(db: Kysely<unknown>, dialect: Dialect) {
    await db.schema
      .createTable('product_count')
      .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
      .addColumn('n', 'bigint', (c) => c.notNull())
      .execute();
    if (dialect === 'sqlite') {
      await sql`CREATE TRIGGER product_count_insert AFTER INSERT ON products
        BEGIN UPDATE product_count SET n = n + 1 WHERE id = 1; END`.execute(db);
      await sql`CREATE TRIGGER product_count_delete AFTER DELETE ON products
        BEGIN UPDATE product_count SET n = n - 1 WHERE id = 1; END`.execute(db);
    } else {
      await sql`CREATE FUNCTION product_count_add() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          UPDATE product_count SET n = n + (SELECT count(*) FROM changed_rows) WHERE id = 1;
          RETURN NULL;
        END $$`.execute(db);
      await sql`CREATE FUNCTION product_count_subtract() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          UPDATE product_count SET n = n - (SELECT count(*) FROM changed_rows) WHERE id = 1;
          RETURN NULL;
        END $$`.execute(db);
      await sql`CREATE FUNCTION product_count_reset() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          UPDATE product_count SET n = 0 WHERE id = 1;
          RETURN NULL;
        END $$`.execute(db);
      await sql`CREATE TRIGGER product_count_insert AFTER INSERT ON products
        REFERENCING NEW TABLE AS changed_rows
        FOR EACH STATEMENT EXECUTE FUNCTION product_count_add()`.execute(db);
      await sql`CREATE TRIGGER product_count_delete AFTER DELETE ON products
        REFERENCING OLD TABLE AS changed_rows
        FOR EACH STATEMENT EXECUTE FUNCTION product_count_subtract()`.execute(db);
      await sql`CREATE TRIGGER product_count_truncate AFTER TRUNCATE ON products
        FOR EACH STATEMENT EXECUTE FUNCTION product_count_reset()`.execute(db);
    }
    await sql`INSERT INTO product_count (id, n) SELECT 1, count(*) FROM products`.execute(db);
  },

  async down(db: Kysely<unknown>, dialect: Dialect) {
    await sql`DROP TRIGGER IF EXISTS product_count_insert ${sql.raw(dialect === 'sqlite' ? '' : 'ON products')}`.execute(
      db,
    );
    await sql`DROP TRIGGER IF EXISTS product_count_delete ${sql.raw(dialect === 'sqlite' ? '' : 'ON products')}`.execute(
      db,
    );
    if (dialect === 'postgres') {
      await sql`DROP TRIGGER IF EXISTS product_count_truncate ON products`.execute(db);
      await sql`DROP FUNCTION IF EXISTS product_count_add()`.execute(db);
      await sql`DROP FUNCTION IF EXISTS product_count_subtract()`.execute(db);
      await sql`DROP FUNCTION IF EXISTS product_count_reset()`.execute(db);
    }
    await db.schema.dropTable('product_count').execute();
  },
};
