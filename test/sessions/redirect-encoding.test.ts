// Every redirect's Location is encoded as Django's iri_to_uri does, so no `next` can break the answer.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { describeEachDialect, uniqueName, type DialectContext } from '../helpers.js';
import { assertKeygateHeaders, portOf, rawRequest, type RawResponse } from '../http/raw-http.js';
import { formBody, SessionClient } from './session-client.js';

const PASSWORD = 'correct horse battery';
/** U+3002 IDEOGRAPHIC FULL STOP: outside Latin-1, so Node refuses it in a header value. */
const IDEOGRAPHIC = '/\u3002';
const IDEOGRAPHIC_URI = '/%E3%80%82';

/** Whether every character of `text` is ASCII. */
const isAscii = (text: string) => [...text].every((c) => c.charCodeAt(0) < 0x80);

/** Asserts a redirect as Django's HttpResponseRedirect sends it, with keygate's headers. */
function assertRedirect(response: RawResponse, location: string, status = 302): void {
  assert.equal(
    response.statusLine,
    `HTTP/1.1 ${status} ${status === 302 ? 'Found' : 'Moved Permanently'}`,
    response.raw,
  );
  assert.equal(response.headers.location, location);
  assert.equal(response.headers['content-type'], 'text/html; charset=utf-8');
  assertKeygateHeaders(response);
}

describeEachDialect('Redirect targets are encoded (iri_to_uri)', (ctx: () => DialectContext) => {
  let port: number;
  let alice: string;
  let staff: string;

  before(async () => {
    alice = uniqueName('alice');
    staff = uniqueName('staff');
    await ctx().keygate.users.createUser({ username: alice, password: PASSWORD });
    await ctx().keygate.users.createUser({ username: staff, password: PASSWORD, isStaff: true });
    port = portOf(await ctx().listen());
  });

  const host = () => `127.0.0.1:${port}`;

  /** Posts a form over a raw socket with the client's cookies and the CSRF token of `pageUrl`. */
  async function rawPost(
    client: SessionClient,
    url: string,
    fields: Readonly<Record<string, string>>,
    pageUrl = url,
  ): Promise<RawResponse> {
    const csrfmiddlewaretoken = await client.tokenFrom(pageUrl);
    return rawRequest(port, `POST ${url} HTTP/1.1`, {
      headers: {
        Host: host(),
        Cookie: client.cookieHeader(),
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: formBody({ ...fields, csrfmiddlewaretoken }),
    });
  }

  it('POST /auth/login/ with next=/。 answers 302 to /%E3%80%82', async () => {
    const client = new SessionClient(ctx().app);
    const response = await rawPost(client, '/auth/login/', {
      username: alice,
      password: PASSWORD,
      next: IDEOGRAPHIC,
    });
    assertRedirect(response, IDEOGRAPHIC_URI);
    assert.match(response.headers['set-cookie'] ?? '', /^sessionid=/m, 'logged in');
  });

  it('POST /auth/logout/ with next=/。 answers 302 to /%E3%80%82', async () => {
    const client = new SessionClient(ctx().app);
    assert.equal((await client.login(alice, PASSWORD)).statusCode, 302);
    const response = await rawPost(client, '/auth/logout/', { next: IDEOGRAPHIC });
    assertRedirect(response, IDEOGRAPHIC_URI);
  });

  it('POST /admin/login/ with next=/。 answers 302 to /%E3%80%82', async () => {
    const client = new SessionClient(ctx().app);
    const response = await rawPost(client, '/admin/login/', {
      username: staff,
      password: PASSWORD,
      next: IDEOGRAPHIC,
    });
    assertRedirect(response, IDEOGRAPHIC_URI);
  });

  it('GET /admin/login/?next=/%E3%80%82 by a logged-in staff user answers 302 to /%E3%80%82', async () => {
    const client = new SessionClient(ctx().app);
    const login = await client.postForm('/admin/login/', { username: staff, password: PASSWORD });
    assert.equal(login.statusCode, 302);
    const response = await rawRequest(port, `GET /admin/login/?next=${IDEOGRAPHIC_URI} HTTP/1.1`, {
      headers: { Host: host(), Cookie: client.cookieHeader() },
    });
    assertRedirect(response, IDEOGRAPHIC_URI);
  });

  it('encodes Latin-1 characters instead of sending their raw bytes', async () => {
    const client = new SessionClient(ctx().app);
    const response = await rawPost(client, '/auth/login/', {
      username: alice,
      password: PASSWORD,
      next: '/caf\u00e9/',
    });
    assertRedirect(response, '/caf%C3%A9/');
    assert.ok(isAscii(response.raw), 'the whole answer is ASCII');
  });

  it('keeps the escapes already in a target and encodes the rest', async () => {
    const client = new SessionClient(ctx().app);
    const next = '/product_api/?name=caf\u00e9&q=a%20b&x=\u2713 y';
    const response = await rawPost(client, '/auth/login/', { username: alice, password: PASSWORD, next });
    assertRedirect(response, '/product_api/?name=caf%C3%A9&q=a%20b&x=%E2%9C%93%20y');
    assert.ok(isAscii(response.raw), 'the whole answer is ASCII');
  });

  it("encodes the API views' trailing-slash 301 (Django: escape_uri_path, then iri_to_uri)", async () => {
    const response = await rawRequest(port, 'GET /product_api/<b>?q="x" HTTP/1.1', {
      headers: { Host: host() },
    });
    assertRedirect(response, '/product_api/%3Cb%3E/?q=%22x%22', 301);
  });

  it("sends anonymous admin visitors to the login page with next quoted as Django's redirect_to_login does", async () => {
    const response = await rawRequest(port, 'GET /admin/products/?q=a%20b&o=1 HTTP/1.1', {
      headers: { Host: host() },
    });
    assertRedirect(response, '/admin/login/?next=/admin/products/%3Fq%3Da%2520b%26o%3D1');
  });
});
