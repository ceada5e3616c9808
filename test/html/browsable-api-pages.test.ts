// The browsable API over app.inject: negotiation, the page's parts, escaping, forms, errors as pages.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { describeEachDialect, uniqueName, type DialectContext } from '../helpers.js';
import { formBody, SessionClient } from '../sessions/session-client.js';

const PASSWORD = 'correct horse battery';
const HTML = 'text/html; charset=utf-8';
const BROWSER_ACCEPT =
  'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';
const XSS = '<script>alert(1)</script>';

describeEachDialect('Browsable API pages', (ctx: () => DialectContext) => {
  let client: SessionClient;
  let authorization: string;
  let productId: number;

  before(async () => {
    const username = uniqueName('alice');
    const user = await ctx().keygate.users.createUser({ username, password: PASSWORD });
    authorization = `Token ${(await ctx().keygate.tokens.getOrCreate(user)).key}`;
    client = new SessionClient(ctx().app);
    assert.equal((await client.login(username, PASSWORD)).statusCode, 302);
    const created = await ctx().app.inject({
      method: 'POST',
      url: '/product_api/',
      headers: { authorization },
      payload: { name: XSS, description: 'x" onmouseover="alert(2)', price: '1.00', stock: 1 },
    });
    productId = created.json<{ id: number }>().id;
  });

  const page = (url: string, accept = 'text/html') =>
    client.send({ method: 'GET', url, headers: { accept } });

  it('HTML for Accept: text/html, a browser Accept, ?format=api and .api; JSON otherwise', async () => {
    for (const [url, accept] of [
      ['/product_api/', 'text/html'],
      ['/product_api/', BROWSER_ACCEPT],
      ['/product_api/?format=api', '*/*'],
      [`/product_api/${productId}.api`, '*/*'],
      ['/', 'text/html'],
    ] as const) {
      const response = await page(url, accept);
      assert.equal(response.statusCode, 200, url);
      assert.equal(response.headers['content-type'], HTML, url);
      assert.match(response.body, /^<!doctype html>/, url);
    }
    for (const [url, accept] of [
      ['/product_api/?format=json', 'text/html'],
      ['/product_api/', '*/*'],
      ['/product_api/', 'application/json'],
      [`/product_api/${productId}.json`, 'text/html'],
    ] as const) {
      const response = await page(url, accept);
      assert.equal(response.headers['content-type'], 'application/json', `${url} ${accept}`);
    }
    const none = await client.send({ method: 'GET', url: '/product_api/', headers: {} });
    assert.equal(none.headers['content-type'], 'application/json', 'no Accept header: JSON');
  });

  it('shows the view name, the request, status line, headers and pretty JSON with links', async () => {
    const response = await page('/product_api/?limit=1');
    const body = response.body;
    assert.match(body, /<h1 id="page-title">Product Model List<\/h1>/);
    assert.match(
      body,
      /<span class="method">GET<\/span> <code data-testid="request-path">\/product_api\/\?limit=1<\/code>/,
    );
    assert.match(body, />HTTP 200 OK<\/span>/);
    assert.match(body, /Allow:<\/span> GET, POST, HEAD, OPTIONS\n/);
    assert.match(body, /Content-Type:<\/span> application\/json\n/);
    // The page lists the view's headers; SessionMiddleware adds Cookie after it is rendered (DRF too).
    assert.match(body, /Vary:<\/span> Accept\n/);
    assert.match(body, /&quot;count&quot;: \d+,\n/);
    assert.equal(response.headers.vary, 'Accept, Cookie');
    assert.equal(response.headers.allow, 'GET, POST, HEAD, OPTIONS');

    const root = await page('/');
    assert.match(root.body, /<h1 id="page-title">Api Root<\/h1>/);
    assert.match(
      root.body,
      /&quot;<a href="http:\/\/localhost:80\/product_api\/">http:\/\/localhost:80\/product_api\/<\/a>&quot;/,
    );
  });

  it('user data is escaped everywhere: a <script> name is text', async () => {
    for (const url of ['/product_api/', `/product_api/${productId}/`]) {
      const body = (await page(url)).body;
      assert.ok(!body.includes(XSS), url);
      assert.ok(!body.includes('" onmouseover="'), url);
      assert.ok(body.includes('&lt;script&gt;alert(1)&lt;/script&gt;'), url);
      // The only scripts are keygate's own file, and the policy forbids inline ones.
      assert.deepEqual(body.match(/<script[^>]*>/g), ['<script src="/static/browsable-api.js" defer>']);
    }
    const detail = await page(`/product_api/${productId}/`);
    assert.match(detail.headers['content-security-policy'] as string, /script-src 'self'/);
    assert.match(
      detail.body,
      /<input id="field-name" name="name" type="text" inputmode="text" value="&lt;script&gt;alert\(1\)&lt;\/script&gt;"/,
    );
  });

  it('the logged-in user and a logout form, or a login link for anonymous visitors', async () => {
    const mine = await page('/product_api/');
    assert.match(mine.body, /Logged in as <strong data-testid="username">alice_[0-9a-f]+<\/strong>/);
    assert.match(mine.body, /<form method="post" action="\/auth\/logout\/"/);

    const anonymous = await ctx().app.inject({ method: 'GET', url: '/', headers: { accept: 'text/html' } });
    assert.match(
      anonymous.body,
      /<a class="button button-quiet" href="\/auth\/login\/\?next=%2F">Log in<\/a>/,
    );
  });

  it('forms for the allowed methods: POST on the list, PUT/PATCH and DELETE on the detail', async () => {
    const list = (await page('/product_api/')).body;
    // Required ones carry the star; description and stock have model defaults (required: false).
    for (const label of ['Name', 'Price']) {
      assert.match(
        list,
        new RegExp(`<label for="field-${label.toLowerCase()}">${label} <span class="required"`),
      );
    }
    for (const label of ['Description', 'Stock']) {
      assert.match(list, new RegExp(`<label for="field-${label.toLowerCase()}">${label}</label>`));
    }
    assert.match(list, /<select id="raw-media-type" name="_content_type">/);
    assert.match(
      list,
      /<button type="submit" class="button button-primary" data-method="POST">POST<\/button>/,
    );
    assert.ok(!list.includes('data-method="DELETE"'));

    const detail = (await page(`/product_api/${productId}/`)).body;
    assert.match(detail, /data-method="PUT"/);
    assert.match(
      detail,
      /<button type="submit" class="button button-primary" data-method="PATCH">PATCH<\/button>/,
    );
    assert.match(detail, /<form action="\/product_api\/\d+\/" method="post" data-method="DELETE"/);

    const anonymous = await ctx().app.inject({ method: 'GET', url: '/', headers: { accept: 'text/html' } });
    assert.ok(!anonymous.body.includes('data-raw'), 'no write forms on the root');
  });

  it('a form POST with a bad price shows the error beside the field and keeps the values', async () => {
    const token = await client.tokenFrom('/product_api/');
    const response = await client.send({
      method: 'POST',
      url: '/product_api/',
      headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
      payload: formBody({
        name: 'Tea',
        description: 'Leaves',
        price: 'abc',
        stock: '3',
        csrfmiddlewaretoken: token,
      }),
    });
    assert.equal(response.statusCode, 400);
    assert.match(response.body, />HTTP 400 Bad Request<\/span>/);
    assert.match(
      response.body,
      /<ul class="field-errors" id="field-price-errors" data-testid="errors-price">\s*<li>A valid number is required\.<\/li>/,
    );
    assert.match(
      response.body,
      /<input id="field-price" name="price" type="text" inputmode="decimal" value="abc" required aria-invalid="true"/,
    );
    assert.match(
      response.body,
      /<input id="field-name" name="name" type="text" inputmode="text" value="Tea"/,
    );
  });

  it('DELETE answers a page saying 204 (with status 200, as DRF, so browsers show it)', async () => {
    const created = await ctx().app.inject({
      method: 'POST',
      url: '/product_api/',
      headers: { authorization },
      payload: { name: 'Doomed', description: 'x', price: '1.00', stock: 1 },
    });
    const url = `/product_api/${created.json<{ id: number }>().id}/`;
    const token = await client.tokenFrom(url);
    const response = await client.send({
      method: 'DELETE',
      url,
      headers: { accept: 'text/html', 'x-csrftoken': token },
    });
    assert.equal(response.statusCode, 200);
    assert.match(response.body, />HTTP 204 No Content<\/span>/);
    const json = await ctx().app.inject({ method: 'DELETE', url, headers: { authorization } });
    assert.equal(json.statusCode, 404);
  });

  it('errors render as pages: 401 with WWW-Authenticate, 404, 405', async () => {
    const anonymous = await ctx().app.inject({
      method: 'GET',
      url: '/product_api/',
      headers: { accept: 'text/html' },
    });
    assert.equal(anonymous.statusCode, 401);
    assert.equal(anonymous.headers['content-type'], HTML);
    assert.equal(anonymous.headers['www-authenticate'], 'Token');
    assert.match(anonymous.body, />HTTP 401 Unauthorized<\/span>/);
    assert.match(anonymous.body, /WWW-Authenticate:<\/span> Token\n/);
    assert.match(anonymous.body, /Authentication credentials were not provided\./);
    assert.match(anonymous.body, /href="\/auth\/login\/\?next=%2Fproduct_api%2F"/);
    assert.ok(!anonymous.body.includes('data-raw'), 'no forms on an error page');

    const missing = await page('/product_api/999999/');
    assert.equal(missing.statusCode, 404);
    assert.match(missing.body, />HTTP 404 Not Found<\/span>/);

    const notAllowed = await client.send({
      method: 'PUT',
      url: '/product_api/',
      headers: { accept: 'text/html', authorization },
    });
    assert.equal(notAllowed.statusCode, 405);
    assert.match(notAllowed.body, /Method \\?&quot;PUT\\?&quot; not allowed\./);
  });

  it('OPTIONS lists both renderers', async () => {
    const response = await ctx().app.inject({
      method: 'OPTIONS',
      url: '/product_api/',
      headers: { authorization },
    });
    assert.deepEqual(response.json<{ renders: string[] }>().renders, ['application/json', 'text/html']);
  });

  it('serves its stylesheet and script itself, cacheable, with an ETag', async () => {
    for (const [url, type] of [
      ['/static/keygate.css', 'text/css; charset=utf-8'],
      ['/static/browsable-api.js', 'text/javascript; charset=utf-8'],
    ] as const) {
      const response = await ctx().app.inject({ method: 'GET', url });
      assert.equal(response.statusCode, 200, url);
      assert.equal(response.headers['content-type'], type);
      const etag = String(response.headers.etag);
      const again = await ctx().app.inject({ method: 'GET', url, headers: { 'if-none-match': etag } });
      assert.equal(again.statusCode, 304);
    }
  });
});
