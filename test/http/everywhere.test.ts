// WIRE.md's "Everywhere" and "API root" sections: headers, negotiation, formats, HEAD/OPTIONS, hosts, bodies.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { describeEachDialect, uniqueName, type DialectContext } from '../helpers.js';
import { type ProductBody } from '../products/product-support.js';

const LIST_ALLOW = 'GET, POST, HEAD, OPTIONS';
const DETAIL_ALLOW = 'GET, PUT, PATCH, DELETE, HEAD, OPTIONS';
const ROOT_ALLOW = 'GET, HEAD, OPTIONS';
const NOT_FOUND = '{"detail":"Not found."}';
const NOT_ACCEPTABLE = '{"detail":"Could not satisfy the request Accept header."}';
const NOT_AUTHENTICATED = '{"detail":"Authentication credentials were not provided."}';
// Only name and price: description and stock have model defaults (required=False in DRF).
const REQUIRED_ALL = '{"name":["This field is required."],"price":["This field is required."]}';
const PARSE_ERROR = /^\{"detail":"JSON parse error - .+"\}$/;
const VALID = Object.freeze({ name: 'Coffee', description: 'Beans', price: '20.48', stock: 7 });
const PARSES = ['application/json', 'application/x-www-form-urlencoded', 'multipart/form-data'];

/** Asserts Django's security headers (SecurityMiddleware, XFrameOptionsMiddleware). */
function assertSecurityHeaders(response: LightMyRequestResponse, what: string): void {
  assert.equal(response.headers['x-frame-options'], 'DENY', what);
  assert.equal(response.headers['x-content-type-options'], 'nosniff', what);
  assert.equal(response.headers['referrer-policy'], 'same-origin', what);
}

describeEachDialect(
  'Everywhere',
  (ctx: () => DialectContext) => {
    let authorization: string;
    let product: ProductBody;

    before(async () => {
      const user = await ctx().keygate.users.createUser({
        username: uniqueName('alice'),
        password: 'correct horse',
        email: 'alice@example.com',
      });
      authorization = `Token ${(await ctx().keygate.tokens.getOrCreate(user)).key}`;
      const created = await send('POST', '/product_api/', { payload: VALID });
      assert.equal(created.statusCode, 201, created.body);
      product = created.json<ProductBody>();
    });

    /** A request; authenticated unless `anonymous`; objects as JSON, strings as given. */
    function send(
      method: InjectOptions['method'],
      url: string,
      options: { payload?: unknown; headers?: Record<string, string>; anonymous?: boolean } = {},
    ): Promise<LightMyRequestResponse> {
      return ctx().app.inject({
        method,
        url,
        headers: { ...(options.anonymous ? {} : { authorization }), ...options.headers },
        ...(options.payload !== undefined && { payload: options.payload as InjectOptions['payload'] }),
      });
    }

    const detailUrl = () => `/product_api/${product.id}/`;

    /** The product as stored now (other tests PATCH it, which moves `updated`). */
    async function current(): Promise<ProductBody> {
      return (await send('GET', detailUrl())).json<ProductBody>();
    }

    /** A raw body with a Content-Type. */
    function sendBody(
      method: InjectOptions['method'],
      url: string,
      contentType: string,
      body: string | Buffer,
    ) {
      return send(method, url, { payload: body, headers: { 'content-type': contentType } });
    }

    describe('headers', () => {
      it('Allow and Vary on every API response: list, detail and root, successes and errors alike', async () => {
        // Vary: `Cookie` too where SessionAuthentication read the session (Django's SessionMiddleware):
        // anonymous on the product views (Token found no header), always on the root (Session first).
        const cases: [string, Promise<LightMyRequestResponse>, string, string?][] = [
          ['GET list', send('GET', '/product_api/'), LIST_ALLOW],
          ['POST list 400', send('POST', '/product_api/', { payload: {} }), LIST_ALLOW],
          ['PUT list 405', send('PUT', '/product_api/'), LIST_ALLOW],
          ['GET list 401', send('GET', '/product_api/', { anonymous: true }), LIST_ALLOW, 'Accept, Cookie'],
          [
            'GET list 406',
            send('GET', '/product_api/', { headers: { accept: 'application/xml' } }),
            LIST_ALLOW,
          ],
          ['GET detail', send('GET', detailUrl()), DETAIL_ALLOW],
          ['GET detail 404', send('GET', '/product_api/987654/'), DETAIL_ALLOW],
          ['POST detail 405', send('POST', detailUrl()), DETAIL_ALLOW],
          ['OPTIONS detail', send('OPTIONS', detailUrl()), DETAIL_ALLOW],
          ['GET root', send('GET', '/', { anonymous: true }), ROOT_ALLOW, 'Accept, Cookie'],
          ['POST root 405', send('POST', '/', { anonymous: true }), ROOT_ALLOW, 'Accept, Cookie'],
          ['HEAD root', send('HEAD', '/', { anonymous: true }), ROOT_ALLOW, 'Accept, Cookie'],
        ];
        for (const [what, pending, allow, vary = 'Accept'] of cases) {
          const response = await pending;
          assert.equal(response.headers.allow, allow, what);
          assert.equal(response.headers.vary, vary, what);
        }
      });

      it('security headers on every response, including redirects, 404s and a refused Host', async () => {
        const cases: [string, LightMyRequestResponse][] = [
          ['GET list', await send('GET', '/product_api/')],
          ['GET detail', await send('GET', detailUrl())],
          ['GET root', await send('GET', '/', { anonymous: true })],
          ['HEAD list', await send('HEAD', '/product_api/')],
          ['OPTIONS list', await send('OPTIONS', '/product_api/')],
          ['401', await send('GET', '/product_api/', { anonymous: true })],
          ['405', await send('PUT', '/product_api/')],
          ['406', await send('GET', '/', { headers: { accept: 'application/xml' } })],
          ['415', await sendBody('POST', '/product_api/', 'text/plain', 'x')],
          ['301', await send('GET', '/product_api')],
          ['unknown path 404', await send('GET', '/no/such/path/')],
          ['unknown Host 400', await send('GET', '/', { headers: { host: 'evil.example.net' } })],
        ];
        for (const [what, response] of cases) assertSecurityHeaders(response, what);
      });

      it('JSON responses are Content-Type application/json exactly (no charset)', async () => {
        const cases: [string, LightMyRequestResponse][] = [
          ['GET list', await send('GET', '/product_api/')],
          ['GET detail', await send('GET', detailUrl())],
          ['POST 201', await send('POST', '/product_api/', { payload: VALID })],
          ['PATCH 200', await send('PATCH', detailUrl(), { payload: { stock: 7 } })],
          ['GET root', await send('GET', '/', { anonymous: true })],
          ['OPTIONS', await send('OPTIONS', '/product_api/')],
          ['400', await send('POST', '/product_api/', { payload: {} })],
          ['parse error 400', await sendBody('POST', '/product_api/', 'application/json', '{')],
          ['401', await send('GET', '/product_api/', { anonymous: true })],
          ['404', await send('GET', '/product_api/987654/')],
          ['405', await send('POST', '/', { anonymous: true })],
          ['406', await send('GET', '/product_api/', { headers: { accept: 'application/xml' } })],
          ['415', await sendBody('POST', '/product_api/', 'text/plain', 'x')],
        ];
        // An unknown path is Django's HTML page instead (not-found-page.test.ts).
        for (const [what, response] of cases) {
          assert.equal(response.headers['content-type'], 'application/json', what);
          assert.doesNotThrow(() => response.json<unknown>(), what);
        }
      });
    });

    describe('JSON bodies', () => {
      it('are compact UTF-8: no spaces, non-ASCII as is, U+2028/U+2029 escaped as DRF does', async () => {
        const response = await send('POST', '/product_api/', {
          payload: { ...VALID, name: 'Caf\u00e9 \u2615 \u{1F600}', description: 'a\u2028b\u2029c' },
        });
        assert.equal(response.statusCode, 201, response.body);
        const created = response.json<ProductBody>();
        assert.equal(
          response.rawPayload.toString('utf8'),
          `{"id":${created.id},"name":"Caf\u00e9 \u2615 \u{1F600}","description":"a\\u2028b\\u2029c",` +
            `"price":"20.48","stock":7,"created":"${created.created}","updated":"${created.updated}"}`,
        );
        assert.equal(created.description, 'a\u2028b\u2029c');
        assert.equal(response.headers['content-length'], String(response.rawPayload.length));
        const deleted = await send('DELETE', `/product_api/${created.id}/`);
        assert.equal(deleted.statusCode, 204);
      });
    });

    describe('content negotiation and formats', () => {
      it('Accept: application/xml -> 406, before authentication', async () => {
        for (const [url, anonymous] of [
          ['/product_api/', false],
          ['/product_api/', true],
          [detailUrl(), false],
          ['/', true],
        ] as const) {
          const response = await send('GET', url, { anonymous, headers: { accept: 'application/xml' } });
          assert.equal(response.statusCode, 406, url);
          assert.equal(response.headers['content-type'], 'application/json');
          assert.equal(response.body, NOT_ACCEPTABLE, url);
        }
      });

      it('JSON for */*, application/*, application/json with a q, and no Accept at all', async () => {
        const compact = (await send('GET', detailUrl())).body;
        for (const accept of [
          '*/*',
          'application/*',
          'application/json',
          'text/html;q=0.9, application/json;q=0.8',
        ]) {
          const response = await send('GET', detailUrl(), { headers: { accept } });
          assert.equal(response.statusCode, 200, accept);
          assert.equal(response.body, compact, accept);
        }
      });

      // `Accept: application/json; indent=4`: indented-json.test.ts.

      it('?format=json, a .json suffix and /product_api.json select JSON', async () => {
        const detail = (await send('GET', detailUrl())).body;
        const list = (await send('GET', '/product_api/')).body;
        // The root's links carry the format (root-links.test.ts).
        const root = '{"product_api":"http://localhost:80/product_api/?format=json"}';
        const suffixedRoot = '{"product_api":"http://localhost:80/product_api.json"}';
        for (const [url, body, anonymous] of [
          [`${detailUrl()}?format=json`, detail, false],
          [`/product_api/${product.id}.json`, detail, false],
          [`/product_api/${product.id}.json/`, detail, false],
          ['/product_api/?format=json', list, false],
          ['/product_api.json', list, false],
          ['/product_api.json/', list, false],
          ['/?format=json', root, true],
          ['/.json', suffixedRoot, true],
        ] as const) {
          const response = await send('GET', url, { anonymous });
          assert.equal(response.statusCode, 200, url);
          assert.equal(response.headers['content-type'], 'application/json', url);
          assert.equal(response.body, body, url);
        }
      });

      it('an unknown format is a 404', async () => {
        for (const [url, anonymous] of [
          ['/product_api/?format=xml', false],
          [`${detailUrl()}?format=xml`, false],
          [`/product_api/${product.id}.xml`, false],
          ['/product_api.xml', false],
          ['/?format=xml', true],
          ['/.xml', true],
        ] as const) {
          const response = await send('GET', url, { anonymous });
          assert.equal(response.statusCode, 404, url);
          assert.equal(response.body, NOT_FOUND, url);
        }
      });
    });

    describe('HEAD and OPTIONS', () => {
      it('HEAD answers like GET without a body', async () => {
        for (const [url, anonymous] of [
          ['/product_api/', false],
          [detailUrl(), false],
          ['/', true],
          ['/product_api/', true],
          ['/product_api/987654/', false],
        ] as const) {
          const get = await send('GET', url, { anonymous });
          const head = await send('HEAD', url, { anonymous });
          assert.equal(head.statusCode, get.statusCode, url);
          assert.equal(head.body, '', url);
          assert.equal(head.headers['content-type'], get.headers['content-type'], url);
          assert.equal(head.headers['content-length'], get.headers['content-length'], url);
          assert.equal(head.headers['content-length'], String(Buffer.byteLength(get.body)), url);
          assert.equal(head.headers.allow, get.headers.allow, url);
        }
      });

      it('OPTIONS on the list describes "Product Model List" with its POST fields', async () => {
        const response = await send('OPTIONS', '/product_api/');
        assert.equal(response.statusCode, 200);
        const body = response.json<
          Record<string, unknown> & { actions: { POST: Record<string, unknown> } }
        >();
        assert.deepEqual(Object.keys(body), ['name', 'description', 'renders', 'parses', 'actions']);
        assert.equal(body.name, 'Product Model List');
        assert.deepEqual(body.renders, ['application/json', 'text/html']);
        assert.deepEqual(body.parses, PARSES);
        assert.deepEqual(Object.keys(body.actions), ['POST']);
        assert.deepEqual(Object.keys(body.actions.POST), [
          'id',
          'name',
          'description',
          'price',
          'stock',
          'created',
          'updated',
        ]);
        assert.deepEqual(body.actions.POST.id, {
          type: 'integer',
          required: false,
          read_only: true,
          label: 'ID',
        });
        assert.deepEqual(body.actions.POST.name, {
          type: 'string',
          required: true,
          read_only: false,
          label: 'Name',
          max_length: 100,
        });
        // DRF 3.14's SimpleMetadata lists no max_digits/decimal_places (test/http/view-metadata.test.ts has the whole body).
        assert.deepEqual(body.actions.POST.price, {
          type: 'decimal',
          required: true,
          read_only: false,
          label: 'Price',
        });
      });

      it('OPTIONS on the detail describes "Product Model Instance" with its PUT fields', async () => {
        const response = await send('OPTIONS', detailUrl());
        assert.equal(response.statusCode, 200);
        const body = response.json<{ name: string; actions: Record<string, Record<string, unknown>> }>();
        assert.equal(body.name, 'Product Model Instance');
        assert.deepEqual(Object.keys(body.actions), ['PUT']);
        assert.deepEqual(
          body.actions.PUT,
          (await send('OPTIONS', '/product_api/')).json<typeof body>().actions.POST,
        );
      });

      it('OPTIONS on the root describes "Api Root", without actions, to anyone', async () => {
        const response = await send('OPTIONS', '/', { anonymous: true });
        assert.equal(response.statusCode, 200);
        assert.deepEqual(response.json(), {
          name: 'Api Root',
          description: 'The default basic root view for DefaultRouter',
          renders: ['application/json', 'text/html'],
          parses: PARSES,
        });
      });

      it('OPTIONS on a protected view needs credentials', async () => {
        for (const url of ['/product_api/', detailUrl()]) {
          const response = await send('OPTIONS', url, { anonymous: true });
          assert.equal(response.statusCode, 401);
          assert.equal(response.headers['www-authenticate'], 'Token');
          assert.equal(response.body, NOT_AUTHENTICATED);
        }
      });
    });

    describe('hosts and paths', () => {
      it('an unknown Host is a 400, whatever the path', async () => {
        for (const host of [
          'evil.example.net',
          'evil.example.net:8000',
          'example.com',
          'localhost.evil.net',
          'under_score.example.com',
        ]) {
          for (const url of ['/', '/product_api/', '/no/such/path/']) {
            const response = await send('GET', url, { headers: { host } });
            assert.equal(response.statusCode, 400, `${host} ${url}`);
          }
        }
      });

      it('an allowed Host is matched without its port and case-insensitively', async () => {
        for (const host of [
          'api.example.com',
          'API.Example.COM:8000',
          '127.0.0.1:1234',
          '[::1]:8000',
          'localhost',
        ]) {
          const response = await send('GET', '/', { anonymous: true, headers: { host } });
          assert.equal(response.statusCode, 200, host);
        }
      });

      it('an unknown path is a 404', async () => {
        for (const url of [
          '/nope',
          '/nope/',
          '/product_api/1/extra/',
          '/product_apix/',
          '/api/product_api/',
        ]) {
          for (const anonymous of [false, true]) {
            assert.equal((await send('GET', url, { anonymous })).statusCode, 404, url);
          }
        }
      });
    });

    describe('API root', () => {
      it('GET / needs no authentication and lists the products URL on the Host used', async () => {
        const response = await send('GET', '/', {
          anonymous: true,
          headers: { host: 'api.example.com:8000' },
        });
        assert.equal(response.statusCode, 200);
        assert.equal(response.headers['content-type'], 'application/json');
        assert.equal(response.body, '{"product_api":"http://api.example.com:8000/product_api/"}');
        const plain = await send('GET', '/', { anonymous: true, headers: { host: 'api.example.com' } });
        assert.equal(plain.body, '{"product_api":"http://api.example.com/product_api/"}');
      });

      it('GET / with a token, or with a bad one, is the same page (the root authenticates nobody)', async () => {
        for (const headers of [{ authorization }, { authorization: 'Token not-a-key' }]) {
          const response = await ctx().app.inject({ method: 'GET', url: '/', headers });
          assert.equal(response.statusCode, 200);
          assert.equal(response.body, '{"product_api":"http://localhost:80/product_api/"}');
        }
      });

      it('POST / (and any other write) is a 405', async () => {
        for (const method of ['POST', 'PUT', 'PATCH', 'DELETE'] as const) {
          const response = await send(method, '/', { anonymous: true, payload: VALID });
          assert.equal(response.statusCode, 405, method);
          assert.equal(response.body, `{"detail":"Method \\"${method}\\" not allowed."}`);
          assert.equal(response.headers.allow, ROOT_ALLOW);
        }
      });
    });

    describe('request bodies', () => {
      it('malformed JSON is a 400 JSON parse error on every write, never a 500', async () => {
        const stored = await current();
        const malformed = [
          '{',
          '{"name": }',
          '{"name":"Coffee",}',
          '[1,]',
          'nul',
          '"unterminated',
          '{"name":"Coffee"} trailing',
          "{'name':'Coffee'}",
          '{"a":NaN}',
          '\u0000',
          '['.repeat(10000),
        ];
        for (const text of malformed) {
          for (const [method, url] of [
            ['POST', '/product_api/'],
            ['PUT', detailUrl()],
            ['PATCH', detailUrl()],
          ] as const) {
            const response = await sendBody(method, url, 'application/json', text);
            assert.equal(response.statusCode, 400, `${method} ${JSON.stringify(text.slice(0, 20))}`);
            assert.equal(response.headers['content-type'], 'application/json');
            assert.match(response.body, PARSE_ERROR);
          }
        }
        // The Content-Type's parameters do not change that.
        const charset = await sendBody('POST', '/product_api/', 'application/json; charset=utf-8', '{');
        assert.equal(charset.statusCode, 400);
        assert.match(charset.body, PARSE_ERROR);
        // Nothing was changed by all that.
        assert.deepEqual(await current(), stored);
      });

      it('a JSON body that is not UTF-8 is a parse error, not mojibake in the database', async () => {
        const latin1 = Buffer.from('{"name":"Caf\xe9","description":"d","price":"1","stock":1}', 'latin1');
        const response = await sendBody('POST', '/product_api/', 'application/json', latin1);
        assert.equal(response.statusCode, 400, response.body);
        assert.match(response.body, PARSE_ERROR);
      });

      it('text/plain and other unparsed media types: 415 with the exact body', async () => {
        const plain = await sendBody('POST', '/product_api/', 'text/plain', 'name=Coffee');
        assert.equal(plain.statusCode, 415);
        assert.equal(plain.headers['content-type'], 'application/json');
        assert.equal(plain.body, '{"detail":"Unsupported media type \\"text/plain\\" in request."}');
        const xml = await sendBody('PUT', detailUrl(), 'application/xml', '<product/>');
        assert.equal(xml.statusCode, 415);
        assert.equal(xml.body, '{"detail":"Unsupported media type \\"application/xml\\" in request."}');
        const none = await send('POST', '/product_api/', {
          payload: '{"name":"Coffee"}',
          headers: { 'content-length': '17' },
        });
        assert.equal(none.statusCode, 415);
        assert.equal(none.body, '{"detail":"Unsupported media type \\"\\" in request."}');
      });

      it('a JSON array, null or scalar body: the non_field_errors messages', async () => {
        for (const [method, url] of [
          ['POST', '/product_api/'],
          ['PUT', detailUrl()],
          ['PATCH', detailUrl()],
        ] as const) {
          for (const [text, message] of [
            ['[]', 'Invalid data. Expected a dictionary, but got list.'],
            ['[{"name":"Coffee"}]', 'Invalid data. Expected a dictionary, but got list.'],
            ['null', 'No data provided'],
            ['"Coffee"', 'Invalid data. Expected a dictionary, but got str.'],
            ['7', 'Invalid data. Expected a dictionary, but got int.'],
            ['1.5', 'Invalid data. Expected a dictionary, but got float.'],
            ['true', 'Invalid data. Expected a dictionary, but got bool.'],
          ] as const) {
            const response = await sendBody(method, url, 'application/json', text);
            assert.equal(response.statusCode, 400, `${method} ${text}`);
            assert.equal(response.body, JSON.stringify({ non_field_errors: [message] }), `${method} ${text}`);
          }
        }
      });

      it('an empty JSON body is {}: POST needs every required field, PATCH changes nothing', async () => {
        const post = await sendBody('POST', '/product_api/', 'application/json', '');
        assert.equal(post.statusCode, 400);
        assert.equal(post.body, REQUIRED_ALL);
        const noBody = await send('POST', '/product_api/');
        assert.equal(noBody.statusCode, 400);
        assert.equal(noBody.body, REQUIRED_ALL);
        const patch = await sendBody('PATCH', detailUrl(), 'application/json', '');
        assert.equal(patch.statusCode, 200, patch.body);
        assert.equal(patch.json<ProductBody>().name, product.name);
      });

      it('a __proto__ key is refused with a 400, not a 500, and pollutes nothing', async () => {
        for (const text of [
          '{"__proto__":{"polluted":true},"name":"Coffee","description":"Beans","price":"1","stock":1}',
          '{"name":"Coffee","description":{"__proto__":{"polluted":true}},"price":"1","stock":1}',
        ]) {
          for (const [method, url] of [
            ['POST', '/product_api/'],
            ['PATCH', detailUrl()],
          ] as const) {
            const response = await sendBody(method, url, 'application/json', text);
            assert.equal(response.statusCode, 400, `${method} ${text}`);
            assert.match(response.body, PARSE_ERROR);
          }
        }
        const constructor = await sendBody(
          'POST',
          '/product_api/',
          'application/json',
          '{"constructor":{"prototype":{"polluted":true}},"name":"Coffee","description":"Beans","price":"1","stock":1}',
        );
        assert.ok(constructor.statusCode < 500, constructor.body);
        assert.equal(({} as Record<string, unknown>).polluted, undefined);
        assert.equal((Object.prototype as Record<string, unknown>).polluted, undefined);
      });

      it('a malformed multipart body is a 400, never a 500', async () => {
        const noBoundary = await sendBody('POST', '/product_api/', 'multipart/form-data', 'name=Coffee');
        assert.equal(noBoundary.statusCode, 400, noBoundary.body);
        assert.equal(noBoundary.headers['content-type'], 'application/json');
        assert.match(noBoundary.body, /^\{"detail":"Multipart form parse error - .+"\}$/);
        const garbage = await sendBody(
          'PATCH',
          detailUrl(),
          'multipart/form-data; boundary=xyz',
          '--xyz\r\ngarbage\r\n\r\nvalue\r\n--xyz--\r\n',
        );
        assert.ok(garbage.statusCode < 500, garbage.body);
      });

      it('an unexpected error is a 500 that reveals nothing, still application/json', async () => {
        const response = await send('GET', '/test-only/boom/');
        assert.equal(response.statusCode, 500);
        assert.equal(response.headers['content-type'], 'application/json');
        assert.equal(response.body, '{"detail":"A server error occurred."}');
        assertSecurityHeaders(response, '500');
      });
    });
  },
  {
    env: { ALLOWED_HOSTS: 'localhost,127.0.0.1,[::1],api.example.com' },
    setup(app) {
      app.get('/test-only/boom/', () => {
        throw new Error('secret internals');
      });
    },
  },
);
