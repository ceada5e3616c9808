// The Product contract: the TypeBox schemas the product model generates (responses, request bodies,
// OpenAPI) and DRF's OPTIONS field metadata for ProductSerializer, written out as DRF gives it.
import type { Static, TInteger, TObject, TOptional, TString } from 'typebox';
import { fieldSchemas, type FieldMetadata } from '../index.js';
import { NAME_MAX_LENGTH, PRODUCT_FIELD_RULES, STOCK_MAX, STOCK_MIN } from './product-fields.js';
import { PRODUCT_FIELDS } from './product-model-fields.js';

const SCHEMAS = fieldSchemas('Product', PRODUCT_FIELDS);

// The shapes fieldSchemas builds for these fields (it types them as any object's).
type ProductItemSchema = TObject<{
  id: TInteger;
  name: TString;
  description: TString;
  price: TString;
  stock: TInteger;
  created: TString;
  updated: TString;
}>;
type ProductInputShape = TObject<{
  name: TString;
  description: TOptional<TString>;
  price: TString;
  stock: TOptional<TInteger>;
}>;
type ProductPatchShape = TObject<{
  name: TOptional<TString>;
  description: TOptional<TString>;
  price: TOptional<TString>;
  stock: TOptional<TInteger>;
}>;

/** A product as the API returns it (field order is the wire order). */
export const ProductSchema = SCHEMAS.item as ProductItemSchema;

/** The API's representation of a product. */
export type ProductRepresentation = Static<typeof ProductSchema>;

/**
 * What POST (create) and PUT (replace) accept: `name` and `price` are required; `description` and
 * `stock` are optional with the model's defaults on create (on PUT a missing one is left as it is,
 * as DRF's ModelSerializer does). `id`, `created`, `updated` and unknown fields are ignored.
 */
export const ProductInputSchema = SCHEMAS.input as ProductInputShape;

/** What PATCH (partial update) accepts: any subset of the fields, each validated as for PUT; no defaults. */
export const ProductPatchSchema = SCHEMAS.patch as ProductPatchShape;

/**
 * DRF 3.14's SimpleMetadata for ProductSerializer, as OPTIONS shows it under `actions`: per field
 * `type` and `required`, then those of `read_only`, `label`, `help_text`, `min_length`, `max_length`,
 * `min_value`, `max_value` that are set, in that order (metadata.py `get_field_info`; a DecimalField's
 * digits are not among them).
 */
export const PRODUCT_FIELD_METADATA: Readonly<Record<string, FieldMetadata>> = Object.freeze({
  id: { type: 'integer', required: false, read_only: true, label: 'ID' },
  name: {
    type: 'string',
    required: PRODUCT_FIELD_RULES.name.required,
    read_only: false,
    label: 'Name',
    max_length: NAME_MAX_LENGTH,
  },
  description: {
    type: 'string',
    required: PRODUCT_FIELD_RULES.description.required,
    read_only: false,
    label: 'Description',
  },
  price: { type: 'decimal', required: PRODUCT_FIELD_RULES.price.required, read_only: false, label: 'Price' },
  stock: {
    type: 'integer',
    required: PRODUCT_FIELD_RULES.stock.required,
    read_only: false,
    label: 'Stock',
    min_value: STOCK_MIN,
    max_value: STOCK_MAX,
  },
  created: { type: 'datetime', required: false, read_only: true, label: 'Created' },
  updated: { type: 'datetime', required: false, read_only: true, label: 'Updated' },
});
