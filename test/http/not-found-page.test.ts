// Django's HTML 404 for URLs no route matches; an API view's JSON 404 for URLs one does, broken escapes included.
//
// django/views/defaults.py, page_not_found (DEBUG=False, no 404.html template): ERROR_PAGE_TEMPLATE with
// title "Not Found" and details "The requested resource was not found on this server.", answered as
// HttpResponseNotFound(body, content_type='text/html') — no charset. Django's URL resolver raises
// Resolver404 for any path none of urls.py's patterns match; DRF's routers register, per resource,
// `^product_api/$`, `^product_api/(?P<pk>[^/.]+)/$` and, through format_suffix_patterns, the same with
// `\.(?P<format>[a-z0-9]+)/?$`. Inside a matching view, DRF's exception handler turns Http404 into
// `{"detail":"Not found."}` (rest_framework/views.py, exception_handler), after authentication.
// django/core/handlers/wsgi.py, get_path_info: broken UTF-8 in the path is re-percent-encoded as text
// (repercent_broken_unicode), so `/product_api/%ff/` is the detail URL with pk `%FF`.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { describeEachDialect, uniqueName, type DialectContext } from '../helpers.js';
import { assertKeygateHeaders, portOf, rawRequest, type RawResponse } from './raw-http.js';

const PAGE =
  '\n<!doctype html>\n<html lang="en">\n<head>\n  <title>Not Found</title>\n</head>\n<body>\n' +
  '  <h1>Not Found</h1><p>The requested resource was not found on this server.</p>\n</body>\n</html>\n';
const NOT_FOUND = '{"detail":"Not found."}';
const NOT_AUTHENTICATED = '{"detail":"Authentication credentials were not provided."}';

/** Targets no route of the seed's urls.py matches. */
const UNMATCHED = [
  '/nothing/',
  '/nothing',
  '/product_api/1/extra/',
  '/product_api/1/extra',
  '/gettoken/%B9',
  '/gettoken/x/',
  // No suffix routes for the token views (path('gettoken/', ...) in urls.py).
  '/gettoken.json',
  // `[^/.]+` takes no dot and no empty lookup; a format is lower-case letters and digits.
  '/product_api/a.b.c/',
  '/product_api//',
  '/product_api/1.JSON',
  '/product_api/1.JSON/',
  '/product_api.JSON',
  '/product_api/1.js-on',
  '/.JSON',
  '/nothing/%E3%80',
  '/%',
  '/%ff',
  '/product_api%ff/',
  '/PRODUCT_API/',
  '/static/nothing.css',
];

function assertNotFoundPage(response: RawResponse, what: string): void {
  assert.equal(response.statusLine, 'HTTP/1.1 404 Not Found', `${what}: ${response.raw}`);
  assert.equal(response.headers['content-type'], 'text/html', what);
  assert.equal(response.body, PAGE, what);
  assert.equal(response.headers['content-length'], String(Buffer.byteLength(PAGE)), what);
  // Not an API view's answer: no Allow, no Vary: Accept.
  assert.equal(response.headers.allow, undefined, what);
  assert.equal(response.headers.vary, undefined, what);
  assertKeygateHeaders(response, what);
}

describeEachDialect('Django 404 page for unmatched URLs', (ctx: () => DialectContext) => {
  let port: number;
  let authorization: string;
  let id: number;
  const host = () => `127.0.0.1:${port}`;

  function send(
    method: string,
    target: string,
    headers: Record<string, string> = {},
    body?: string,
  ): Promise<RawResponse> {
    return rawRequest(port, `${method} ${target} HTTP/1.1`, {
      headers: { Host: host(), ...headers },
      ...(body !== undefined && { body }),
    });
  }

  before(async () => {
    port = portOf(await ctx().listen());
    const user = await ctx().keygate.users.createUser({
      username: uniqueName('nf'),
      password: 'correct horse',
    });
    authorization = `Token ${(await ctx().keygate.tokens.getOrCreate(user)).key}`;
    const created = await ctx().app.inject({
      method: 'POST',
      url: '/product_api/',
      headers: { authorization },
      payload: { name: 'Coffee', description: 'Beans', price: '1.00', stock: 1 },
    });
    id = created.json<{ id: number }>().id;
  });

  it("unmatched URLs get Django's page, exactly, for anyone and whatever they accept", async () => {
    for (const target of UNMATCHED) {
      assertNotFoundPage(await send('GET', target), target);
      assertNotFoundPage(
        await send('GET', target, { authorization, accept: 'application/json' }),
        `${target} with a token`,
      );
    }
  });

  it('every method, whatever the body: the URL is resolved before anything reads the body', async () => {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'QUERY']) {
      for (const [type, body] of [
        ['application/json', '{}'],
        ['application/json', '{"broken'],
        ['text/plain', 'x'],
        ['application/x-www-form-urlencoded', '%'],
      ] as const) {
        assertNotFoundPage(
          await send(method, '/nothing/', { 'content-type': type }, body),
          `${method} /nothing/ ${type} ${body}`,
        );
      }
    }
    // Fastify demands a Content-Type of QUERY; Django asks nothing of a URL it cannot resolve.
    assertNotFoundPage(await send('QUERY', '/nothing/'), 'QUERY without a Content-Type');
  });

  it('HEAD: the same status and headers, no body', async () => {
    const response = await send('HEAD', '/nothing/');
    assert.equal(response.statusLine, 'HTTP/1.1 404 Not Found');
    assert.equal(response.headers['content-type'], 'text/html');
    assert.equal(response.body, '');
  });

  it("a broken escape in a URL a view matches is that view's answer: 404 JSON, or 401 first when anonymous", async () => {
    for (const target of [
      '/product_api/%ff/',
      '/product_api/%zz/',
      '/product_api/%E3%80/',
      '/product_api/%/',
    ]) {
      const response = await send('GET', target, { authorization });
      assert.equal(response.statusLine, 'HTTP/1.1 404 Not Found', target);
      assert.equal(response.headers['content-type'], 'application/json', target);
      assert.equal(response.body, NOT_FOUND, target);
      assert.equal(response.headers.allow, 'GET, PUT, PATCH, DELETE, HEAD, OPTIONS', target);
      assertKeygateHeaders(response, target);
      const anonymous = await send('GET', target);
      assert.equal(anonymous.status, 401, target);
      assert.equal(anonymous.body, NOT_AUTHENTICATED, target);
    }
  });

  it('APPEND_SLASH (CommonMiddleware): a URL that matches nothing but would with a final / is a 301 there', async () => {
    for (const [target, location] of [
      ['/auth/login', '/auth/login/'],
      ['/auth/login?next=/product_api/', '/auth/login/?next=/product_api/'],
      ['/auth/logout', '/auth/logout/'],
      ['/gettoken', '/gettoken/'],
      ['/product_api', '/product_api/'],
    ] as const) {
      for (const method of ['GET', 'POST']) {
        const response = await send(method, target);
        assert.equal(response.statusLine, 'HTTP/1.1 301 Moved Permanently', `${method} ${target}`);
        assert.equal(response.headers.location, location, target);
        assert.equal(response.headers['content-type'], 'text/html; charset=utf-8', target);
        assert.equal(response.body, '');
      }
    }
  });

  it("without its slash, such a URL is redirected as Django's APPEND_SLASH does (escape_uri_path of the path)", async () => {
    const response = await send('GET', '/product_api/%ff');
    assert.equal(response.statusLine, 'HTTP/1.1 301 Moved Permanently');
    assert.equal(response.headers.location, '/product_api/%25FF/');
  });

  it("an API view's own 404s stay DRF's JSON: unknown id, non-numeric id, unknown format", async () => {
    for (const target of [
      '/product_api/987654/',
      '/product_api/abc/',
      '/product_api/-1/',
      '/product_api/1.5/',
      `/product_api/${id}.xml`,
      '/product_api.xml',
      '/product_api/?format=xml',
      '/.xml',
    ]) {
      const response = await send('GET', target, { authorization });
      assert.equal(response.statusLine, 'HTTP/1.1 404 Not Found', target);
      assert.equal(response.headers['content-type'], 'application/json', target);
      assert.equal(response.body, NOT_FOUND, target);
    }
  });

  it('URLs that match still answer: a product, its suffixed form, the root', async () => {
    for (const target of [
      `/product_api/${id}/`,
      `/product_api/${id}.json`,
      `/product_api/%3${String(id)[0]}${String(id).slice(1)}/`,
    ]) {
      const response = await send('GET', target, { authorization });
      assert.equal(response.status, 200, `${target}: ${response.body}`);
    }
    assert.equal((await send('GET', '/')).status, 200);
  });
});
