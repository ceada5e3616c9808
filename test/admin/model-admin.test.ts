// The generic admin engine (modelAdmin) driven by a definition of its own over the seed's products
// table: per-action permissions, read-only and per-user editable fields, word-by-word search,
// hooks that refuse or change a save, related objects on the delete page, and the save, the
// hooks' work and the log entry committing (or rolling back) together, on both databases.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { modelAdmin } from '../../src/admin/index.js';
import { errorHandler } from '../../src/http/error-handler.js';
import { keygatePlugin } from '../../src/plugin/keygate-plugin.js';
import type { ProductRow } from '../../src/products/product-table.js';
import { nowTimestamp } from '../../src/time.js';
import { describeEachDialect, uniqueName, type DialectContext } from '../helpers.js';
import { SessionClient } from '../sessions/session-client.js';

const PASSWORD = 'correct horse battery';

/** A section over the products table that exercises the engine's options and hooks. */
const itemAdmin = modelAdmin<ProductRow>({
  slug: 'items',
  name: 'Items',
  singular: 'item',
  contentType: 'item',
  app: { label: 'store', name: 'Store' },
  table: 'products',
  columns: ['id', 'name', 'description', 'price_cents', 'stock', 'created', 'updated'],
  objectRepr: (row) => `Item ${row.name}`,
  listDisplay: [
    { label: 'Name', cell: (row) => row.name, sort: { key: 'name', column: 'name' } },
    {
      label: 'In stock',
      cell: (row) => ({ text: row.stock > 0 ? 'Yes' : 'No', flag: row.stock > 0 }),
      sort: { key: 'stock', column: 'stock' },
    },
  ],
  searchFields: ['name', 'description'],
  searchWords: 3,
  listFilter: [
    {
      param: 'stocked',
      title: 'By stock',
      choices: [{ value: 'yes', label: 'Stocked' }],
      where: (eb) => eb('stock', '>', 0),
    },
  ],
  ordering: { key: 'name', descending: false },
  fields: [
    {
      name: 'name',
      label: 'Name',
      kind: 'text',
      required: true,
      show: (row) => row.name,
      parse: (raw) => (raw?.trim() ? { value: raw.trim() } : { errors: ['Give it a name.'] }),
    },
    {
      name: 'stock',
      label: 'Stock',
      kind: 'number',
      default: 0,
      show: (row) => String(row.stock),
      parse: (raw) =>
        raw === undefined || raw === ''
          ? null
          : /^\d+$/.test(raw)
            ? { value: Number(raw) }
            : { errors: ['Digits only.'] },
      // Only superusers set stock.
      editable: (user) => user.isSuperuser,
    },
    { readonly: true, name: 'created', label: 'Created', show: (row) => `since ${row.created.slice(0, 4)}` },
  ],
  hasAddPermission: (user) => user.isSuperuser,
  hasDeletePermission: (_user, row) => row === undefined || row.stock === 0,
  permissionDeniedMessage: 'Stocked items stay.',
  beforeSave(values, { row }) {
    if (values.name === 'forbidden') return { errors: { name: ['That name is taken by policy.'] } };
    const now = nowTimestamp();
    return {
      values: {
        ...values,
        price_cents: 100,
        ...(row === undefined && { created: now, description: '' }),
        updated: now,
      },
    };
  },
  async afterSave(row, { trx }) {
    // A hook's own write in the save's transaction: a failure undoes the save and its log entry.
    if (row.name === 'explode') throw new Error('afterSave failed');
    await trx
      .updateTable('products')
      .set({ description: `saved as ${row.name}` })
      .where('id', '=', row.id)
      .execute();
  },
  deleteRelated: (ids) => Promise.resolve(new Map(ids.map((id) => [id, [`Shelf of ${id}`]]))),
});

describeEachDialect('modelAdmin engine', (ctx: () => DialectContext) => {
  let app: FastifyInstance;
  let root: SessionClient;
  let staff: SessionClient;

  async function login(isSuperuser: boolean): Promise<SessionClient> {
    const username = uniqueName(isSuperuser ? 'root' : 'staff');
    await ctx().keygate.users.createUser({ username, password: PASSWORD, isStaff: true, isSuperuser });
    const client = new SessionClient(app, { accept: 'text/html' });
    const response = await client.postForm('/admin/login/', {
      username,
      password: PASSWORD,
      next: '/admin/',
    });
    assert.equal(response.statusCode, 302);
    return client;
  }

  const log = () =>
    ctx()
      .keygate.database.db.selectFrom('admin_log')
      .selectAll()
      .where('content_type', '=', 'item')
      .orderBy('id')
      .execute();
  const products = () =>
    ctx()
      .keygate.database.db.withTables<{ products: ProductRow }>()
      .selectFrom('products')
      .selectAll()
      .orderBy('id')
      .execute();

  before(async () => {
    app = Fastify({ logger: false });
    app.setErrorHandler(errorHandler);
    await app.register(keygatePlugin, {
      keygate: ctx().keygate,
      sessions: true,
      admin: { sections: [itemAdmin] },
    });
    await app.ready();
    root = await login(true);
    staff = await login(false);
  });

  after(() => app.close());

  it('adds for whoever may add, with defaults, hook values and one log entry; refuses others', async () => {
    const list = await staff.send({ method: 'GET', url: '/admin/items/' });
    assert.equal(list.statusCode, 200);
    assert.doesNotMatch(list.body, /Add item/, 'no add button without add permission');
    assert.equal((await staff.send({ method: 'GET', url: '/admin/items/add/' })).statusCode, 403);

    const form = await root.send({ method: 'GET', url: '/admin/items/add/' });
    assert.match(form.body, /name="stock"/);
    assert.doesNotMatch(form.body, /id_created/, 'read-only fields are on the change form only');
    const added = await root.postForm('/admin/items/add/', { name: ' Lamp ', _continue: '1' });
    assert.equal(added.statusCode, 302);
    const [row] = await products();
    assert.equal(row?.name, 'Lamp');
    assert.equal(Number(row?.stock), 0, "the field's default");
    assert.equal(Number(row?.price_cents), 100, "beforeSave's value");
    assert.equal(row?.description, 'saved as Lamp', "afterSave's write");
    assert.equal(added.headers.location, `/admin/items/${row?.id}/change/`);
    const entries = await log();
    assert.deepEqual(
      entries.map((e) => [Number(e.action_flag), e.object_repr]),
      [[1, 'Item Lamp']],
    );
  });

  it('shows errors beside fields, from parse and from beforeSave, and writes nothing', async () => {
    const before = (await log()).length;
    const empty = await root.postForm('/admin/items/add/', { name: '', stock: 'x' });
    assert.equal(empty.statusCode, 200);
    assert.match(empty.body, /id="id_name-errors">\s*<li>Give it a name\.<\/li>/);
    assert.match(empty.body, /id="id_stock-errors">\s*<li>Digits only\.<\/li>/);
    const refused = await root.postForm('/admin/items/add/', { name: 'forbidden' });
    assert.match(refused.body, /That name is taken by policy\./);
    assert.equal((await log()).length, before);
    assert.ok((await products()).every((p) => p.name !== 'forbidden'));
  });

  it('rolls the save and its log entry back when a hook fails in the transaction', async () => {
    const [lamp] = await products();
    const before = (await log()).length;
    const failed = await root.postForm(`/admin/items/${lamp!.id}/change/`, { name: 'explode', stock: '3' });
    assert.equal(failed.statusCode, 500);
    const [after] = await products();
    assert.equal(after?.name, 'Lamp');
    assert.equal((await log()).length, before);
  });

  it('shows read-only fields and ignores what a user may not edit; logs what changed', async () => {
    const [lamp] = await products();
    const url = `/admin/items/${lamp!.id}/change/`;
    const page = await staff.send({ method: 'GET', url });
    assert.match(page.body, /id="id_created" name="created" type="text" value="since \d{4}" disabled/);
    assert.match(page.body, /id="id_stock" name="stock" type="text" value="0" disabled/);
    const saved = await staff.postForm(url, { name: 'Desk lamp', stock: '9', created: 'x' });
    assert.equal(saved.statusCode, 302);
    const [after] = await products();
    assert.equal(after?.name, 'Desk lamp');
    assert.equal(Number(after?.stock), 0, 'stock is not editable by this user');
    const rootSave = await root.postForm(url, { name: 'Desk lamp', stock: '4' });
    assert.equal(rootSave.statusCode, 302);
    assert.deepEqual(
      (await log()).slice(-2).map((e) => e.change_message),
      ['Changed name.', 'Changed stock.'],
    );
  });

  it('searches word by word, filters and sorts', async () => {
    await root.postForm('/admin/items/add/', { name: 'Desk chair', stock: '0' });
    await root.postForm('/admin/items/add/', { name: 'Garden chair', stock: '2' });
    const names = async (query: string) => {
      const page = await root.send({ method: 'GET', url: `/admin/items/${query}` });
      assert.equal(page.statusCode, 200, query);
      return [...page.body.matchAll(/<a href="\/admin\/items\/\d+\/change\/">([^<]*)<\/a>/g)].map(
        (m) => m[1],
      );
    };
    assert.deepEqual(await names('?q=chair+desk'), ['Desk chair']);
    assert.deepEqual(await names('?q=CHAIR'), ['Desk chair', 'Garden chair']);
    assert.deepEqual(await names('?stocked=yes&o=-stock'), ['Desk lamp', 'Garden chair']);
    assert.deepEqual(await names('?o=-name'), ['Garden chair', 'Desk lamp', 'Desk chair']);
  });

  it('deletes only what the permission allows, listing related objects, with a log entry each', async () => {
    const rows = await products();
    const chair = rows.find((p) => p.name === 'Desk chair')!;
    const lamp = rows.find((p) => p.name === 'Desk lamp')!;
    const refused = await root.send({ method: 'GET', url: `/admin/items/${lamp.id}/delete/` });
    assert.equal(refused.statusCode, 403);
    assert.match(refused.body, /Stocked items stay\./);
    const ask = await root.send({ method: 'GET', url: `/admin/items/${chair.id}/delete/` });
    assert.equal(ask.statusCode, 200);
    assert.match(ask.body, new RegExp(`Shelf of ${chair.id}`));
    const token = await root.tokenFrom('/admin/items/');
    const bulk = await root.send({
      method: 'POST',
      url: '/admin/items/',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams([
        ['action', 'delete_selected'],
        ['_selected_action', String(chair.id)],
        ['_selected_action', String(lamp.id)],
        ['csrfmiddlewaretoken', token],
      ]).toString(),
    });
    assert.equal(bulk.statusCode, 403, 'one protected row refuses the whole action');
    const deleted = await root.postForm(`/admin/items/${chair.id}/delete/`, {});
    assert.equal(deleted.statusCode, 302);
    assert.ok((await products()).every((p) => p.id !== chair.id));
    assert.deepEqual((await log()).at(-1)?.object_repr, 'Item Desk chair');
    assert.equal(Number((await log()).at(-1)?.action_flag), 3);
  });
});
