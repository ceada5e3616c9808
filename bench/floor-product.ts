// The Fastify floor's product: the row as keygate's serializer writes it, and the least check of a write's body.
import type { NewProduct, ProductChanges, ProductRow } from './floor-store.js';

/** The product as keygate's serializer writes it: fields in model order, the price as a decimal string. */
export function productJson(row: ProductRow) {
  const cents = Number(row.price_cents);
  const price = `${Math.trunc(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
  return {
    id: Number(row.id),
    name: row.name,
    description: row.description,
    price,
    stock: Number(row.stock),
    created: row.created,
    updated: row.updated,
  };
}

/** DRF's `_positive_int` for the common case (digits only); null otherwise. */
export function positiveInt(raw: unknown, strict: boolean): number | null {
  if (typeof raw !== 'string' || !/^\d+$/.test(raw)) return null;
  const value = Number(raw);
  return strict && value === 0 ? null : value;
}

/** The fields' errors, DRF-shaped (`{"price": ["A valid number is required."]}`). */
export type FieldErrors = Record<string, string[]>;

/** The checked fields of a write: those given (a create also has the required ones). */
interface Fields {
  name?: string;
  description?: string;
  priceCents?: number;
  stock?: number;
}

const NAME_MAX_LENGTH = 100;
const STOCK_MAX = 2147483647;
// DecimalField(max_digits=10, decimal_places=2), unsigned: 8 whole digits, 2 decimal places.
const PRICE = /^(\d{1,8})(?:\.(\d{1,2}))?$/;

/**
 * The least check keygate's serializer makes of the fields the benchmark sends: name a non-blank
 * string of at most 100 characters, description a string, price a decimal of at most 8 + 2 digits
 * (as the integer cents keygate stores), stock an integer in PositiveIntegerField's range. Unknown
 * keys are ignored, as DRF does. `required`: name and price must be there (a create).
 */
function checkFields(body: unknown, required: boolean): { fields: Fields } | { errors: FieldErrors } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { errors: { non_field_errors: ['Invalid data. Expected a dictionary.'] } };
  }
  const data = body as Record<string, unknown>;
  const errors: FieldErrors = {};
  const fields: Fields = {};
  const { name, description, price, stock } = data;
  if (name === undefined) {
    if (required) errors.name = ['This field is required.'];
  } else if (typeof name !== 'string') {
    errors.name = ['Not a valid string.'];
  } else {
    const text = name.trim();
    if (text === '') errors.name = ['This field may not be blank.'];
    else if (text.length > NAME_MAX_LENGTH)
      errors.name = [`Ensure this field has no more than ${NAME_MAX_LENGTH} characters.`];
    else fields.name = text;
  }
  if (description !== undefined) {
    if (typeof description === 'string') fields.description = description.trim();
    else errors.description = ['Not a valid string.'];
  }
  const priceMatch =
    typeof price === 'string' || typeof price === 'number' ? PRICE.exec(String(price)) : null;
  if (price === undefined) {
    if (required) errors.price = ['This field is required.'];
  } else if (priceMatch === null) {
    errors.price = ['A valid number is required.'];
  } else {
    fields.priceCents = Number(priceMatch[1]) * 100 + Number((priceMatch[2] ?? '').padEnd(2, '0'));
  }
  if (stock !== undefined) {
    const value = typeof stock === 'string' && /^\d+$/.test(stock) ? Number(stock) : stock;
    if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= STOCK_MAX) {
      fields.stock = value;
    } else {
      errors.stock = ['A valid integer is required.'];
    }
  }
  return Object.keys(errors).length > 0 ? { errors } : { fields };
}

/** A create's body as the row to insert (the model's defaults for a missing description and stock). */
export function newProduct(body: unknown, now: string): { product: NewProduct } | { errors: FieldErrors } {
  const checked = checkFields(body, true);
  if ('errors' in checked) return checked;
  const { name, description, priceCents, stock } = checked.fields;
  return {
    product: {
      name: name!,
      description: description ?? '',
      price_cents: priceCents!,
      stock: stock ?? 0,
      created: now,
      updated: now,
    },
  };
}

/** A partial update's body as the columns to set (null: keep). */
export function productChanges(
  body: unknown,
  now: string,
): { changes: ProductChanges } | { errors: FieldErrors } {
  const checked = checkFields(body, false);
  if ('errors' in checked) return checked;
  const { name, description, priceCents, stock } = checked.fields;
  return {
    changes: {
      name: name ?? null,
      description: description ?? null,
      price_cents: priceCents ?? null,
      stock: stock ?? null,
      updated: now,
    },
  };
}
