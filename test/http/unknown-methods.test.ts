// TRACE and any other method an API view does not implement: DRF's 405 with Allow, after authentication.
//
// rest_framework/views.py (3.14), APIView.dispatch:
//     self.initial(request, *args, **kwargs)            # negotiation, authentication, permissions
//     if request.method.lower() in self.http_method_names:
//         handler = getattr(self, request.method.lower(), self.http_method_not_allowed)
//     else:
//         handler = self.http_method_not_allowed          # raises MethodNotAllowed(request.method)
// so a method the view does not implement (TRACE, PROPFIND, FOO) is 405
// `{"detail":"Method \"TRACE\" not allowed."}` with the view's Allow (`_allowed_methods()`), but only
// after initial(): anonymous on a protected view is still 401, and an unsatisfiable Accept 406.
// Django resolves the URL first, whatever the method: an unmatched URL is its 404 page, and a
// URL without its slash is APPEND_SLASH's 301. Django's WSGIRequest upper-cases REQUEST_METHOD.
// fetch() refuses TRACE and unknown methods, so these tests speak HTTP over raw sockets.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect } from 'node:net';
import { before, it } from 'node:test';
import { describeEachDialect, uniqueName, type DialectContext } from '../helpers.js';
import {
  assertKeygateHeaders,
  portOf,
  rawExchange,
  parseResponse,
  rawRequest,
  type RawResponse,
} from './raw-http.js';

const LIST_ALLOW = 'GET, POST, HEAD, OPTIONS';
const DETAIL_ALLOW = 'GET, PUT, PATCH, DELETE, HEAD, OPTIONS';
const ROOT_ALLOW = 'GET, HEAD, OPTIONS';
const TOKEN_ALLOW = 'POST, OPTIONS';
const NOT_AUTHENTICATED = '{"detail":"Authentication credentials were not provided."}';

/** Methods Node's parser knows but Fastify routes nowhere by default. */
const KNOWN_ELSEWHERE = [
  'TRACE',
  'PROPFIND',
  'MKCOL',
  'COPY',
  'LOCK',
  'PURGE',
  'REPORT',
  'SEARCH',
  'QUERY',
  'M-SEARCH',
];
/** Methods Node's parser does not know (its own answer would be a bare 400). */
const UNKNOWN = ['FOO', 'BREW', 'X-CUSTOM', 'PATCHX'];

describeEachDialect('Unknown and unimplemented methods', (ctx: () => DialectContext) => {
  let port: number;
  let authorization: string;
  let id: number;
  const host = () => `127.0.0.1:${port}`;

  function send(method: string, target: string, headers: Record<string, string> = {}): Promise<RawResponse> {
    return rawRequest(port, `${method} ${target} HTTP/1.1`, { headers: { Host: host(), ...headers } });
  }

  /**
   * DRF's Vary: `Accept` where a view has several renderers; `Cookie` where the session was read
   * (the root and the token views authenticate with Session first; a token-authenticated product
   * request never reads it).
   */
  const VARY: Readonly<Record<string, string>> = {
    [ROOT_ALLOW]: 'Accept, Cookie',
    [TOKEN_ALLOW]: 'Cookie',
    [LIST_ALLOW]: 'Accept',
    [DETAIL_ALLOW]: 'Accept',
  };

  function assertNotAllowed(response: RawResponse, method: string, allow: string, what: string): void {
    assert.equal(response.statusLine, 'HTTP/1.1 405 Method Not Allowed', `${what}: ${response.raw}`);
    assert.equal(response.headers['content-type'], 'application/json', what);
    assert.equal(response.body, JSON.stringify({ detail: `Method "${method}" not allowed.` }), what);
    assert.equal(response.headers.allow, allow, what);
    assert.equal(response.headers.vary, VARY[allow], what);
    assertKeygateHeaders(response, what);
  }

  before(async () => {
    port = portOf(await ctx().listen());
    const user = await ctx().keygate.users.createUser({
      username: uniqueName('meth'),
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

  it('TRACE and the other methods Node parses: 405 with Allow on every API view, authenticated', async () => {
    for (const method of KNOWN_ELSEWHERE) {
      assertNotAllowed(
        await send(method, '/product_api/', { authorization }),
        method,
        LIST_ALLOW,
        `${method} list`,
      );
      assertNotAllowed(
        await send(method, `/product_api/${id}/`, { authorization }),
        method,
        DETAIL_ALLOW,
        `${method} detail`,
      );
      // The method check comes before the handler looks the product up.
      assertNotAllowed(
        await send(method, '/product_api/987654/', { authorization }),
        method,
        DETAIL_ALLOW,
        `${method} unknown detail`,
      );
      assertNotAllowed(
        await send(method, `/product_api/${id}.json`, { authorization }),
        method,
        DETAIL_ALLOW,
        method,
      );
      assertNotAllowed(await send(method, '/'), method, ROOT_ALLOW, `${method} root`);
      assertNotAllowed(await send(method, '/.json'), method, ROOT_ALLOW, `${method} /.json`);
      assertNotAllowed(await send(method, '/gettoken/'), method, TOKEN_ALLOW, `${method} gettoken`);
      assertNotAllowed(await send(method, '/customtoken/'), method, TOKEN_ALLOW, `${method} customtoken`);
    }
  });

  it('methods Node itself does not parse (FOO) get the same 405', async () => {
    for (const method of UNKNOWN) {
      assertNotAllowed(await send(method, '/product_api/', { authorization }), method, LIST_ALLOW, method);
      assertNotAllowed(
        await send(method, `/product_api/${id}/`, { authorization }),
        method,
        DETAIL_ALLOW,
        method,
      );
      assertNotAllowed(await send(method, '/'), method, ROOT_ALLOW, method);
      assertNotAllowed(await send(method, '/gettoken/'), method, TOKEN_ALLOW, method);
    }
  });

  it('after authentication: anonymous on a protected view is still 401 with WWW-Authenticate: Token', async () => {
    for (const method of ['TRACE', 'FOO']) {
      for (const target of ['/product_api/', `/product_api/${id}/`]) {
        const response = await send(method, target);
        assert.equal(response.statusLine, 'HTTP/1.1 401 Unauthorized', `${method} ${target}`);
        assert.equal(response.body, NOT_AUTHENTICATED);
        assert.equal(response.headers['www-authenticate'], 'Token');
        assert.equal(response.headers.allow, target === '/product_api/' ? LIST_ALLOW : DETAIL_ALLOW);
      }
      const wrong = await send(method, '/product_api/', { authorization: 'Token nope' });
      assert.equal(wrong.status, 401);
      assert.equal(wrong.body, '{"detail":"Invalid token."}');
    }
  });

  it('after content negotiation: an unsatisfiable Accept is 406 first', async () => {
    for (const method of ['TRACE', 'FOO']) {
      const response = await send(method, '/product_api/', { authorization, accept: 'application/xml' });
      assert.equal(response.status, 406, method);
      const unknownFormat = await send(method, '/product_api.xml', { authorization });
      assert.equal(unknownFormat.status, 404, method);
      assert.equal(unknownFormat.body, '{"detail":"Not found."}');
    }
  });

  it('the browsable API answers them with its page (405 for a logged-in view, as DRF renders errors)', async () => {
    const response = await send('TRACE', '/', { accept: 'text/html' });
    assert.equal(response.status, 405);
    assert.equal(response.headers['content-type'], 'text/html; charset=utf-8');
    assert.match(response.body, /Method \\&quot;TRACE\\&quot; not allowed\./);
  });

  it("URLs no view matches are Django's 404 page; unslashed URLs are redirected first", async () => {
    for (const method of ['TRACE', 'PROPFIND', 'FOO']) {
      for (const target of ['/nothing/', '/product_api/1/extra/', '/product_api/a.b.c/']) {
        const response = await send(method, target);
        assert.equal(response.statusLine, 'HTTP/1.1 404 Not Found', `${method} ${target}`);
        assert.equal(response.headers['content-type'], 'text/html', `${method} ${target}`);
        assert.match(response.body, /<h1>Not Found<\/h1>/);
        assertKeygateHeaders(response);
      }
      for (const [target, location] of [
        ['/product_api', '/product_api/'],
        [`/product_api/${id}?a=1`, `/product_api/${id}/?a=1`],
      ] as const) {
        const response = await send(method, target);
        assert.equal(response.statusLine, 'HTTP/1.1 301 Moved Permanently', `${method} ${target}`);
        assert.equal(response.headers.location, location);
      }
    }
  });

  it('FOO with a body: answered, the body left unread, and the connection closed', async () => {
    const raw = await rawExchange(
      port,
      `FOO /gettoken/ HTTP/1.1\r\nHost: ${host()}\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{"a":"b"}\r\n`,
    );
    const response = parseResponse(raw);
    assertNotAllowed(response, 'FOO', TOKEN_ALLOW, 'FOO with a body');
    assert.equal(response.headers.connection, 'close');
  });

  it('FOO after an answered request on a kept-alive connection: 405, then the connection closes', async () => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.setEncoding('latin1').on('data', (chunk: string) => (received += chunk));
    const closed = once(socket, 'close');
    socket.write(`GET / HTTP/1.1\r\nHost: ${host()}\r\n\r\n`);
    // The first answer whole (its body is the root's JSON), before the second request is sent.
    while (!received.endsWith('}')) await once(socket, 'data');
    const first = parseResponse(received);
    assert.equal(first.statusLine, 'HTTP/1.1 200 OK');
    assert.notEqual(first.headers.connection, 'close');
    received = '';
    socket.write(`FOO / HTTP/1.1\r\nHost: ${host()}\r\n\r\n`);
    await closed;
    const second = parseResponse(received);
    assertNotAllowed(second, 'FOO', ROOT_ALLOW, 'FOO after GET');
    assert.equal(second.headers.connection, 'close');
  });

  it('FOO pipelined behind another request in one packet is a 400 (its start cannot be told from that packet)', async () => {
    const raw = await rawExchange(
      port,
      `GET / HTTP/1.1\r\nHost: ${host()}\r\n\r\nFOO / HTTP/1.1\r\nHost: ${host()}\r\n\r\n`,
    );
    assert.match(raw, /^HTTP\/1\.1 (200 OK|400 Bad Request)\r\n/);
    assert.ok(!raw.includes('405 Method Not Allowed'), raw);
  });

  it('a malformed request with an unknown method is still a 400', async () => {
    for (const request of [
      'FOO /\r\n\r\n',
      `FOO / HTTP/1.1\r\n\r\n`,
      `FOO / HTTP/1.1\r\nHost: ${host()}\r\nBad Header: x\r\n\r\n`,
      `FOO / HTTP/1.1\r\nHost: ${host()}\r\n folded: x\r\n\r\n`,
      `FOO / HTTP/1.1\r\nHost: ${host()}\r\nHost: other\r\n\r\n`,
      `FO{O / HTTP/1.1\r\nHost: ${host()}\r\n\r\n`,
      `FOO /a b HTTP/1.1\r\nHost: ${host()}\r\n\r\n`,
      // gunicorn's rule for a method (22.0, permit_unconventional_http_method off): a token of 3 to
      // 20 characters without lower-case letters or `#`; Node's parser takes no lower case either.
      `${'F'.repeat(21)} / HTTP/1.1\r\nHost: ${host()}\r\n\r\n`,
      `FO / HTTP/1.1\r\nHost: ${host()}\r\n\r\n`,
      `foo / HTTP/1.1\r\nHost: ${host()}\r\n\r\n`,
      `get / HTTP/1.1\r\nHost: ${host()}\r\n\r\n`,
      `FO#O / HTTP/1.1\r\nHost: ${host()}\r\n\r\n`,
    ]) {
      const response = parseResponse(await rawExchange(port, request));
      assert.equal(response.statusLine, 'HTTP/1.1 400 Bad Request', JSON.stringify(request));
      assert.equal(response.body, '{"detail":"Bad request."}');
    }
  });
});
