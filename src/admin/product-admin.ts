// Products in the admin: list (search, in-stock filter, sorting), add, change and delete, with
// exactly the API's validation (DRF's ProductSerializer rules for a form body) and errors beside each field.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { NotFound } from '../errors.js';
import { formatCents } from '../products/decimal.js';
import { NAME_MAX_LENGTH, PRODUCT_FIELD_RULES, validateProduct } from '../products/product-fields.js';
import { newProductRow, productChanges } from '../products/product-repository.js';
import { PRODUCT_DEFAULTS, toProduct, type Product } from '../products/product.js';
import { nowTimestamp } from '../time.js';
import type { User } from '../users/user.js';
import type { AdminContext } from './admin-site.js';
import { adminUser, formData, field, objectId, sendAdminPage, shownTime, type Crumb } from './admin-page.js';
import { readListParams, sendChangeList, type ListPage, type ListSpec, type Row } from './change-list.js';
import { afterSave, nonFieldErrors, withErrors, type FormField } from './change-form.js';
import { handleListAction, registerDeletePage, type Deleter } from './deletion.js';

const LIST = '/admin/products/';
const ADD = '/admin/products/add/';
const changeUrl = (id: number) => `/admin/products/${id}/change/`;
const CRUMBS: readonly Crumb[] = [{ label: 'Products', href: LIST }];
const PAGE: ListPage = { path: LIST, noun: 'product', nouns: 'products', crumb: 'Products', addHref: ADD };
const COLUMNS = ['id', 'name', 'description', 'price_cents', 'stock', 'created', 'updated'] as const;

type Sort = 'name' | 'price' | 'stock' | 'created';
const SORT_COLUMNS: Readonly<Record<Sort, 'name' | 'price_cents' | 'stock' | 'created'>> = {
  name: 'name',
  price: 'price_cents',
  stock: 'stock',
  created: 'created',
};

const SPEC: ListSpec<Sort> = {
  sortable: ['name', 'price', 'stock', 'created'],
  defaultSort: { field: 'created', descending: true },
  filters: [
    {
      param: 'in_stock',
      title: 'By availability',
      choices: [
        { value: 'yes', label: 'In stock' },
        { value: 'no', label: 'Out of stock' },
      ],
    },
  ],
  searchPlaceholder: 'Search name or description',
};

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

/** Registers the products section. */
export function registerProductAdmin(admin: FastifyInstance, { log }: AdminContext): void {
  const { database } = admin.keygate;
  const { db } = database;

  async function find(id: number): Promise<Product | undefined> {
    const row = await db.selectFrom('products').select(COLUMNS).where('id', '=', id).executeTakeFirst();
    return row && toProduct(row);
  }

  async function record(
    trx: Transaction<Database>,
    actor: User,
    product: Product,
    action: 'added' | 'changed' | 'deleted',
    message?: string,
  ) {
    await log.record(trx, {
      actor,
      contentType: 'product',
      objectId: product.id,
      objectRepr: product.name,
      action,
      message,
    });
  }

  const deleter: Deleter = {
    noun: 'product',
    plural: 'products',
    listPath: LIST,
    async load(ids) {
      if (ids.length === 0) return [];
      const rows = await db
        .selectFrom('products')
        .select(['id', 'name'])
        .where('id', 'in', ids)
        .orderBy('id')
        .execute();
      return rows.map((row) => ({
        id: Number(row.id),
        label: row.name,
        href: changeUrl(Number(row.id)),
        related: [],
      }));
    },
    async deleteAll(actor, doomed) {
      return db.transaction().execute(async (trx) => {
        let deleted = 0;
        for (const item of doomed) {
          const row = await trx
            .deleteFrom('products')
            .where('id', '=', item.id)
            .returning(COLUMNS)
            .executeTakeFirst();
          if (row === undefined) continue;
          await record(trx, actor, toProduct(row), 'deleted');
          deleted += 1;
        }
        return deleted;
      });
    },
  };

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
      { title, status, breadcrumbs: [...CRUMBS, { label: product === null ? 'Add product' : product.name }] },
      {
        form: {
          action: request.url,
          fields,
          nonFieldErrors: errors,
          deleteHref: product === null ? null : `/admin/products/${product.id}/delete/`,
          moreButtons: true,
        },
        subtitle: product?.name ?? null,
      },
    );
  }

  admin.route({
    method: ['GET', 'HEAD', 'POST'],
    url: '/products/',
    schema: { hide: true },
    async handler(request, reply) {
      if (request.method === 'POST') return handleListAction(request, reply, deleter, CRUMBS);
      const params = readListParams(request.query, SPEC);
      let query = db.selectFrom('products');
      if (params.q !== '') {
        const { q } = params;
        query = query.where((eb) =>
          eb.or([database.contains('name', q), database.contains('description', q)]),
        );
      }
      if (params.filters.in_stock === 'yes') query = query.where('stock', '>', 0);
      if (params.filters.in_stock === 'no') query = query.where('stock', '=', 0);
      const [counted, rows] = await Promise.all([
        query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
        query
          .select(COLUMNS)
          .orderBy(SORT_COLUMNS[params.sort.field], params.sort.descending ? 'desc' : 'asc')
          .orderBy('id', params.sort.descending ? 'desc' : 'asc')
          .limit(params.limit)
          .offset(params.offset)
          .execute(),
      ]);
      const listed: Row[] = rows.map(toProduct).map((p) => ({
        id: p.id,
        label: p.name,
        cells: [
          { text: p.name, href: changeUrl(p.id) },
          { text: formatCents(p.priceCents) },
          { text: String(p.stock) },
          { text: shownTime(p.created) },
        ],
      }));
      return sendChangeList(request, reply, PAGE, {
        params,
        spec: SPEC,
        columns: [
          { label: 'Name', sort: 'name' },
          { label: 'Price', sort: 'price' },
          { label: 'Stock', sort: 'stock' },
          { label: 'Created', sort: 'created' },
        ],
        rows: listed,
        count: Number(counted.n),
      });
    },
  });

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
          .returning(COLUMNS)
          .executeTakeFirstOrThrow();
        const created = toProduct(row);
        await record(trx, actor, created, 'added');
        return created;
      });
      return afterSave(
        reply,
        data,
        { list: LIST, change: changeUrl(product.id), add: ADD },
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
          .returning(COLUMNS)
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
        { list: LIST, change: changeUrl(updated.id), add: ADD },
        `The product “${updated.name}” was changed successfully.`,
      );
    },
  });

  registerDeletePage(admin, 'products', deleter, CRUMBS);
}
