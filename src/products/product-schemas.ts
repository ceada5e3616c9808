// The Product contract: TypeBox schemas (OpenAPI, types) and DRF's OPTIONS field metadata.
import { Type, type Static } from 'typebox';
import type { FieldMetadata } from '../http/resource.js';
import { NAME_MAX_LENGTH, STOCK_MAX, STOCK_MIN } from './product-fields.js';

const DECIMAL_PATTERN = '^-?\\d{1,8}\\.\\d{2}$';
const TIMESTAMP = { format: 'date-time', examples: ['2026-11-27T23:29:42.748410Z'] } as const;

/** A product as the API returns it (field order is the wire order). */
export const ProductSchema = Type.Object(
  {
    id: Type.Integer({ readOnly: true, examples: [1] }),
    name: Type.String({ maxLength: NAME_MAX_LENGTH, examples: ['Coffee beans'] }),
    description: Type.String({ examples: ['1 kg, whole beans'] }),
    price: Type.String({
      pattern: DECIMAL_PATTERN,
      description: 'Decimal: max 10 digits, 2 after the point',
      examples: ['20.48'],
    }),
    stock: Type.Integer({ minimum: STOCK_MIN, maximum: STOCK_MAX, examples: [7] }),
    created: Type.String({ ...TIMESTAMP, readOnly: true }),
    updated: Type.String({ ...TIMESTAMP, readOnly: true }),
  },
  { $id: 'Product', additionalProperties: false },
);

/** The API's representation of a product. */
export type ProductRepresentation = Static<typeof ProductSchema>;

/** What POST/PUT/PATCH accept (numbers are accepted for price and stock too, as DRF does). */
export const ProductInputSchema = Type.Object(
  {
    name: Type.String({ maxLength: NAME_MAX_LENGTH, minLength: 1 }),
    description: Type.String({ minLength: 1 }),
    price: Type.Union([Type.String({ examples: ['20.48'] }), Type.Number()], {
      description: 'Decimal: max 10 digits, 2 after the point',
    }),
    stock: Type.Union([Type.Integer({ minimum: STOCK_MIN, maximum: STOCK_MAX }), Type.String()]),
  },
  {
    $id: 'ProductInput',
    description: 'All fields for POST and PUT; any subset for PATCH. id, created and updated are ignored.',
  },
);

/** DRF's SimpleMetadata for ProductSerializer, as OPTIONS shows it under `actions`. */
export const PRODUCT_FIELD_METADATA: Readonly<Record<string, FieldMetadata>> = Object.freeze({
  id: { type: 'integer', required: false, read_only: true, label: 'ID' },
  name: { type: 'string', required: true, read_only: false, label: 'Name', max_length: NAME_MAX_LENGTH },
  description: { type: 'string', required: true, read_only: false, label: 'Description' },
  price: {
    type: 'decimal',
    required: true,
    read_only: false,
    label: 'Price',
    max_digits: 10,
    decimal_places: 2,
  },
  stock: {
    type: 'integer',
    required: true,
    read_only: false,
    label: 'Stock',
    min_value: STOCK_MIN,
    max_value: STOCK_MAX,
  },
  created: { type: 'datetime', required: false, read_only: true, label: 'Created' },
  updated: { type: 'datetime', required: false, read_only: true, label: 'Updated' },
});
