// Models defined with defineModel, served by the keygate plugin: DRF's routes, field errors,
// permissions (owner only, read-only for others), pagination, search, ordering, OPTIONS and OpenAPI.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { keygatePlugin, openKeygate, type Keygate } from '../../src/index.js';
import { createTestDatabase, POSTGRES_AVAILABLE, type TestDatabase } from '../helpers.js';
import { inventoryMigrations, movements, notes, warehouses } from './inventory-models.js';

const NOT_PROVIDED = '{"detail":"Authentication credentials were not provided."}';
const FORBIDDEN = '{"detail":"You do not have permission to perform this action."}';

/** An object as the API shows it (the fields the tests read). */
interface Row {
  readonly id: number;
  readonly name: string;
  readonly city: string;
  readonly capacity: number;
  readonly active: boolean;
  readonly owner: number;
  readonly created: string;
  readonly warehouse: number;
  readonly unit_cost: string;
  readonly moved_at: string;
}

interface OpenApi {
  readonly paths: Record<string, Record<string, { requestBody?: unknown }>>;
  readonly components: { readonly schemas: Record<string, unknown> };
}

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe(
    `defineModel over HTTP [${dialect}]`,
    { skip: dialect === 'postgres' && !POSTGRES_AVAILABLE },
    () => {
      let database: TestDatabase;
      let keygate: Keygate;
      let app: FastifyInstance;
      const tokens: Record<'alice' | 'bob', string> = { alice: '', bob: '' };
      const ids: Record<'alice' | 'bob', number> = { alice: 0, bob: 0 };

      before(async () => {
        database = await createTestDatabase(dialect);
        keygate = openKeygate({ database: database.url, migrations: inventoryMigrations });
        await keygate.migrate();
        for (const name of ['alice', 'bob'] as const) {
          const user = await keygate.users.createUser({
            username: name,
            password: 'correct horse battery staple',
          });
          ids[name] = user.id;
          tokens[name] = (await keygate.tokens.issueForLogin(user)).key;
        }
        app = Fastify();
        await app.register(keygatePlugin, {
          keygate,
          sessions: true,
          browsableApi: true,
          api: { prefix: '/api', resources: [warehouses, movements, notes] },
          docs: { title: 'Inventory', version: '1.0.0' },
        });
        await app.ready();
      });

      after(async () => {
        await app?.close();
        await keygate?.close();
        await database?.drop();
      });

      const send = (method: string, url: string, who?: 'alice' | 'bob', payload?: unknown) =>
        app.inject({
          method: method as 'GET',
          url,
          headers: { ...(who && { authorization: `Token ${tokens[who]}` }) },
          ...(payload !== undefined && { payload: payload as object }),
        });

      it('lists the models in the API root', async () => {
        const root = await send('GET', '/api/');
        assert.equal(root.statusCode, 200);
        assert.deepEqual(Object.keys(root.json<object>()), ['warehouses', 'movements', 'notes']);
      });

      it('refuses an anonymous write with DRF 401 and WWW-Authenticate: Token; reads are open', async () => {
        const refused = await send('POST', '/api/warehouses/', undefined, { name: 'North' });
        assert.equal(refused.statusCode, 401);
        assert.equal(refused.body, NOT_PROVIDED);
        assert.equal(refused.headers['www-authenticate'], 'Token');
        const list = await send('GET', '/api/warehouses/');
        assert.equal(list.statusCode, 200);
        assert.deepEqual(list.json<unknown>(), { count: 0, next: null, previous: null, results: [] });
        const movementsList = await send('GET', '/api/movements/');
        assert.equal(movementsList.statusCode, 401);
      });

      it('creates with defaults, the owner from the token and the creation time', async () => {
        const created = await send('POST', '/api/warehouses/', 'alice', { name: '  North  ' });
        assert.equal(created.statusCode, 201, created.body);
        const body = created.json<Row>();
        assert.deepEqual(Object.keys(body), ['id', 'name', 'city', 'capacity', 'active', 'owner', 'created']);
        assert.equal(body.name, 'North');
        assert.equal(body.city, '');
        assert.equal(body.capacity, 0);
        assert.equal(body.active, true);
        assert.equal(body.owner, ids.alice);
        assert.match(body.created, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
        const fetched = await send('GET', `/api/warehouses/${body.id}/`);
        assert.deepEqual(fetched.json<unknown>(), body);
      });

      it("answers DRF's field errors, in field order", async () => {
        const bad = await send('POST', '/api/warehouses/', 'alice', {
          name: '',
          capacity: -1,
          active: 'maybe',
          owner: ids.bob,
        });
        assert.equal(bad.statusCode, 400);
        assert.equal(
          bad.body,
          '{"name":["This field may not be blank."],"capacity":["Ensure this value is greater than or equal to 0."],' +
            '"active":["Must be a valid boolean."]}',
        );
        const missing = await send('POST', '/api/movements/', 'alice', {});
        assert.equal(
          missing.body,
          '{"warehouse":["This field is required."],"sku":["This field is required."],' +
            '"quantity":["This field is required."],"unit_cost":["This field is required."],' +
            '"moved_at":["This field is required."]}',
        );
        const wrong = await send('POST', '/api/movements/', 'alice', {
          warehouse: 999,
          sku: 'A-1',
          quantity: '3.5',
          unit_cost: '1.234',
          moved_at: 'yesterday',
        });
        assert.equal(
          wrong.body,
          '{"warehouse":["Invalid pk \\"999\\" - object does not exist."],' +
            '"quantity":["A valid integer is required."],' +
            '"unit_cost":["Ensure that there are no more than 2 decimal places."],' +
            '"moved_at":["Datetime has wrong format. Use one of these formats instead: ' +
            'YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]."]}',
        );
        const typed = await send('POST', '/api/movements/', 'alice', { warehouse: true });
        assert.match(typed.body, /"warehouse":\["Incorrect type\. Expected pk value, received bool\."\]/);
      });

      it('lets only the owner change a warehouse; anyone may read it', async () => {
        const mine = (
          await send('POST', '/api/warehouses/', 'alice', { name: 'East', city: 'Oslo' })
        ).json<Row>();
        const url = `/api/warehouses/${mine.id}/`;
        const denied = await send('PATCH', url, 'bob', { capacity: 5 });
        assert.equal(denied.statusCode, 403);
        assert.equal(denied.body, FORBIDDEN);
        assert.equal((await send('DELETE', url, 'bob')).statusCode, 403);
        assert.equal((await send('GET', url, 'bob')).statusCode, 200);
        const changed = await send('PATCH', url, 'alice', { capacity: 5 });
        assert.equal(changed.statusCode, 200);
        assert.equal(changed.json<Row>().capacity, 5);
        assert.equal(changed.json<Row>().owner, ids.alice, 'the owner is not writable');
      });

      it('hides a movement from everyone but its owner (object permission), and stores decimals exactly', async () => {
        const warehouse = (await send('POST', '/api/warehouses/', 'alice', { name: 'West' })).json<Row>();
        const created = await send('POST', '/api/movements/', 'alice', {
          warehouse: String(warehouse.id),
          sku: 'SKU-9',
          quantity: 12,
          unit_cost: 19.9,
          moved_at: '2026-12-06T10:00:00+01:00',
        });
        assert.equal(created.statusCode, 201, created.body);
        const movement = created.json<Row>();
        assert.equal(movement.warehouse, warehouse.id);
        assert.equal(movement.unit_cost, '19.90');
        assert.equal(movement.moved_at, '2026-12-06T09:00:00Z');
        const url = `/api/movements/${movement.id}/`;
        assert.equal((await send('GET', url, 'bob')).body, FORBIDDEN);
        assert.equal((await send('GET', url, 'alice')).statusCode, 200);
        assert.equal((await send('DELETE', url, 'bob')).statusCode, 403);
        assert.equal((await send('DELETE', url, 'alice')).statusCode, 204);
        assert.equal((await send('GET', url, 'alice')).statusCode, 404);
      });

      it('searches, orders and pages by page number', async () => {
        for (const [name, city, capacity] of [
          ['Alpha depot', 'Bergen', 30],
          ['Beta depot', 'Bergen', 10],
          ['Gamma 100%_store', 'Trondheim', 20],
        ] as const) {
          assert.equal(
            (await send('POST', '/api/warehouses/', 'bob', { name, city, capacity })).statusCode,
            201,
          );
        }
        const bergen = await send('GET', '/api/warehouses/?search=bergen&ordering=-capacity');
        assert.deepEqual(
          bergen.json<{ results: Row[] }>().results.map((w) => w.name),
          ['Alpha depot', 'Beta depot'],
        );
        const literal = await send('GET', '/api/warehouses/?search=100%25_');
        assert.deepEqual(
          literal.json<{ results: Row[] }>().results.map((w) => w.name),
          ['Gamma 100%_store'],
        );
        const byName = await send('GET', '/api/warehouses/');
        const names = byName.json<{ results: Row[] }>().results.map((w) => w.name);
        assert.deepEqual(names, [...names].sort(), 'the default ordering is by name');
        assert.equal((await send('GET', '/api/warehouses/?page=9')).body, '{"detail":"Invalid page."}');
      });

      it('gives the browsable API a form from the fields; a form without the box is false', async () => {
        const page = await app.inject({
          url: '/api/warehouses/',
          headers: { accept: 'text/html', authorization: `Token ${tokens.alice}` },
        });
        assert.equal(page.statusCode, 200);
        assert.match(
          page.body,
          /<input id="field-active" name="active" type="checkbox" inputmode="text" value="on">/,
        );
        assert.match(page.body, /<input id="field-capacity" name="capacity" type="number"/);
        assert.doesNotMatch(page.body, /name="owner"/, 'read-only fields are not on the form');
        const posted = await app.inject({
          method: 'POST',
          url: '/api/warehouses/',
          headers: {
            authorization: `Token ${tokens.alice}`,
            'content-type': 'application/x-www-form-urlencoded',
          },
          payload: 'name=Form+depot&capacity=',
        });
        assert.equal(posted.statusCode, 201, posted.body);
        assert.equal(posted.json<Row>().active, false, "DRF's BooleanField: an absent box is False");
        assert.equal(posted.json<Row>().capacity, 0, 'an empty optional number is the default');
      });

      it("ownedBy: each user lists and finds only their own; another's is a 404", async () => {
        const mine = (await send('POST', '/api/notes/', 'alice', { text: 'alice secret' })).json<Row>();
        await send('POST', '/api/notes/', 'bob', { text: 'bob secret' });
        const list = (who: 'alice' | 'bob', query = '') =>
          send('GET', `/api/notes/${query}`, who).then((r) =>
            r.json<{ count: number; results: { text: string }[] }>(),
          );
        assert.deepEqual(
          (await list('alice')).results.map((n) => n.text),
          ['alice secret'],
        );
        assert.deepEqual(
          (await list('bob', '?search=secret')).results.map((n) => n.text),
          ['bob secret'],
        );
        assert.equal((await list('bob', '?search=alice')).count, 0);
        const url = `/api/notes/${mine.id}/`;
        for (const method of ['GET', 'PUT', 'PATCH', 'DELETE']) {
          const response = await send(method, url, 'bob', { text: 'taken' });
          assert.equal(response.statusCode, 404, method);
          assert.equal(response.body, '{"detail":"Not found."}');
        }
        assert.equal((await send('GET', url, 'alice')).statusCode, 200);
        assert.equal((await send('GET', '/api/notes/')).statusCode, 401);
      });

      it('describes the fields in OPTIONS and the OpenAPI document', async () => {
        const options = await send('OPTIONS', '/api/movements/', 'alice');
        const post = options.json<{ actions: { POST: Record<string, Record<string, unknown>> } }>().actions
          .POST;
        assert.deepEqual(Object.keys(post), [
          'id',
          'warehouse',
          'sku',
          'quantity',
          'unit_cost',
          'note',
          'moved_at',
          'owner',
        ]);
        assert.deepEqual(post.sku, {
          type: 'string',
          required: true,
          read_only: false,
          label: 'SKU',
          max_length: 32,
        });
        assert.equal(post.owner?.read_only, true);
        const document = (await send('GET', '/openapi.json')).json<OpenApi>();
        assert.ok(document.paths['/api/warehouses/'], 'the list is documented');
        assert.ok(document.components.schemas.StockMovement, 'the item schema is documented');
        assert.ok(document.paths['/api/movements/']?.post?.requestBody, 'the body is documented');
      });
    },
  );
}
