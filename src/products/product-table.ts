// The seed's products table, declared once; the application's Kysely view adds it to keygate's tables.
import type { Generated, Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { Database, Timestamp } from '../index.js';

/** The seed's Product model; prices are integer cents, never floating point. */
export type ProductsTable = {
  id: Generated<number>;
  name: string;
  description: string;
  price_cents: number;
  stock: number;
  created: Timestamp;
  updated: Timestamp;
};

/** The application's tables. */
export type ProductTables = {
  products: ProductsTable;
};

/** keygate's tables and the application's, as the products code queries them. */
export type ProductDatabase = Database & ProductTables;

export type ProductRow = Selectable<ProductsTable>;
export type NewProductRow = Insertable<ProductsTable>;
export type ProductUpdate = Updateable<ProductsTable>;

/** keygate's Kysely instance, typed with the products table too. */
export function productDb(db: Kysely<Database>): Kysely<ProductDatabase> {
  return db.withTables<ProductTables>();
}
