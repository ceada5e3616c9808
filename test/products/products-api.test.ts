// WIRE.md's "Products" section, row by row and message by message, through the real app on both databases.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { nowTimestamp } from '../../src/time.js';
import { describeEachDialect, uniqueName, type DialectContext } from '../helpers.js';
import {
  type ProductBody,
  REQUIRED,
  BLANK,
  NULL,
  NOT_A_STRING,
  INVALID_NUMBER,
  INVALID_INTEGER,
} from './product-support.js';
import type { ProductTables } from '../../src/products/product-table.js';

/** WIRE.md: ISO 8601 UTC with microseconds. */
const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;
const FIELD_ORDER = ['id', 'name', 'description', 'price', 'stock', 'created', 'updated'];
const HOST = 'api.example.com:8000';
const BASE = `http://${HOST}/product_api/`;
const NOT_FOUND = JSON.stringify({ detail: 'Not found.' });
const NAME_TOO_LONG = 'Ensure this field has no more than 100 characters.';

/** A LimitOffset page as the API returns it. */
interface PageBody {
  count: number;
  next: string | null;
  previous: string | null;
  results: ProductBody[];
}

const VALID = Object.freeze({ name: 'Coffee', description: 'Beans', price: '20.48', stock: 7 });

/** A multipart/form-data body of plain fields, as browsers and curl -F send it. */
function multipart(fields: readonly (readonly [string, string])[]): { body: string; contentType: string } {
  const boundary = '----keygate-test-boundary';
  const parts = fields.map(
    ([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
  );
  return {
    body: `${parts.join('')}--${boundary}--\r\n`,
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

describeEachDialect(
  'Products API',
  (ctx: () => DialectContext) => {
    let authorization: string;

    before(async () => {
      const user = await ctx().keygate.users.createUser({
        username: uniqueName('alice'),
        password: 'correct horse',
        email: 'alice@example.com',
      });
      authorization = `Token ${(await ctx().keygate.tokens.getOrCreate(user)).key}`;
    });

    /** Sends an authenticated request; `payload` objects go as JSON, strings as given. */
    async function send(
      method: InjectOptions['method'],
      url: string,
      payload?: unknown,
      headers: Record<string, string> = {},
    ): Promise<LightMyRequestResponse> {
      return ctx().app.inject({
        method,
        url,
        headers: { authorization, host: HOST, ...headers },
        ...(payload !== undefined && { payload: payload as InjectOptions['payload'] }),
      });
    }

    /** A raw JSON text body (for what JSON.stringify cannot write: `5.0`, `1e2`, `"\ud800"`). */
    function sendRawJson(method: InjectOptions['method'], url: string, text: string) {
      return send(method, url, text, { 'content-type': 'application/json' });
    }

    async function create(fields: Record<string, unknown> = VALID): Promise<ProductBody> {
      const response = await send('POST', '/product_api/', fields);
      assert.equal(response.statusCode, 201, response.body);
      return response.json<ProductBody>();
    }

    /** Asserts a 400 whose body is exactly `errors`, key order included. */
    function assertErrors(response: LightMyRequestResponse, errors: Record<string, string[]>): void {
      assert.equal(response.statusCode, 400, response.body);
      assert.equal(response.headers['content-type'], 'application/json');
      assert.equal(response.body, JSON.stringify(errors));
    }

    /** POSTs VALID with `overrides` and expects the field errors. */
    async function expectCreateErrors(overrides: Record<string, unknown>, errors: Record<string, string[]>) {
      assertErrors(await send('POST', '/product_api/', { ...VALID, ...overrides }), errors);
    }

    /** POSTs VALID with one field replaced and returns what was stored for it. */
    async function accepted<K extends keyof ProductBody>(field: K, value: unknown): Promise<ProductBody[K]> {
      const product = await create({ ...VALID, [field]: value });
      const stored = await send('GET', `/product_api/${product.id}/`);
      assert.equal(stored.json<ProductBody>()[field], product[field], 'stored value differs from the 201');
      return product[field];
    }

    async function clearProducts(): Promise<void> {
      await ctx().keygate.database.db.withTables<ProductTables>().deleteFrom('products').execute();
    }

    /** Inserts `n` products directly (fast), returning their ids in ascending order. */
    async function seedProducts(n: number): Promise<number[]> {
      const now = nowTimestamp();
      const rows = Array.from({ length: n }, (_, i) => ({
        name: `Product ${i}`,
        description: 'seeded',
        price_cents: 100 + i,
        stock: i,
        created: now,
        updated: now,
      }));
      const inserted = await ctx()
        .keygate.database.db.withTables<ProductTables>()
        .insertInto('products')
        .values(rows)
        .returning('id')
        .execute();
      return inserted.map((row) => Number(row.id)).sort((a, b) => a - b);
    }

    async function page(query: string): Promise<PageBody> {
      const response = await send('GET', `/product_api/${query}`);
      assert.equal(response.statusCode, 200, response.body);
      return response.json<PageBody>();
    }

    describe('actions', () => {
      it('POST list: 201 with the object in field order, no Location header', async () => {
        const response = await send('POST', '/product_api/', VALID);
        assert.equal(response.statusCode, 201, response.body);
        assert.equal(response.headers.location, undefined);
        assert.equal(response.headers['content-type'], 'application/json');
        const product = response.json<ProductBody>();
        assert.deepEqual(Object.keys(product), FIELD_ORDER);
        assert.ok(Number.isInteger(product.id) && product.id > 0);
        assert.match(product.created, TIMESTAMP);
        assert.match(product.updated, TIMESTAMP);
        assert.equal(
          response.body,
          `{"id":${product.id},"name":"Coffee","description":"Beans","price":"20.48","stock":7,` +
            `"created":"${product.created}","updated":"${product.updated}"}`,
        );
      });

      it('GET detail: 200 with the same object', async () => {
        const product = await create();
        const response = await send('GET', `/product_api/${product.id}/`);
        assert.equal(response.statusCode, 200);
        assert.equal(response.headers['content-type'], 'application/json');
        assert.deepEqual(Object.keys(response.json<ProductBody>()), FIELD_ORDER);
        assert.deepEqual(response.json(), product);
      });

      it('PUT detail: 200, every field replaced, id and created kept', async () => {
        const product = await create();
        const response = await send('PUT', `/product_api/${product.id}/`, {
          name: 'Tea',
          description: 'Leaves',
          price: '3.50',
          stock: 12,
        });
        assert.equal(response.statusCode, 200, response.body);
        const updated = response.json<ProductBody>();
        assert.deepEqual(Object.keys(updated), FIELD_ORDER);
        assert.deepEqual(
          { ...updated, updated: undefined },
          { ...product, name: 'Tea', description: 'Leaves', price: '3.50', stock: 12, updated: undefined },
        );
        assert.deepEqual((await send('GET', `/product_api/${product.id}/`)).json(), updated);
      });

      it('PUT needs every required field (it is not a partial update): name and price', async () => {
        const product = await create();
        assertErrors(await send('PUT', `/product_api/${product.id}/`, { description: 'Only this' }), {
          name: [REQUIRED],
          price: [REQUIRED],
        });
        assert.deepEqual((await send('GET', `/product_api/${product.id}/`)).json(), product);
      });

      it('PATCH detail: 200, only the given fields change; updated moves, created does not', async () => {
        const product = await create();
        await sleep(5);
        const response = await send('PATCH', `/product_api/${product.id}/`, { stock: 3 });
        assert.equal(response.statusCode, 200, response.body);
        const patched = response.json<ProductBody>();
        assert.deepEqual(Object.keys(patched), FIELD_ORDER);
        assert.equal(patched.stock, 3);
        assert.equal(patched.name, product.name);
        assert.equal(patched.description, product.description);
        assert.equal(patched.price, product.price);
        assert.equal(patched.created, product.created);
        assert.match(patched.updated, TIMESTAMP);
        assert.notEqual(patched.updated, product.updated);
        assert.ok(patched.updated > product.updated, `${patched.updated} should follow ${product.updated}`);
        assert.deepEqual((await send('GET', `/product_api/${product.id}/`)).json(), patched);
      });

      it('PATCH with an empty object changes nothing but updated', async () => {
        const product = await create();
        const response = await send('PATCH', `/product_api/${product.id}/`, {});
        assert.equal(response.statusCode, 200, response.body);
        assert.deepEqual({ ...response.json<ProductBody>(), updated: '' }, { ...product, updated: '' });
      });

      it('PATCH validates only the given fields', async () => {
        const product = await create();
        assertErrors(await send('PATCH', `/product_api/${product.id}/`, { price: 'x' }), {
          price: [INVALID_NUMBER],
        });
        assert.deepEqual((await send('GET', `/product_api/${product.id}/`)).json(), product);
      });

      it('DELETE detail: 204 with an empty body; the product is gone', async () => {
        const product = await create();
        const response = await send('DELETE', `/product_api/${product.id}/`);
        assert.equal(response.statusCode, 204);
        assert.equal(response.body, '');
        assert.equal(response.headers['content-type'], undefined);
        const after = await send('GET', `/product_api/${product.id}/`);
        assert.equal(after.statusCode, 404);
        assert.equal(after.body, NOT_FOUND);
        assert.equal((await send('DELETE', `/product_api/${product.id}/`)).statusCode, 404);
      });

      it('unknown id and non-numeric ids (/abc/, /-1/, /1.5/): 404 Not found. for every method', async () => {
        const product = await create();
        const ids = [
          '987654321',
          'abc',
          '-1',
          '1.5',
          `${product.id}.5`,
          '0',
          '2147483648',
          '99999999999999999999',
        ];
        for (const id of ids) {
          for (const method of ['GET', 'PUT', 'PATCH', 'DELETE'] as const) {
            const response = await send(
              method,
              `/product_api/${id}/`,
              method === 'PUT' || method === 'PATCH' ? VALID : undefined,
            );
            assert.equal(response.statusCode, 404, `${method} /product_api/${id}/: ${response.body}`);
            assert.equal(response.headers['content-type'], 'application/json');
            assert.equal(response.body, NOT_FOUND, `${method} /product_api/${id}/`);
          }
        }
        assert.deepEqual((await send('GET', `/product_api/${product.id}/`)).json(), product);
      });

      it('PUT on an unknown id does not create', async () => {
        const countBefore = (await page('')).count;
        const id = 424242;
        const response = await send('PUT', `/product_api/${id}/`, VALID);
        assert.equal(response.statusCode, 404);
        assert.equal(response.body, NOT_FOUND);
        assert.equal((await send('GET', `/product_api/${id}/`)).statusCode, 404);
        assert.equal((await page('')).count, countBefore);
      });

      it('missing trailing slash: 301 to the slashed path for every method, query string kept', async () => {
        const product = await create();
        for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const) {
          for (const [from, to] of [
            ['/product_api', '/product_api/'],
            ['/product_api?limit=5&offset=10', '/product_api/?limit=5&offset=10'],
            [`/product_api/${product.id}`, `/product_api/${product.id}/`],
          ] as const) {
            const withBody = method === 'POST' || method === 'PUT' || method === 'PATCH';
            const response = await send(method, from, withBody ? VALID : undefined);
            assert.equal(response.statusCode, 301, `${method} ${from}`);
            assert.equal(response.headers.location, to, `${method} ${from}`);
          }
        }
        // Django's APPEND_SLASH answers before any view, so no credentials are needed for the redirect.
        const anonymous = await ctx().app.inject({
          method: 'POST',
          url: '/product_api',
          headers: { host: HOST },
        });
        assert.equal(anonymous.statusCode, 301);
        assert.equal(anonymous.headers.location, '/product_api/');
        // Nothing was created, changed or deleted through the redirects.
        assert.deepEqual((await send('GET', `/product_api/${product.id}/`)).json(), product);
      });

      it('405 for PUT on the list and POST on the detail, with the exact bodies', async () => {
        const product = await create();
        const put = await send('PUT', '/product_api/', VALID);
        assert.equal(put.statusCode, 405);
        assert.equal(put.headers['content-type'], 'application/json');
        assert.equal(put.body, '{"detail":"Method \\"PUT\\" not allowed."}');
        assert.equal(put.headers.allow, 'GET, POST, HEAD, OPTIONS');
        const post = await send('POST', `/product_api/${product.id}/`, VALID);
        assert.equal(post.statusCode, 405);
        assert.equal(post.body, '{"detail":"Method \\"POST\\" not allowed."}');
        assert.equal(post.headers.allow, 'GET, PUT, PATCH, DELETE, HEAD, OPTIONS');
        const patchList = await send('PATCH', '/product_api/', VALID);
        assert.equal(patchList.statusCode, 405);
        assert.equal(patchList.body, '{"detail":"Method \\"PATCH\\" not allowed."}');
        const deleteList = await send('DELETE', '/product_api/');
        assert.equal(deleteList.statusCode, 405);
        assert.equal(deleteList.body, '{"detail":"Method \\"DELETE\\" not allowed."}');
      });

      it('checks run in order: authentication, then the method, then the body', async () => {
        const anonymous = (method: 'POST' | 'PUT', payload: string) =>
          ctx().app.inject({
            method,
            url: '/product_api/',
            headers: { host: HOST, 'content-type': 'application/json' },
            payload,
          });
        // An unauthenticated malformed body is a 401, not a 400; an unauthenticated PUT is a 401, not a 405.
        for (const response of [await anonymous('POST', '{"name": '), await anonymous('PUT', '{')]) {
          assert.equal(response.statusCode, 401, response.body);
          assert.equal(response.headers['www-authenticate'], 'Token');
          assert.equal(response.body, '{"detail":"Authentication credentials were not provided."}');
        }
        const invalidFields = await ctx().app.inject({
          method: 'POST',
          url: '/product_api/',
          headers: { host: HOST, authorization: 'Token not-a-key' },
          payload: { name: '' },
        });
        assert.equal(invalidFields.statusCode, 401);
        assert.equal(invalidFields.body, '{"detail":"Invalid token."}');
        // Authenticated: the method is checked before the body is parsed.
        const wrongMethod = await sendRawJson('PUT', '/product_api/', '{');
        assert.equal(wrongMethod.statusCode, 405);
        const malformed = await sendRawJson('POST', '/product_api/', '{');
        assert.equal(malformed.statusCode, 400);
        assert.match(malformed.body, /^\{"detail":"JSON parse error - /);
      });
    });

    describe('list and pagination', () => {
      it('an empty list is a page with count 0', async () => {
        await clearProducts();
        const response = await send('GET', '/product_api/');
        assert.equal(response.statusCode, 200);
        assert.equal(response.headers['content-type'], 'application/json');
        assert.equal(response.body, '{"count":0,"next":null,"previous":null,"results":[]}');
      });

      it('the page shape, a default limit of 100, ordered by id', async () => {
        await clearProducts();
        const ids = await seedProducts(105);
        // Rewrite an early row: PostgreSQL then stores it last, so only ORDER BY id keeps it first.
        const patched = await send('PATCH', `/product_api/${ids[0]}/`, { name: 'Rewritten' });
        assert.equal(patched.statusCode, 200);
        const response = await send('GET', '/product_api/');
        assert.equal(response.statusCode, 200);
        const body = response.json<PageBody>();
        assert.deepEqual(Object.keys(body), ['count', 'next', 'previous', 'results']);
        assert.equal(body.count, 105);
        assert.equal(body.next, `${BASE}?limit=100&offset=100`);
        assert.equal(body.previous, null);
        assert.equal(body.results.length, 100);
        assert.deepEqual(
          body.results.map((p) => p.id),
          ids.slice(0, 100),
        );
        assert.equal(body.results[0]!.name, 'Rewritten');
        for (const product of body.results) assert.deepEqual(Object.keys(product), FIELD_ORDER);

        const last = await page('?offset=100');
        assert.deepEqual(
          last.results.map((p) => p.id),
          ids.slice(100),
        );
        assert.equal(last.next, null);
        assert.equal(last.previous, `${BASE}?limit=100`);
      });

      it('?limit=5&offset=10: next offset=15, previous offset=5 (absolute URLs from the Host header)', async () => {
        const ids = (await page('?limit=200')).results.map((p) => p.id);
        assert.equal(ids.length, 105);
        const body = await page('?limit=5&offset=10');
        assert.equal(body.count, 105);
        assert.equal(body.next, 'http://api.example.com:8000/product_api/?limit=5&offset=15');
        assert.equal(body.previous, 'http://api.example.com:8000/product_api/?limit=5&offset=5');
        assert.deepEqual(
          body.results.map((p) => p.id),
          ids.slice(10, 15),
        );
        // The links follow the Host the client used.
        const localhost = await ctx().app.inject({
          method: 'GET',
          url: '/product_api/?limit=5&offset=10',
          headers: { authorization, host: '127.0.0.1:8000' },
        });
        assert.equal(localhost.json<PageBody>().next, 'http://127.0.0.1:8000/product_api/?limit=5&offset=15');
      });

      it('previous drops offset when it would be <= 0', async () => {
        assert.equal((await page('?limit=5&offset=5')).previous, `${BASE}?limit=5`);
        assert.equal((await page('?limit=5&offset=3')).previous, `${BASE}?limit=5`);
        assert.equal((await page('?limit=5&offset=6')).previous, `${BASE}?limit=5&offset=1`);
        assert.equal((await page('?limit=5&offset=0')).previous, null);
        assert.equal((await page('?limit=5')).previous, null);
        assert.equal((await page('?limit=5')).next, `${BASE}?limit=5&offset=5`);
      });

      it('a limit of 0, negative or non-numeric means the default 100', async () => {
        for (const limit of ['0', '-1', 'abc', '', '1.5']) {
          const body = await page(`?limit=${limit}`);
          assert.equal(body.results.length, 100, `limit=${limit}`);
          assert.equal(body.next, `${BASE}?limit=100&offset=100`, `limit=${limit}`);
        }
      });

      it('other query parameters are kept and the link parameters sorted', async () => {
        const body = await page('?zeta=z&limit=5&offset=10&alpha=a%20b');
        assert.equal(body.next, `${BASE}?alpha=a+b&limit=5&offset=15&zeta=z`);
        assert.equal(body.previous, `${BASE}?alpha=a+b&limit=5&offset=5&zeta=z`);
        const first = await page('?search=x&limit=5&offset=2');
        assert.equal(first.previous, `${BASE}?limit=5&search=x`);
        assert.equal(first.next, `${BASE}?limit=5&offset=7&search=x`);
      });

      it('an offset past the end gives "results":[]', async () => {
        const body = await page('?offset=1000');
        assert.equal(body.count, 105);
        assert.deepEqual(body.results, []);
        assert.equal(body.next, null);
        assert.equal(body.previous, `${BASE}?limit=100&offset=900`);
        const exact = await page('?offset=105');
        assert.deepEqual(exact.results, []);
        assert.equal(exact.next, null);
        // Far past the end, and past a 32-bit integer: still an empty page, never a database error.
        const far = await page('?limit=2147483648&offset=2147483648');
        assert.equal(far.count, 105);
        assert.deepEqual(far.results, []);
        assert.equal(far.next, null);
      });

      it('count stays exact whoever writes: API, multi-row SQL inserts and deletes, TRUNCATE', async () => {
        await clearProducts();
        assert.equal((await page('')).count, 0);
        const ids = await seedProducts(7);
        assert.equal((await send('POST', '/product_api/', VALID)).statusCode, 201);
        assert.equal((await page('?limit=1')).count, 8);
        assert.equal((await send('DELETE', `/product_api/${ids[0]}/`)).statusCode, 204);
        const db = ctx().keygate.database.db.withTables<ProductTables>();
        await db.deleteFrom('products').where('id', 'in', [ids[1]!, ids[2]!]).execute();
        await db.updateTable('products').set({ stock: 1 }).execute();
        assert.equal((await page('?limit=1')).count, 5);
        // A rolled-back insert leaves the count alone.
        await assert.rejects(
          db.transaction().execute(async (trx) => {
            await trx
              .insertInto('products')
              .values({
                name: 'Gone',
                description: '',
                price_cents: 1,
                stock: 1,
                created: nowTimestamp(),
                updated: nowTimestamp(),
              })
              .execute();
            throw new Error('roll back');
          }),
          /roll back/,
        );
        assert.equal((await page('?limit=1')).count, 5);
        if (ctx().dialect === 'postgres') {
          await sql`TRUNCATE products`.execute(db);
          assert.equal((await page('')).count, 0);
        }
      });

      it('leaves an empty table behind', async () => {
        await clearProducts();
        assert.equal((await page('')).count, 0);
      });
    });

    describe('validation', () => {
      it('missing fields: This field is required., in field order (name and price only)', async () => {
        assertErrors(await send('POST', '/product_api/', {}), { name: [REQUIRED], price: [REQUIRED] });
        assertErrors(await send('POST', '/product_api/', { stock: 1, name: 'x' }), { price: [REQUIRED] });
      });

      it('several fields wrong at once: errors in field order, whatever the body order', async () => {
        assertErrors(
          await send('POST', '/product_api/', { stock: -1, price: '1,5', description: null, name: '   ' }),
          {
            name: [BLANK],
            description: [NULL],
            price: [INVALID_NUMBER],
            stock: ['Ensure this value is greater than or equal to 0.'],
          },
        );
      });

      it('blank and whitespace-only names: This field may not be blank. (a blank description is fine)', async () => {
        for (const blank of ['', '   ', '\t\n ']) {
          await expectCreateErrors({ name: blank, description: blank }, { name: [BLANK] });
        }
      });

      it('null: This field may not be null.', async () => {
        assertErrors(
          await send('POST', '/product_api/', { name: null, description: null, price: null, stock: null }),
          { name: [NULL], description: [NULL], price: [NULL], stock: [NULL] },
        );
      });

      it('name is trimmed', async () => {
        assert.equal(await accepted('name', '  Tea  '), 'Tea');
        assert.equal(await accepted('name', '\tTea\n'), 'Tea');
        assert.equal(await accepted('description', '  Green leaves \n'), 'Green leaves');
      });

      it('name length counts code points: 100 are fine, 101 are not', async () => {
        const emoji = '\u{1F600}'; // two UTF-16 code units, one code point
        assert.equal(await accepted('name', emoji.repeat(100)), emoji.repeat(100));
        assert.equal(await accepted('name', `${'a'.repeat(99)}${emoji}`), `${'a'.repeat(99)}${emoji}`);
        assert.equal(await accepted('name', 'a'.repeat(100)), 'a'.repeat(100));
        // Trimmed before it is measured.
        assert.equal(await accepted('name', ` ${'a'.repeat(100)} `), 'a'.repeat(100));
        await expectCreateErrors({ name: emoji.repeat(101) }, { name: [NAME_TOO_LONG] });
        await expectCreateErrors({ name: 'a'.repeat(101) }, { name: [NAME_TOO_LONG] });
      });

      it('a name that is not a string: Not a valid string.; numbers are coerced', async () => {
        for (const value of [true, false, {}, { a: 1 }, [], ['x']]) {
          await expectCreateErrors({ name: value }, { name: [NOT_A_STRING] });
        }
        await expectCreateErrors({ description: true }, { description: [NOT_A_STRING] });
        assert.equal(await accepted('name', 123), '123');
        assert.equal(await accepted('name', 1.5), '1.5');
        assert.equal(await accepted('description', 0), '0');
      });

      it('NUL: Null characters are not allowed.', async () => {
        await expectCreateErrors({ name: 'a\u0000b' }, { name: ['Null characters are not allowed.'] });
        await expectCreateErrors(
          { description: '\u0000' },
          { description: ['Null characters are not allowed.'] },
        );
      });

      it('a lone surrogate: Surrogate characters are not allowed: U+D800.', async () => {
        const response = await sendRawJson(
          'POST',
          '/product_api/',
          '{"name":"\\ud800","description":"Beans","price":"20.48","stock":7}',
        );
        assertErrors(response, { name: ['Surrogate characters are not allowed: U+D800.'] });
        const low = await sendRawJson(
          'POST',
          '/product_api/',
          '{"name":"Coffee","description":"x\\udfffy","price":"20.48","stock":7}',
        );
        assertErrors(low, { description: ['Surrogate characters are not allowed: U+DFFF.'] });
        // A proper pair is one character, not a surrogate.
        const pair = await sendRawJson(
          'POST',
          '/product_api/',
          '{"name":"\\ud83d\\ude00","description":"Beans","price":"20.48","stock":7}',
        );
        assert.equal(pair.statusCode, 201);
        assert.equal(pair.json<ProductBody>().name, '\u{1F600}');
      });

      it('price: "1e3" -> "1000.00", 0.1 -> "0.10", " 5.5 " -> "5.50", and other accepted forms', async () => {
        assert.equal(await accepted('price', '1e3'), '1000.00');
        assert.equal(await accepted('price', 0.1), '0.10');
        assert.equal(await accepted('price', ' 5.5 '), '5.50');
        assert.equal(await accepted('price', 20.48), '20.48');
        assert.equal(await accepted('price', 7), '7.00');
        assert.equal(await accepted('price', '0'), '0.00');
        assert.equal(await accepted('price', '99999999.99'), '99999999.99');
      });

      it('price: "NaN", "1,5", true and other non-numbers: A valid number is required.', async () => {
        // DecimalField has no blank rule: '' and '  ' fail Decimal() like any other non-number.
        for (const value of ['NaN', '1,5', true, false, 'abc', 'Infinity', '-inf', '', '  ', {}, []]) {
          await expectCreateErrors({ price: value }, { price: [INVALID_NUMBER] });
        }
      });

      it('price: "1.234" has too many decimal places', async () => {
        await expectCreateErrors(
          { price: '1.234' },
          { price: ['Ensure that there are no more than 2 decimal places.'] },
        );
        await expectCreateErrors(
          { price: 0.001 },
          { price: ['Ensure that there are no more than 2 decimal places.'] },
        );
      });

      it('price: too many digits in total', async () => {
        for (const value of ['123456789.12', '12345678.901', 12345678901]) {
          await expectCreateErrors(
            { price: value },
            { price: ['Ensure that there are no more than 10 digits in total.'] },
          );
        }
      });

      it('price: "100000000" has too many digits before the decimal point', async () => {
        for (const value of ['100000000', 100000000, '1e8']) {
          await expectCreateErrors(
            { price: value },
            { price: ['Ensure that there are no more than 8 digits before the decimal point.'] },
          );
        }
      });

      it('stock: "7", "+5", "5.0", 5.0 and 1e2 are accepted', async () => {
        assert.equal(await accepted('stock', '7'), 7);
        assert.equal(await accepted('stock', '+5'), 5);
        assert.equal(await accepted('stock', '5.0'), 5);
        assert.equal(await accepted('stock', 0), 0);
        assert.equal(await accepted('stock', 2147483647), 2147483647);
        for (const [text, stock] of [
          ['5.0', 5],
          ['1e2', 100],
        ] as const) {
          const response = await sendRawJson(
            'POST',
            '/product_api/',
            `{"name":"Coffee","description":"Beans","price":"20.48","stock":${text}}`,
          );
          assert.equal(response.statusCode, 201, `stock ${text}: ${response.body}`);
          assert.equal(response.json<ProductBody>().stock, stock);
        }
      });

      it('stock: 1.5, "x", true: A valid integer is required.', async () => {
        for (const value of [1.5, '1.5', 'x', true, false, '', {}, []]) {
          await expectCreateErrors({ stock: value }, { stock: [INVALID_INTEGER] });
        }
      });

      it("stock: negative is refused (a 400, not DRF-on-old-Django's 500)", async () => {
        for (const value of [-1, '-1', -2147483648]) {
          await expectCreateErrors(
            { stock: value },
            { stock: ['Ensure this value is greater than or equal to 0.'] },
          );
        }
      });

      it('stock: above 2147483647 is refused', async () => {
        for (const value of [2147483648, '2147483648', 1e20]) {
          await expectCreateErrors(
            { stock: value },
            { stock: ['Ensure this value is less than or equal to 2147483647.'] },
          );
        }
      });

      it('read-only and unknown fields are silently ignored', async () => {
        const response = await send('POST', '/product_api/', {
          ...VALID,
          id: 999999,
          created: '2000-01-01T00:00:00.000000Z',
          updated: '2000-01-01T00:00:00.000000Z',
          colour: 'red',
        });
        assert.equal(response.statusCode, 201, response.body);
        const product = response.json<ProductBody>();
        assert.notEqual(product.id, 999999);
        assert.notEqual(product.created, '2000-01-01T00:00:00.000000Z');
        assert.notEqual(product.updated, '2000-01-01T00:00:00.000000Z');
        assert.deepEqual(Object.keys(product), FIELD_ORDER);
        assert.equal((await send('GET', '/product_api/999999/')).statusCode, 404);

        const patched = await send('PATCH', `/product_api/${product.id}/`, {
          id: 5,
          created: '2000-01-01T00:00:00.000000Z',
          colour: 'blue',
        });
        assert.equal(patched.statusCode, 200);
        assert.equal(patched.json<ProductBody>().id, product.id);
        assert.equal(patched.json<ProductBody>().created, product.created);

        // Read-only fields that are wrong in type are ignored too, not validated.
        const put = await send('PUT', `/product_api/${product.id}/`, { ...VALID, id: 'x', created: true });
        assert.equal(put.statusCode, 200, put.body);
        assert.equal(put.json<ProductBody>().id, product.id);
      });
    });

    describe('bodies and prices', () => {
      it('a form-encoded POST creates a product', async () => {
        const response = await send(
          'POST',
          '/product_api/',
          'name=Green+Tea&description=Loose%20leaf&price=3.50&stock=4',
          { 'content-type': 'application/x-www-form-urlencoded' },
        );
        assert.equal(response.statusCode, 201, response.body);
        const product = response.json<ProductBody>();
        assert.deepEqual(
          {
            name: product.name,
            description: product.description,
            price: product.price,
            stock: product.stock,
          },
          { name: 'Green Tea', description: 'Loose leaf', price: '3.50', stock: 4 },
        );
      });

      it('a multipart POST creates a product; a form PATCH updates one', async () => {
        const { body, contentType } = multipart([
          ['name', 'Mug'],
          ['description', 'Ceramic'],
          ['price', '9.99'],
          ['stock', '3'],
        ]);
        const response = await send('POST', '/product_api/', body, { 'content-type': contentType });
        assert.equal(response.statusCode, 201, response.body);
        const product = response.json<ProductBody>();
        assert.deepEqual(
          {
            name: product.name,
            description: product.description,
            price: product.price,
            stock: product.stock,
          },
          { name: 'Mug', description: 'Ceramic', price: '9.99', stock: 3 },
        );
        const patched = await send('PATCH', `/product_api/${product.id}/`, 'stock=8', {
          'content-type': 'application/x-www-form-urlencoded',
        });
        assert.equal(patched.statusCode, 200, patched.body);
        assert.equal(patched.json<ProductBody>().stock, 8);
        assert.equal(patched.json<ProductBody>().name, 'Mug');
      });

      it('form bodies are validated with the same messages', async () => {
        const response = await send('POST', '/product_api/', 'name=&price=1.234&stock=-3', {
          'content-type': 'application/x-www-form-urlencoded',
        });
        assertErrors(response, {
          name: [BLANK],
          price: ['Ensure that there are no more than 2 decimal places.'],
          stock: ['Ensure this value is greater than or equal to 0.'],
        });
      });

      it('a repeated form field gives its last value (Django QueryDict), urlencoded and multipart', async () => {
        const form = await send(
          'POST',
          '/product_api/',
          'name=First&name=Last&description=d&price=1&stock=1',
          {
            'content-type': 'application/x-www-form-urlencoded',
          },
        );
        assert.equal(form.statusCode, 201, form.body);
        assert.equal(form.json<ProductBody>().name, 'Last');
        const { body, contentType } = multipart([
          ['name', 'First'],
          ['name', 'Last'],
          ['description', 'd'],
          ['price', '1'],
          ['stock', '1'],
        ]);
        const multi = await send('POST', '/product_api/', body, { 'content-type': contentType });
        assert.equal(multi.statusCode, 201, multi.body);
        assert.equal(multi.json<ProductBody>().name, 'Last');
      });

      it('prices are exact: "99999999.99" round-trips; "0.10" and "0.20" come back as sent', async () => {
        const big = await create({ ...VALID, price: '99999999.99' });
        assert.equal(big.price, '99999999.99');
        assert.equal((await send('GET', `/product_api/${big.id}/`)).json<ProductBody>().price, '99999999.99');
        const dime = await create({ ...VALID, price: '0.10' });
        const twenty = await create({ ...VALID, price: '0.20' });
        const thirty = await create({ ...VALID, price: 0.3 });
        // The float sum 0.1 + 0.2 is 0.30000000000000004: refused, never rounded into the database.
        await expectCreateErrors(
          { price: 0.1 + 0.2 },
          { price: ['Ensure that there are no more than 10 digits in total.'] },
        );
        const prices = await Promise.all(
          [dime, twenty, thirty].map(
            async (p) => (await send('GET', `/product_api/${p.id}/`)).json<ProductBody>().price,
          ),
        );
        assert.deepEqual(prices, ['0.10', '0.20', '0.30']);
        const updated = await send('PATCH', `/product_api/${dime.id}/`, { price: '12345678.91' });
        assert.equal(updated.json<ProductBody>().price, '12345678.91');
        assert.equal(
          (await send('GET', `/product_api/${dime.id}/`)).json<ProductBody>().price,
          '12345678.91',
        );
      });
    });
  },
  { env: { ALLOWED_HOSTS: 'localhost,127.0.0.1,[::1],api.example.com' } },
);
