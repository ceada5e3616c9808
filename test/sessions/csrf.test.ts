// CSRF as DRF enforces it: on unsafe requests authenticated by session only; never for tokens.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { describeEachDialect, uniqueName, type DialectContext } from '../helpers.js';
import { formBody, SessionClient } from './session-client.js';

const PASSWORD = 'correct horse battery';
const PRODUCT = { name: 'Coffee', description: 'Beans', price: '20.48', stock: '7' };

describeEachDialect('CSRF on session-authenticated requests', (ctx: () => DialectContext) => {
  let username: string;
  let authorization: string;

  before(async () => {
    username = uniqueName('alice');
    const user = await ctx().keygate.users.createUser({ username, password: PASSWORD });
    authorization = `Token ${(await ctx().keygate.tokens.getOrCreate(user)).key}`;
  });

  async function loggedIn(): Promise<SessionClient> {
    const client = new SessionClient(ctx().app);
    assert.equal((await client.login(username, PASSWORD)).statusCode, 302);
    return client;
  }

  const json = (
    client: SessionClient,
    method: 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    headers = {},
  ) =>
    client.send({
      method,
      url,
      headers: { 'content-type': 'application/json', ...headers },
      payload: JSON.stringify(PRODUCT),
    });

  it('a session POST without a CSRF token is 403 with DRF\'s "CSRF Failed" detail', async () => {
    const client = await loggedIn();
    const response = await json(client, 'POST', '/product_api/');
    assert.equal(response.statusCode, 403);
    assert.equal(response.headers['content-type'], 'application/json');
    assert.equal(response.body, '{"detail":"CSRF Failed: CSRF token missing."}');
    assert.equal(response.headers['www-authenticate'], undefined);
  });

  it('a wrong token, or one from another session, is "CSRF token incorrect."', async () => {
    const client = await loggedIn();
    const other = await loggedIn();
    for (const token of ['nonsense', await other.tokenFrom('/product_api/')]) {
      const response = await json(client, 'POST', '/product_api/', { 'x-csrftoken': token });
      assert.equal(response.statusCode, 403, token);
      assert.equal(response.body, '{"detail":"CSRF Failed: CSRF token incorrect."}');
    }
  });

  it('a token issued before login is retired by the login (tokens are bound to the session)', async () => {
    const client = new SessionClient(ctx().app);
    const before = await client.tokenFrom('/auth/login/');
    await client.login(username, PASSWORD);
    const response = await json(client, 'POST', '/product_api/', { 'x-csrftoken': before });
    assert.equal(response.body, '{"detail":"CSRF Failed: CSRF token incorrect."}');
  });

  it('without the CSRF cookie: "CSRF cookie not set."', async () => {
    const client = await loggedIn();
    const token = await client.tokenFrom('/product_api/');
    client.cookies.delete('csrfsecret');
    const response = await json(client, 'POST', '/product_api/', { 'x-csrftoken': token });
    assert.equal(response.body, '{"detail":"CSRF Failed: CSRF cookie not set."}');
  });

  it('with the X-CSRFToken header the session POST is 201; PUT, PATCH and DELETE likewise', async () => {
    const client = await loggedIn();
    const token = await client.tokenFrom('/product_api/');
    const created = await json(client, 'POST', '/product_api/', { 'x-csrftoken': token });
    assert.equal(created.statusCode, 201, created.body);
    const url = `/product_api/${created.json<{ id: number }>().id}/`;
    for (const method of ['PUT', 'PATCH'] as const) {
      assert.equal((await json(client, method, url)).statusCode, 403, method);
      assert.equal((await json(client, method, url, { 'x-csrftoken': token })).statusCode, 200, method);
    }
    assert.equal((await client.send({ method: 'DELETE', url })).statusCode, 403);
    assert.equal(
      (await client.send({ method: 'DELETE', url, headers: { 'x-csrftoken': token } })).statusCode,
      204,
    );
  });

  it('a form carries the token in csrfmiddlewaretoken: 201', async () => {
    const client = await loggedIn();
    const token = await client.tokenFrom('/product_api/');
    const response = await client.send({
      method: 'POST',
      url: '/product_api/',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: formBody({ ...PRODUCT, csrfmiddlewaretoken: token }),
    });
    assert.equal(response.statusCode, 201, response.body);
    assert.equal(response.json<{ name: string }>().name, 'Coffee');
  });

  it('a cross-site Origin is refused even with a valid token', async () => {
    const client = await loggedIn();
    const token = await client.tokenFrom('/product_api/');
    const response = await json(client, 'POST', '/product_api/', {
      'x-csrftoken': token,
      origin: 'https://evil.example',
    });
    assert.equal(response.statusCode, 403);
    assert.equal(
      response.body,
      '{"detail":"CSRF Failed: Origin checking failed - https://evil.example does not match any trusted origins."}',
    );
    const sameOrigin = await json(client, 'POST', '/product_api/', {
      'x-csrftoken': token,
      origin: 'http://localhost:80',
    });
    assert.equal(sameOrigin.statusCode, 201, sameOrigin.body);
  });

  it('safe methods never need a token', async () => {
    const client = await loggedIn();
    for (const method of ['GET', 'HEAD', 'OPTIONS'] as const) {
      assert.equal((await client.send({ method, url: '/product_api/' })).statusCode, 200, method);
    }
  });

  it('token authentication needs no CSRF token, even with a session cookie beside it', async () => {
    const client = await loggedIn();
    const response = await json(client, 'POST', '/product_api/', { authorization });
    assert.equal(response.statusCode, 201, response.body);
    const bare = await ctx().app.inject({
      method: 'POST',
      url: '/product_api/',
      headers: { authorization, 'content-type': 'application/json' },
      payload: JSON.stringify(PRODUCT),
    });
    assert.equal(bare.statusCode, 201);
  });

  it('an anonymous POST is 401 (authentication), not a CSRF failure', async () => {
    const response = await ctx().app.inject({
      method: 'POST',
      url: '/product_api/',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify(PRODUCT),
    });
    assert.equal(response.statusCode, 401);
    assert.equal(response.headers['www-authenticate'], 'Token');
  });

  it('the login form itself needs its token', async () => {
    const client = new SessionClient(ctx().app);
    await client.tokenFrom('/auth/login/');
    const response = await client.send({
      method: 'POST',
      url: '/auth/login/',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: formBody({ username, password: PASSWORD }),
    });
    assert.equal(response.statusCode, 403);
    assert.match(response.body, /CSRF Failed: CSRF token missing\./);
    assert.equal(client.cookies.get('sessionid'), undefined);
  });
});
