// The seed's Product as the rest of keygate sees it.
import type { ProductRow } from './product-table.js';

/** A product; the price is integer cents, formatted as a decimal string only when shown. */
export interface Product {
  readonly id: number;
  readonly name: string;
  readonly description: string;
  readonly priceCents: number;
  readonly stock: number;
  readonly created: string;
  readonly updated: string;
}

/**
 * The seed model's defaults: `description = TextField(blank=True, default='')` and
 * `stock = PositiveIntegerField(default=0)`. Like Django (before 5.0's `db_default`), they live in
 * the application, not in the columns: a create that was not given a field gets them here.
 */
export const PRODUCT_DEFAULTS = Object.freeze({ description: '', stock: 0 });

/** Maps a row to a Product. */
export function toProduct(row: ProductRow): Product {
  return {
    id: Number(row.id),
    name: row.name,
    description: row.description,
    priceCents: Number(row.price_cents),
    stock: Number(row.stock),
    created: row.created,
    updated: row.updated,
  };
}
