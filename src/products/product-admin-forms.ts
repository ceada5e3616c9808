// The products section's add and change pages, with exactly the API's validation (DRF's
// ProductSerializer rules for a form body) and errors beside each field.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely, Transaction } from 'kysely';
import type { ProductDatabase } from './product-table.js';
import { NotFound, nowTimestamp, type User } from '../index.js';
import {
  adminUser,
  afterSave,
  field,
  formData,
  nonFieldErrors,
  objectId,
  sendAdminPage,
  withErrors,
  type Crumb,
  type FormField,
  type SectionUrls,
} from '../admin/index.js';
import { formatCents } from './decimal.js';
import { PRODUCT_COLUMNS } from './product-admin-list.js';
import { NAME_MAX_LENGTH, PRODUCT_FIELD_RULES, validateProduct } from './product-fields.js';
import { newProductRow, productChanges } from './product-repository.js';
import { PRODUCT_DEFAULTS, toProduct, type Product } from './product.js';

/** What the add form starts from: the model's defaults, as Django's admin shows them. */
const ADD_VALUES: Readonly<Record<string, string>> = Object.freeze({
  description: PRODUCT_DEFAULTS.description,
  stock: String(PRODUCT_DEFAULTS.stock),
});

/** The form's fields, filled with what was sent (or the product's values); required as the API's are. */
function productFields(values: Readonly<Record<string, string>>): FormField[] {
  return [
    {
      name: 'name',
      label: 'Name',
      kind: 'text',
      value: values.name ?? '',
      required: PRODUCT_FIELD_RULES.name.required,
      maxlength: NAME_MAX_LENGTH,
    },
    {
      name: 'description',
      label: 'Description',
      kind: 'textarea',
      value: values.description ?? '',
      required: PRODUCT_FIELD_RULES.description.required,
    },
    {
      name: 'price',
      label: 'Price',
      kind: 'text',
      value: values.price ?? '',
      required: PRODUCT_FIELD_RULES.price.required,
      inputmode: 'decimal',
      help: 'Up to 10 digits, 2 after the decimal point, e.g. 12.50.',
    },
    {
      name: 'stock',
      label: 'Stock',
      kind: 'number',
      value: values.stock ?? '',
      required: PRODUCT_FIELD_RULES.stock.required,
      inputmode: 'numeric',
      help: `Left empty: ${PRODUCT_DEFAULTS.stock} for a new product, unchanged for an existing one.`,
    },
  ];
}

function valuesOf(product: Product): Record<string, string> {
  return {
    name: product.name,
    description: product.description,
    price: formatCents(product.priceCents),
    stock: String(product.stock),
  };
}

const FORM_FIELDS = ['name', 'description', 'price', 'stock'] as const;

/**
 * What the form sent, as the API would receive it from an HTML form: the fields sent, as strings
 * (a repeated one as its last value); a field not sent stays absent, as it would be for the API.
 */
function sentValues(data: Readonly<Record<string, unknown>>): Record<string, string> {
  return Object.fromEntries(
    FORM_FIELDS.filter((name) => Object.hasOwn(data, name)).map((name) => [name, field(data, name)]),
  );
}

/** What the forms need from their section. */
export interface ProductFormDeps {
  readonly db: Kysely<ProductDatabase>;
  readonly urls: SectionUrls;
  readonly crumbs: readonly Crumb[];
  /** Records a change to `product` in the admin log, inside `trx`. */
  readonly record: (
    trx: Transaction<ProductDatabase>,
    actor: User,
    product: Product,
    action: 'added' | 'changed',
    message?: string,
  ) => Promise<void>;
}

/** Registers `/products/add/` and `/products/:id/change/`. */
export function registerProductForms(admin: FastifyInstance, deps: ProductFormDeps): void {
  const { db, urls, crumbs, record } = deps;

  async function find(id: number): Promise<Product | undefined> {
    const row = await db
      .selectFrom('products')
      .select(PRODUCT_COLUMNS)
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toProduct(row);
  }

  function formPage(
    request: FastifyRequest,
    reply: FastifyReply,
    product: Product | null,
    fields: readonly FormField[],
    errors: readonly string[] = [],
    status = 200,
  ): FastifyReply {
    const title = product === null ? 'Add product' : 'Change product';
    return sendAdminPage(
      request,
      reply,
      'change-form',
      { title, status, breadcrumbs: [...crumbs, { label: product === null ? 'Add product' : product.name }] },
      {
        form: {
          action: request.url,
          fields,
          nonFieldErrors: errors,
          deleteHref: product === null ? null : urls.delete(product.id),
          moreButtons: true,
        },
        subtitle: product?.name ?? null,
      },
    );
  }

  admin.route({
    method: ['GET', 'HEAD', 'POST'],
    url: '/products/add/',
    schema: { hide: true },
    async handler(request, reply) {
      if (request.method !== 'POST') return formPage(request, reply, null, productFields(ADD_VALUES));
      const data = formData(request);
      const sent = sentValues(data);
      const checked = validateProduct(sent, 'create', { form: true });
      if (!checked.ok) {
        return formPage(
          request,
          reply,
          null,
          withErrors(productFields(sent), checked.errors),
          nonFieldErrors(productFields(sent), checked.errors),
        );
      }
      const actor = adminUser(request);
      const product = await db.transaction().execute(async (trx) => {
        const row = await trx
          .insertInto('products')
          .values(newProductRow(checked.value, nowTimestamp()))
          .returning(PRODUCT_COLUMNS)
          .executeTakeFirstOrThrow();
        const created = toProduct(row);
        await record(trx, actor, created, 'added');
        return created;
      });
      return afterSave(
        reply,
        data,
        { list: urls.list, change: urls.change(product.id), add: urls.add },
        `The product “${product.name}” was added successfully.`,
      );
    },
  });

  admin.route({
    method: ['GET', 'HEAD', 'POST'],
    url: '/products/:id/change/',
    schema: { hide: true },
    async handler(request, reply) {
      const id = objectId((request.params as { id?: string }).id);
      const product = id === null ? undefined : await find(id);
      if (product === undefined) throw new NotFound();
      if (request.method !== 'POST')
        return formPage(request, reply, product, productFields(valuesOf(product)));
      const data = formData(request);
      const sent = sentValues(data);
      const checked = validateProduct(sent, 'update', { form: true });
      if (!checked.ok) {
        return formPage(
          request,
          reply,
          product,
          withErrors(productFields(sent), checked.errors),
          nonFieldErrors(productFields(sent), checked.errors),
        );
      }
      const before = valuesOf(product);
      const actor = adminUser(request);
      const updated = await db.transaction().execute(async (trx) => {
        const row = await trx
          .updateTable('products')
          .set({ ...productChanges(checked.value), updated: nowTimestamp() })
          .where('id', '=', product.id)
          .returning(PRODUCT_COLUMNS)
          .executeTakeFirst();
        if (row === undefined) return undefined;
        const after = toProduct(row);
        const changed = Object.entries(valuesOf(after))
          .filter(([name, value]) => before[name] !== value)
          .map(([name]) => name);
        await record(
          trx,
          actor,
          after,
          'changed',
          changed.length === 0 ? 'No fields changed.' : `Changed ${changed.join(', ')}.`,
        );
        return after;
      });
      if (updated === undefined) throw new NotFound();
      return afterSave(
        reply,
        data,
        { list: urls.list, change: urls.change(updated.id), add: urls.add },
        `The product “${updated.name}” was changed successfully.`,
      );
    },
  });
}
