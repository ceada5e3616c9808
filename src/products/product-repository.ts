// SQL for products. Ordered by id; every lookup uses the primary key; reads are prepared once.
import { sql } from 'kysely';
import { nowTimestamp, type KeygateDatabase, type PageWindow, type ResourceRepository } from '../index.js';
import { productDb, type NewProductRow, type ProductUpdate } from './product-table.js';
import type { ProductInput } from './product-fields.js';
import { PRODUCT_DEFAULTS, toProduct, type Product } from './product.js';

const COLUMNS = ['id', 'name', 'description', 'price_cents', 'stock', 'created', 'updated'] as const;

/** The columns an update sets: only the fields validated (a PUT without `stock` keeps the stored stock). */
export function productChanges(input: Partial<ProductInput>): ProductUpdate {
  const update: ProductUpdate = {};
  if (input.name !== undefined) update.name = input.name;
  if (input.description !== undefined) update.description = input.description;
  if (input.priceCents !== undefined) update.price_cents = input.priceCents;
  if (input.stock !== undefined) update.stock = input.stock;
  return update;
}

/**
 * The row a create inserts: DRF's `Product.objects.create(**validated_data)`, the model's defaults
 * for a description or stock that was not given. `input` has passed `validateProduct` in `create`
 * mode, which guarantees a name and a price.
 */
export function newProductRow(input: ProductInput, now: string): NewProductRow {
  if (input.name === undefined || input.priceCents === undefined) {
    throw new TypeError('a new product needs a validated name and price');
  }
  return {
    name: input.name,
    description: input.description ?? PRODUCT_DEFAULTS.description,
    price_cents: input.priceCents,
    stock: input.stock ?? PRODUCT_DEFAULTS.stock,
    created: now,
    updated: now,
  };
}

/**
 * Creates the product repository. The reads API requests make (one product; a page with the count
 * beside its rows; the count alone past the end) are built once with Kysely and run as prepared
 * statements; writes go through Kysely. The count is read from `product_count`, which triggers
 * keep exact (migration 0005).
 */
export function createProductRepository(
  database: KeygateDatabase,
): ResourceRepository<Product, ProductInput> {
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
      return { count: total === null ? await count() : Number(total), items: rows.map(toProduct) };
    },

    async get(id) {
      const row = await getOne.first([id]);
      return row && toProduct(row);
    },

    async create(input) {
      const row = await db
        .insertInto('products')
        .values(newProductRow(input, nowTimestamp()))
        .returning(COLUMNS)
        .executeTakeFirstOrThrow();
      return toProduct(row);
    },

    async update(id, input) {
      const row = await db
        .updateTable('products')
        .set({ ...productChanges(input), updated: nowTimestamp() })
        .where('id', '=', id)
        .returning(COLUMNS)
        .executeTakeFirst();
      return row && toProduct(row);
    },

    async delete(id) {
      const result = await db.deleteFrom('products').where('id', '=', id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
  };
}
