// SQL for products. Ordered by id; every lookup uses the primary key.
import type { Kysely } from 'kysely';
import type { Database, ProductUpdate } from '../db/schema.js';
import type { PageWindow } from '../http/pagination.js';
import type { ResourceRepository } from '../http/resource.js';
import { nowTimestamp } from '../time.js';
import type { ProductInput } from './product-fields.js';
import { toProduct, type Product } from './product.js';

const COLUMNS = ['id', 'name', 'description', 'price_cents', 'stock', 'created', 'updated'] as const;

function changes(input: Partial<ProductInput>): ProductUpdate {
  const update: ProductUpdate = {};
  if (input.name !== undefined) update.name = input.name;
  if (input.description !== undefined) update.description = input.description;
  if (input.priceCents !== undefined) update.price_cents = input.priceCents;
  if (input.stock !== undefined) update.stock = input.stock;
  return update;
}

/** Creates the product repository. */
export function createProductRepository(db: Kysely<Database>): ResourceRepository<Product, ProductInput> {
  return {
    async list({ limit, offset }: PageWindow) {
      const rows = await db
        .selectFrom('products')
        .select(COLUMNS)
        .orderBy('id')
        .limit(limit)
        .offset(offset)
        .execute();
      return rows.map(toProduct);
    },

    async count() {
      const row = await db
        .selectFrom('products')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    async get(id) {
      const row = await db.selectFrom('products').select(COLUMNS).where('id', '=', id).executeTakeFirst();
      return row && toProduct(row);
    },

    async create(input) {
      const now = nowTimestamp();
      const row = await db
        .insertInto('products')
        .values({
          name: input.name!,
          description: input.description!,
          price_cents: input.priceCents!,
          stock: input.stock!,
          created: now,
          updated: now,
        })
        .returning(COLUMNS)
        .executeTakeFirstOrThrow();
      return toProduct(row);
    },

    async update(id, input) {
      const row = await db
        .updateTable('products')
        .set({ ...changes(input), updated: nowTimestamp() })
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
