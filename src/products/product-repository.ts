// SQL for products. Ordered by id; every lookup uses the primary key; reads are prepared once.
import { sql } from 'kysely';
import { type KeygateDatabase, type PageWindow, type ResourceRepository } from '../index.js';
import type { ProductItem } from './product-model-fields.js';
import { productDb, type NewProductRow, type ProductRow, type ProductUpdate } from './product-table.js';

const COLUMNS = ['id', 'name', 'description', 'price_cents', 'stock', 'created', 'updated'] as const;

/** Values by field name, as the model engine saves them (price in cents, timestamps as stored text). */
type ProductValues = Readonly<Record<string, unknown>>;

/** A row as the model's object (PostgreSQL gives int8 as a string, hence `Number`). */
export function toProductItem(row: ProductRow): ProductItem {
  return {
    id: Number(row.id),
    name: row.name,
    description: row.description,
    price: Number(row.price_cents),
    stock: Number(row.stock),
    created: row.created,
    updated: row.updated,
  };
}

/** The columns an update sets: only the values given (a PUT without `stock` keeps the stored stock). */
export function productChanges(values: ProductValues): ProductUpdate {
  const update: ProductUpdate = {};
  if (values.name !== undefined) update.name = values.name as string;
  if (values.description !== undefined) update.description = values.description as string;
  if (values.price !== undefined) update.price_cents = values.price as number;
  if (values.stock !== undefined) update.stock = values.stock as number;
  if (values.created !== undefined) update.created = values.created as string;
  if (values.updated !== undefined) update.updated = values.updated as string;
  return update;
}

/**
 * The row a create inserts. The engine's values hold every field on create (the validated ones, the
 * model defaults of the others and the automatic timestamps); a missing one is a programming error.
 */
export function newProductRow(values: ProductValues): NewProductRow {
  const row = productChanges(values);
  const { name, description, price_cents, stock, created, updated } = row;
  if (
    name === undefined ||
    description === undefined ||
    price_cents === undefined ||
    stock === undefined ||
    created === undefined ||
    updated === undefined
  ) {
    throw new TypeError('a new product needs every field');
  }
  return { name, description, price_cents, stock, created, updated };
}

/**
 * Creates the product repository. The reads API requests make (one product; a page with the count
 * beside its rows; the count alone past the end) are built once with Kysely and run as prepared
 * statements; writes go through Kysely. The count is read from `product_count`, which triggers
 * keep exact (migration 0005).
 */
export function createProductRepository(
  database: KeygateDatabase,
): ResourceRepository<ProductItem, ProductValues> {
  const db = productDb(database.db);
  const getOne = database.prepare(
    'keygate_product_get',
    db.selectFrom('products').select(COLUMNS).where('id', '=', 0).compile(),
  );
  // The page with the count beside each row: one statement (one round trip on PostgreSQL, one
  // read transaction on SQLite) instead of two. The subquery is evaluated once per statement.
  const pageWithCount = database.prepare(
    'keygate_product_page_count',
    db
      .selectFrom('products')
      .select(COLUMNS)
      .select(sql<number>`(select n from product_count where id = 1)`.as('total'))
      .orderBy('id')
      .limit(0)
      .offset(0)
      .compile(),
  );
  const counter = database.prepare(
    'keygate_product_count',
    sql<{ n: number }>`select n from product_count where id = 1`.compile(db),
  );

  async function count(): Promise<number> {
    const row = await counter.first([]);
    if (row !== undefined) return Number(row.n);
    // Only without migration 0005's row, which nothing deletes.
    const counted = await db
      .selectFrom('products')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(counted.n);
  }

  return {
    async page({ limit, offset }: PageWindow) {
      const rows = await pageWithCount.execute([limit, offset]);
      const first = rows[0];
      // Past the end no row carries the count; without migration 0005's row it is null.
      const total = first?.total ?? null;
      return { count: total === null ? await count() : Number(total), items: rows.map(toProductItem) };
    },

    async get(id) {
      const row = await getOne.first([id]);
      return row && toProductItem(row);
    },

    async create(input) {
      const row = await db
        .insertInto('products')
        .values(newProductRow(input))
        .returning(COLUMNS)
        .executeTakeFirstOrThrow();
      return toProductItem(row);
    },

    async update(id, input) {
      const row = await db
        .updateTable('products')
        .set(productChanges(input))
        .where('id', '=', id)
        .returning(COLUMNS)
        .executeTakeFirst();
      return row && toProductItem(row);
    },

    async delete(id) {
      const result = await db.deleteFrom('products').where('id', '=', id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
  };
}
