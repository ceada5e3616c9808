// Absolute-form request targets (`GET http://host/path`): routed by their path, and their host never
// reaches a link or a redirect; only the Host header, checked against ALLOWED_HOSTS, does.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { describeEachDialect, uniqueName, type DialectContext } from '../helpers.js';
import { assertKeygateHeaders, portOf, rawRequest } from './raw-http.js';

const PRODUCT = { name: 'Coffee', description: 'Beans', price: '20.48', stock: 7 };

describeEachDialect('Absolute-form request targets', (ctx: () => DialectContext) => {
  let port: number;
  let authorization: string;
  const host = () => `127.0.0.1:${port}`;

  before(async () => {
    const user = await ctx().keygate.users.createUser({
      username: uniqueName('alice'),
      password: 'correct horse',
    });
    authorization = `Token ${(await ctx().keygate.tokens.getOrCreate(user)).key}`;
    for (let i = 0; i < 3; i += 1) {
      const created = await ctx().app.inject({
        method: 'POST',
        url: '/product_api/',
        headers: { authorization },
        payload: PRODUCT,
      });
      assert.equal(created.statusCode, 201, created.body);
    }
    port = portOf(await ctx().listen());
  });

  it('pagination links carry the Host header, never the target authority', async () => {
    const response = await rawRequest(
      port,
      'GET http://evil.example/product_api/?limit=1&offset=1 HTTP/1.1',
      {
        headers: { Host: host(), Authorization: authorization },
      },
    );
    assert.equal(response.status, 200, response.raw);
    assertKeygateHeaders(response);
    const page = JSON.parse(response.body) as { count: number; next: string; previous: string };
    assert.equal(page.next, `http://${host()}/product_api/?limit=1&offset=2`);
    assert.equal(page.previous, `http://${host()}/product_api/?limit=1`);
    assert.doesNotMatch(response.raw, /evil/);
  });

  it('the trailing-slash 301 is host-relative, built from the path and query only', async () => {
    for (const target of ['http://evil.example/product_api', 'HTTP://evil.example:8080/product_api']) {
      const response = await rawRequest(port, `GET ${target}?limit=2 HTTP/1.1`, {
        headers: { Host: host() },
      });
      assert.equal(response.statusLine, 'HTTP/1.1 301 Moved Permanently', response.raw);
      assert.equal(response.headers.location, '/product_api/?limit=2');
      assertKeygateHeaders(response);
    }
  });

  it('the API root links carry the Host header, also for a target with no path', async () => {
    for (const target of [
      'http://evil.example/',
      'https://evil.example',
      'http://user@evil.example?format=json',
    ]) {
      const response = await rawRequest(port, `GET ${target} HTTP/1.1`, { headers: { Host: host() } });
      assert.equal(response.status, 200, `${target}: ${response.raw}`);
      // A ?format= is carried into the links, as DRF's reverse() does (root-links.test.ts).
      const query = target.endsWith('?format=json') ? '?format=json' : '';
      assert.equal(response.body, `{"product_api":"http://${host()}/product_api/${query}"}`, target);
    }
  });

  it("the admin's login redirect carries the path as next, not the absolute URL", async () => {
    const response = await rawRequest(port, 'GET http://evil.example/admin/ HTTP/1.1', {
      headers: { Host: host() },
    });
    assert.equal(response.status, 302, response.raw);
    assert.equal(response.headers.location, '/admin/login/?next=/admin/');
  });

  it('a Host outside ALLOWED_HOSTS is still refused, whatever the target says', async () => {
    const response = await rawRequest(port, 'GET http://localhost/product_api/ HTTP/1.1', {
      headers: { Host: 'evil.example', Authorization: authorization },
    });
    assert.equal(response.status, 400, response.raw);
    assert.doesNotMatch(response.body, /evil/);
  });
});

describeEachDialect(
  'Absolute-form request targets in production',
  (ctx: () => DialectContext) => {
    it("the plain-HTTP redirect to https uses the Host header and the target's path", async () => {
      const port = portOf(await ctx().listen());
      const response = await rawRequest(port, 'GET http://evil.example/product_api/?limit=1 HTTP/1.1', {
        headers: { Host: 'keygate.example' },
      });
      assert.equal(response.status, 301, response.raw);
      assert.equal(response.headers.location, 'https://keygate.example/product_api/?limit=1');
    });
  },
  {
    dialects: ['sqlite'],
    env: {
      KEYGATE_ENV: 'production',
      SECRET_KEY: 'a-production-secret-that-is-long-enough-0123456789',
      ALLOWED_HOSTS: 'keygate.example',
      // A proxy that is not the test's address: the request counts as plain HTTP.
      TRUSTED_PROXIES: '192.0.2.1',
    },
  },
);
