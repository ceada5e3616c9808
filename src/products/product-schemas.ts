// The Product contract: TypeBox schemas (responses, request bodies, OpenAPI, types) and DRF's OPTIONS field metadata.
import { Type, type Static } from 'typebox';
import { pythonText, type FieldMetadata } from '../index.js';

const { PYTHON_WHITESPACE } = pythonText;
import { PRICE_DECIMAL_PLACES, PRICE_MAX_DIGITS } from './decimal.js';
import { NAME_MAX_LENGTH, PRODUCT_FIELD_RULES, STOCK_MAX, STOCK_MIN } from './product-fields.js';
import { PRODUCT_DEFAULTS } from './product.js';

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

// Request patterns: everything they match, the server accepts (the server accepts more: see the
// descriptions). Each is linear to match (no nested or overlapping repetition), and uses only the
// JSON Schema spec's recommended regex subset, written as \u escapes.
const hex = (unit: number) => `\\u${unit.toString(16).padStart(4, '0')}`;

/** A character class body for sorted UTF-16 code units, runs written as ranges (`\u2000-\u200a`). */
function classOf(units: readonly number[]): string {
  let body = '';
  for (let i = 0; i < units.length; i++) {
    let end = i;
    while (end + 1 < units.length && units[end + 1] === units[end]! + 1) end++;
    body += end > i ? `${hex(units[i]!)}-${hex(units[end]!)}` : hex(units[i]!);
    i = end;
  }
  return body;
}

/** Python's whitespace, which DRF's `CharField` trims (`str.strip()`), as a character class body. */
const SPACE = classOf(PYTHON_WHITESPACE);
/** What CharField's validators refuse: NUL (ProhibitNullCharactersValidator) and lone surrogates. */
const REFUSED = `${hex(0)}${hex(0xd800)}-${hex(0xdfff)}`;
/** Leading whitespace, one character that is neither whitespace nor refused, then nothing refused. */
const NAME_PATTERN = `^[${SPACE}]*[^${SPACE}${REFUSED}][^${REFUSED}]*$`;
const TEXT_PATTERN = `^[^${REFUSED}]*$`;
const WHOLE_DIGITS = PRICE_MAX_DIGITS - PRICE_DECIMAL_PLACES;
/** The canonical decimal: up to 8 digits, then up to 2 decimal places (so at most 10 digits). */
const PRICE_PATTERN = `^-?[0-9]{1,${WHOLE_DIGITS}}(\\.[0-9]{1,${PRICE_DECIMAL_PLACES}})?$`;

/** The writable fields as request bodies send them; `defaults` adds the model's defaults (not for PATCH). */
function inputFields(defaults: boolean) {
  return {
    name: Type.String({
      minLength: 1,
      maxLength: NAME_MAX_LENGTH,
      pattern: NAME_PATTERN,
      description:
        `Trimmed of surrounding whitespace; may not be blank (whitespace only); at most ${NAME_MAX_LENGTH} ` +
        'characters (code points); no NUL or lone surrogate. A JSON number is accepted too, as its text.',
      examples: ['Coffee beans'],
    }),
    description: Type.String({
      pattern: TEXT_PATTERN,
      description:
        'Any length; trimmed, so whitespace alone is stored as "". No NUL or lone surrogate. ' +
        'Optional: a product created without it has "" (the model default); a PUT without it keeps it.',
      ...(defaults && { default: PRODUCT_DEFAULTS.description }),
      examples: ['1 kg, whole beans'],
    }),
    price: Type.String({
      pattern: PRICE_PATTERN,
      description:
        `A decimal of at most ${PRICE_MAX_DIGITS} digits, ${PRICE_DECIMAL_PLACES} after the point ` +
        `(${WHOLE_DIGITS} before it), as the response writes it ("20.48"). The server also takes, as ` +
        'Django REST framework does, a JSON number, surrounding whitespace, a leading "+" or an exponent ' +
        '("1e3"), and answers with the canonical string.',
      examples: ['20.48'],
    }),
    stock: Type.Integer({
      minimum: STOCK_MIN,
      maximum: STOCK_MAX,
      description:
        `A whole number from ${STOCK_MIN} to ${STOCK_MAX} (the server also takes its decimal text, "7" or "7.0"). ` +
        'Optional: a product created without it has 0 (the model default); a PUT without it keeps it.',
      ...(defaults && { default: PRODUCT_DEFAULTS.stock }),
      examples: [7],
    }),
  };
}

const WITH_DEFAULTS = inputFields(true);
const WITHOUT_DEFAULTS = inputFields(false);

/**
 * What POST (create) and PUT (replace) accept: `name` and `price` are required; `description` and
 * `stock` are optional with the model's defaults on create (on PUT a missing one is left as it is,
 * as DRF's ModelSerializer does). `id`, `created`, `updated` and unknown fields are ignored.
 */
export const ProductInputSchema = Type.Object(
  {
    name: WITH_DEFAULTS.name,
    description: Type.Optional(WITH_DEFAULTS.description),
    price: WITH_DEFAULTS.price,
    stock: Type.Optional(WITH_DEFAULTS.stock),
  },
  {
    $id: 'ProductInput',
    description:
      'POST and PUT body. name and price are required. description (default "") and stock (default 0) ' +
      'may be left out: a create stores the default, a PUT keeps the stored value. id, created, updated ' +
      'and unknown fields are ignored.',
  },
);

/** The body POST and PUT accept. */
export type ProductInputBody = Static<typeof ProductInputSchema>;

/** What PATCH (partial update) accepts: any subset of the fields, each validated as for PUT; no defaults. */
export const ProductPatchSchema = Type.Object(
  {
    name: Type.Optional(WITHOUT_DEFAULTS.name),
    description: Type.Optional(WITHOUT_DEFAULTS.description),
    price: Type.Optional(WITHOUT_DEFAULTS.price),
    stock: Type.Optional(WITHOUT_DEFAULTS.stock),
  },
  {
    $id: 'ProductPatch',
    description:
      'PATCH body: any subset of the fields; only those sent change. id, created, updated and unknown ' +
      'fields are ignored.',
  },
);

/** The body PATCH accepts. */
export type ProductPatchBody = Static<typeof ProductPatchSchema>;

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
