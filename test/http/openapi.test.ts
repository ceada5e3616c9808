// The OpenAPI 3.1 document at /openapi.json and the Swagger UI at /docs, served from the npm package.
// (Its operations, one by one: openapi-operations.test.ts.)
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, it } from 'node:test';
import { describeEachDialect, uniqueName } from '../helpers.js';
import { object, type Json } from './openapi-support.js';

const PACKAGE = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string; license: string };

const COMPONENTS = [
  'Error',
  'Product',
  'PaginatedProductList',
  'ProductValidationError',
  'AuthToken',
  'CustomAuthToken',
  'AuthTokenValidationError',
];

/** Documented path -> operations, for the routes every build has. */
const ALWAYS_DOCUMENTED: Record<string, readonly string[]> = {
  '/': ['get'],
  '/product_api/': ['get', 'post'],
  '/product_api/{pk}/': ['get', 'put', 'patch', 'delete'],
};
/** The token endpoints: documented whenever they are registered. */
const TOKEN_ENDPOINTS = ['/gettoken/', '/customtoken/'] as const;

/** Every `$ref` value anywhere in `node`. */
function refs(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(refs);
  if (typeof node !== 'object' || node === null) return [];
  return Object.entries(node).flatMap(([key, value]) =>
    key === '$ref' && typeof value === 'string' ? [value] : refs(value),
  );
}

/** The `src`/`href` URLs of an HTML page. */
function assetUrls(html: string): string[] {
  return [...html.matchAll(/\s(?:src|href)\s*=\s*"([^"]*)"/gi)].map((match) => match[1]!);
}

describeEachDialect('OpenAPI document and docs UI', (ctx) => {
  let document: Json;
  let paths: Json;

  before(async () => {
    const response = await ctx().app.inject({ method: 'GET', url: '/openapi.json' });
    assert.equal(response.statusCode, 200);
    assert.match(String(response.headers['content-type']), /^application\/json(;|$)/);
    document = object(JSON.parse(response.body), 'the document');
    paths = object(document.paths, 'paths');
  });

  it('is an OpenAPI 3.1.0 document describing keygate and its token authentication', () => {
    assert.equal(document.openapi, '3.1.0');
    const info = object(document.info, 'info');
    assert.equal(info.title, 'keygate');
    assert.equal(info.version, PACKAGE.version);
    assert.match(String(info.description), /Authorization: Token <key>/);
  });

  it("names the package's licence, by its SPDX identifier", () => {
    assert.deepEqual(object(document.info, 'info').license, {
      name: PACKAGE.license,
      identifier: PACKAGE.license,
    });
  });

  it('has one server: the host that serves the document (a relative URL, the same for every Host)', async () => {
    assert.deepEqual(
      (document.servers as Json[]).map((server) => server.url),
      ['/'],
    );
    const other = await ctx().app.inject({
      method: 'GET',
      url: '/openapi.json',
      headers: { host: '127.0.0.1' },
    });
    assert.deepEqual(other.json(), document);
  });

  it('declares the TokenAuth scheme: an API key in the Authorization header, "Token <key>"', () => {
    const schemes = object(object(document.components, 'components').securitySchemes, 'securitySchemes');
    const tokenAuth = object(schemes.TokenAuth, 'TokenAuth');
    assert.equal(tokenAuth.type, 'apiKey');
    assert.equal(tokenAuth.in, 'header');
    assert.equal(tokenAuth.name, 'Authorization');
    assert.match(String(tokenAuth.description), /`Token <key>`/);
  });

  it('documents every endpoint with exactly its methods (HEAD and OPTIONS are implied)', () => {
    for (const [path, methods] of Object.entries(ALWAYS_DOCUMENTED)) {
      assert.deepEqual(Object.keys(object(paths[path], path)).sort(), [...methods].sort(), path);
    }
  });

  it('lists exactly the methods each path answers: its Allow header, but HEAD and OPTIONS', async () => {
    const user = await ctx().keygate.users.createUser({ username: uniqueName('allow'), password: null });
    // The method is checked after authentication: a key, so the product views get that far.
    const authorization = `Token ${(await ctx().keygate.tokens.getOrCreate(user)).key}`;
    for (const [path, item] of Object.entries(paths)) {
      const url = path.replace('{pk}', '1');
      const documented = Object.keys(object(item, path)).map((method) => method.toUpperCase());
      const options = await ctx().app.inject({ method: 'OPTIONS', url });
      const allow = String(options.headers.allow).split(', ');
      assert.deepEqual(
        allow.filter((method) => method !== 'HEAD' && method !== 'OPTIONS'),
        documented,
        path,
      );
      // Any other method is a 405 there, an answer no documented operation gives.
      const other = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].find((method) => !allow.includes(method));
      if (other === undefined) continue;
      const refused = await ctx().app.inject({ method: other as 'GET', url, headers: { authorization } });
      assert.equal(refused.statusCode, 405, `${other} ${path}`);
    }
  });

  it('documents the token endpoints whenever they are registered', () => {
    for (const url of TOKEN_ENDPOINTS) {
      if (!ctx().app.hasRoute({ method: 'POST', url })) continue;
      const item = object(paths[url], url);
      assert.ok('post' in item, `POST ${url} documented`);
      assert.ok(!('get' in item), `GET ${url} is not an operation`);
    }
  });

  it('lists no hidden route: no format suffixes, unslashed redirects, docs or the document itself', () => {
    for (const path of Object.keys(paths)) {
      assert.ok(path.endsWith('/'), `${path} ends with a slash`);
      assert.ok(!path.includes('.'), `${path} has no format suffix`);
      assert.ok(!path.includes(':'), `${path} uses {param}, not :param`);
      assert.ok(!/^\/(docs|openapi)/.test(path), `${path} is not the docs`);
    }
    const known = new Set([...Object.keys(ALWAYS_DOCUMENTED), ...TOKEN_ENDPOINTS]);
    for (const path of Object.keys(paths)) {
      // Any other documented path must be a real route that answers GET or POST as documented.
      if (known.has(path)) continue;
      const url = path.replace(/\{(\w+)\}/g, ':$1');
      const methods = Object.keys(object(paths[path], path)).map((m) => m.toUpperCase());
      for (const method of methods) assert.ok(ctx().app.hasRoute({ method, url }), `${method} ${path}`);
    }
  });

  it('has the components the operations share, and every $ref resolves to a component', () => {
    const schemas = object(object(document.components, 'components').schemas, 'schemas');
    const product = object(schemas.Product, 'Product');
    assert.deepEqual(Object.keys(object(product.properties, 'Product.properties')), [
      'id',
      'name',
      'description',
      'price',
      'stock',
      'created',
      'updated',
    ]);
    assert.deepEqual(Object.keys(schemas).sort(), [...COMPONENTS].sort());
    for (const ref of refs(document)) {
      const match = /^#\/components\/schemas\/(.+)$/.exec(ref);
      assert.ok(match, `${ref} is a local component reference`);
      assert.ok(match[1]! in schemas, `${ref} resolves`);
    }

    const content = (operation: unknown, where: 'request' | '201' | '200'): unknown => {
      const op = object(operation, 'operation');
      const holder =
        where === 'request'
          ? object(op.requestBody, 'requestBody')
          : object(object(op.responses, 'responses')[where], where);
      return object(object(holder.content, 'content')['application/json'], 'json').schema;
    };
    const list = object(paths['/product_api/'], 'list');
    const detail = object(paths['/product_api/{pk}/'], 'detail');
    assert.deepEqual(content(list.post, '201'), { $ref: '#/components/schemas/Product' });
    assert.deepEqual(content(detail.get, '200'), { $ref: '#/components/schemas/Product' });
    assert.deepEqual(content(list.get, '200'), { $ref: '#/components/schemas/PaginatedProductList' });
    const page = object(schemas.PaginatedProductList, 'page');
    assert.deepEqual(object(page.properties, 'page.properties').results, {
      type: 'array',
      items: { $ref: '#/components/schemas/Product' },
    });
  });

  it('serves the UI at /docs as HTML that loads only local assets, which all answer', async () => {
    let response = await ctx().app.inject({ method: 'GET', url: '/docs' });
    let url = '/docs';
    if (response.statusCode >= 300 && response.statusCode < 400) {
      url = new URL(String(response.headers.location), 'http://localhost/docs').pathname;
      response = await ctx().app.inject({ method: 'GET', url });
    }
    assert.equal(response.statusCode, 200);
    assert.match(String(response.headers['content-type']), /^text\/html/);
    assert.equal(response.headers['x-content-type-options'], 'nosniff', 'helmet still applies');

    const assets = assetUrls(response.body);
    assert.ok(assets.some((asset) => asset.endsWith('/swagger-ui-bundle.js')));
    assert.ok(assets.some((asset) => asset.endsWith('/swagger-ui.css')));
    for (const asset of assets) {
      assert.ok(!/^(https?:)?\/\//i.test(asset), `${asset} is local`);
      const path = new URL(asset, `http://localhost${url}`).pathname;
      const answer = await ctx().app.inject({ method: 'GET', url: path });
      assert.equal(answer.statusCode, 200, path);
    }
  });

  it('serves the UI assets from the package', async () => {
    const css = await ctx().app.inject({ method: 'GET', url: '/docs/static/swagger-ui.css' });
    assert.equal(css.statusCode, 200);
    assert.match(String(css.headers['content-type']), /^text\/css/);
    assert.match(css.body, /\.swagger-ui/);
  });

  it("points the UI's initializer at the document, with deep links and no persisted authorization", async () => {
    const script = await ctx().app.inject({ method: 'GET', url: '/docs/static/swagger-initializer.js' });
    assert.equal(script.statusCode, 200);
    const config = /const config = (\{.*\})/.exec(script.body);
    assert.ok(config, 'the initializer has a config object');
    assert.deepEqual(JSON.parse(config[1]!), { deepLinking: true, persistAuthorization: false });

    // The plugin fixes the URL to `./json` resolved against the page (with a slash appended).
    const relative = /url: resolveUrl\('([^']+)'\)/.exec(script.body);
    assert.ok(relative, 'the initializer sets the document URL');
    for (const page of ['/docs', '/docs/']) {
      const base = `http://localhost${page.endsWith('/') ? page : `${page}/`}`;
      const documentUrl: string = new URL(relative[1]!, base).pathname;
      const served = await ctx().app.inject({ method: 'GET', url: documentUrl });
      assert.equal(served.statusCode, 200, documentUrl);
      assert.deepEqual(served.json(), document, `${documentUrl} is the same document as /openapi.json`);
    }
  });
});
