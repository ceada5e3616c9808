// Products in the admin: the seed application's section, declared for the admin's engine (the
// public surface, src/admin/index.ts). Each form field validates exactly as the API does (DRF's
// ProductSerializer rules for a form body, from product-fields.ts).
import {
  modelAdmin,
  shownTime,
  type AdminFormField,
  type AdminSection,
  type ParsedField,
} from '../admin/index.js';
import { nowTimestamp } from '../index.js';
import { formatCents } from './decimal.js';
import {
  NAME_MAX_LENGTH,
  PRODUCT_FIELD_RULES,
  validateProduct,
  type ProductInput,
} from './product-fields.js';
import type { ProductRow } from './product-table.js';
import { PRODUCT_DEFAULTS } from './product.js';

/**
 * The API's validation of one field sent by a form: its value, its errors, or null when the form
 * left it out (a missing required field is refused by the engine first).
 */
function productField(name: keyof typeof PRODUCT_FIELD_RULES, key: keyof ProductInput) {
  return (raw: string | undefined): ParsedField => {
    const checked = validateProduct(raw === undefined ? {} : { [name]: raw }, 'partial', { form: true });
    if (!checked.ok) return { errors: checked.errors[name] ?? [] };
    const value = checked.value[key];
    return value === undefined ? null : { value };
  };
}

const FIELDS: readonly AdminFormField<ProductRow>[] = [
  {
    name: 'name',
    label: 'Name',
    kind: 'text',
    required: PRODUCT_FIELD_RULES.name.required,
    widget: { maxlength: NAME_MAX_LENGTH },
    show: (row) => row.name,
    parse: productField('name', 'name'),
  },
  {
    name: 'description',
    label: 'Description',
    kind: 'textarea',
    required: PRODUCT_FIELD_RULES.description.required,
    initial: PRODUCT_DEFAULTS.description,
    default: PRODUCT_DEFAULTS.description,
    show: (row) => row.description,
    parse: productField('description', 'description'),
  },
  {
    name: 'price',
    column: 'price_cents',
    label: 'Price',
    kind: 'text',
    required: PRODUCT_FIELD_RULES.price.required,
    widget: { inputmode: 'decimal' },
    help: 'Up to 10 digits, 2 after the decimal point, e.g. 12.50.',
    show: (row) => formatCents(Number(row.price_cents)),
    parse: productField('price', 'priceCents'),
  },
  {
    name: 'stock',
    label: 'Stock',
    kind: 'number',
    required: PRODUCT_FIELD_RULES.stock.required,
    widget: { inputmode: 'numeric' },
    help: `Left empty: ${PRODUCT_DEFAULTS.stock} for a new product, unchanged for an existing one.`,
    initial: String(PRODUCT_DEFAULTS.stock),
    default: PRODUCT_DEFAULTS.stock,
    show: (row) => String(Number(row.stock)),
    parse: productField('stock', 'stock'),
  },
];

/** The products section. */
export const productAdmin: AdminSection = modelAdmin<ProductRow>({
  slug: 'products',
  name: 'Products',
  singular: 'product',
  contentType: 'product',
  app: { label: 'products', name: 'Products' },
  table: 'products',
  columns: ['id', 'name', 'description', 'price_cents', 'stock', 'created', 'updated'],
  objectRepr: (row) => row.name,
  listDisplay: [
    { label: 'Name', cell: (row) => row.name, sort: { key: 'name', column: 'name' } },
    {
      label: 'Price',
      cell: (row) => formatCents(Number(row.price_cents)),
      sort: { key: 'price', column: 'price_cents' },
    },
    { label: 'Stock', cell: (row) => String(Number(row.stock)), sort: { key: 'stock', column: 'stock' } },
    { label: 'Created', cell: (row) => shownTime(row.created), sort: { key: 'created', column: 'created' } },
  ],
  searchFields: ['name', 'description'],
  searchPlaceholder: 'Search name or description',
  listFilter: [
    {
      param: 'in_stock',
      title: 'By availability',
      choices: [
        { value: 'yes', label: 'In stock' },
        { value: 'no', label: 'Out of stock' },
      ],
      where: (eb, value) => (value === 'yes' ? eb('stock', '>', 0) : eb('stock', '=', 0)),
    },
  ],
  ordering: { key: 'created', descending: true },
  fields: FIELDS,
  // Django's auto_now_add / auto_now.
  beforeSave(values, { row }) {
    const now = nowTimestamp();
    return { values: { ...values, ...(row === undefined && { created: now }), updated: now } };
  },
});
