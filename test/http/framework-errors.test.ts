// No framework error body reaches a client: errors Fastify, Node's HTTP server or a plugin raise
// themselves are answered with keygate's JSON and headers, seen over a raw socket.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { after, before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { describeEachDialect, type DialectContext } from '../helpers.js';
import {
  assertKeygateHeaders,
  parseResponse,
  portOf,
  rawExchange,
  rawRequest,
  type RawResponse,
} from './raw-http.js';

const NOT_AUTHENTICATED = '{"detail":"Authentication credentials were not provided."}';
const SERVER_ERROR = '{"detail":"A server error occurred."}';

/** Routes that fail the ways code can fail while answering (added to the real app for these tests). */
function failingRoutes(app: FastifyInstance): void {
  // A header value Node refuses (outside Latin-1): writeHead throws ERR_INVALID_CHAR.
  app.get('/_test/bad-header', (_request, reply) => reply.header('x-test', '\u3002').send('x'));
  // An onSend hook failing on the route's answer only.
  app.get(
    '/_test/onsend-once',
    {
      onSend: (_request, reply, payload, done) => {
        if (reply.statusCode === 200) done(new Error('onSend failed'));
        else done(null, payload);
      },
    },
    (_request, reply) => reply.send('x'),
  );
  // A failing handler whose onSend hook fails on every answer, keygate's error answer included.
  app.get(
    '/_test/onsend-always',
    { onSend: (_request, _reply, _payload, done) => done(new Error('onSend always fails')) },
    () => {
      throw new Error('handler failed');
    },
  );
  // An object JSON.stringify cannot serialise.
  app.get('/_test/unserialisable', () => ({ n: 1n }));
}

/** Asserts keygate's JSON error answer. */
function assertJsonError(response: RawResponse, statusLine: string, body: string): void {
  assert.equal(response.statusLine, statusLine, response.raw);
  assert.equal(response.headers['content-type'], 'application/json', response.raw);
  assert.equal(response.body, body);
  assert.equal(response.headers['content-length'], String(Buffer.byteLength(body)));
  assertKeygateHeaders(response);
}

describeEachDialect(
  'Framework errors',
  (ctx: () => DialectContext) => {
    let port: number;
    const host = () => `127.0.0.1:${port}`;
    const get = (target: string) => rawRequest(port, `GET ${target} HTTP/1.1`, { headers: { Host: host() } });

    before(async () => {
      port = portOf(await ctx().listen());
    });

    it("broken percent-encoding in the path never reaches the router's FST_ERR_BAD_URL 400", async () => {
      // Decoded as Django does (repercent.ts): the detail view's own 404, or Django's page when no
      // route matches (not-found-page.test.ts has the page byte for byte).
      for (const target of ['/product_api/%ff/', '/product_api/%zz/']) {
        assert.equal((await get(target)).status, 401, target);
      }
      for (const target of ['/nothing/%E3%80', '/%']) {
        const response = await get(target);
        assert.equal(response.statusLine, 'HTTP/1.1 404 Not Found', target);
        assert.equal(response.headers['content-type'], 'text/html', target);
        assertKeygateHeaders(response);
      }
    });

    it('a long lookup reaches its view, as Django matches it (no FST_ERR_MAX_PARAM_LENGTH)', async () => {
      const long = '9'.repeat(8000);
      assertJsonError(await get(`/product_api/${long}/`), 'HTTP/1.1 401 Unauthorized', NOT_AUTHENTICATED);
      const unmatched = await get(`/product_api/${long}/extra/`);
      assert.equal(unmatched.statusLine, 'HTTP/1.1 404 Not Found');
      assert.equal(unmatched.headers['content-type'], 'text/html');
    });

    it('a header value Node refuses is a 500 with a fresh set of headers (ERR_INVALID_CHAR)', async () => {
      const response = await get('/_test/bad-header');
      assertJsonError(response, 'HTTP/1.1 500 Internal Server Error', SERVER_ERROR);
      assert.equal(response.headers['x-test'], undefined);
    });

    it('an onSend hook that fails is a 500', async () => {
      assertJsonError(await get('/_test/onsend-once'), 'HTTP/1.1 500 Internal Server Error', SERVER_ERROR);
    });

    it("an onSend hook that fails again on keygate's own error answer is still keygate's 500", async () => {
      assertJsonError(await get('/_test/onsend-always'), 'HTTP/1.1 500 Internal Server Error', SERVER_ERROR);
    });

    it('a body that cannot be serialised is a 500', async () => {
      assertJsonError(await get('/_test/unserialisable'), 'HTTP/1.1 500 Internal Server Error', SERVER_ERROR);
    });

    it("content-type parser and body errors are keygate's 4xx", async () => {
      const post = (type: string, body: string, extra: Record<string, string> = {}) =>
        rawRequest(port, 'POST /gettoken/ HTTP/1.1', {
          headers: { Host: host(), 'Content-Type': type, ...extra },
          body,
        });
      assertJsonError(
        await post('text/plain', 'x'),
        'HTTP/1.1 415 Unsupported Media Type',
        '{"detail":"Unsupported media type \\"text/plain\\" in request."}',
      );
      const malformed = await post('application/json', '{"username":');
      assert.equal(malformed.status, 400);
      assert.match(malformed.body, /^\{"detail":"JSON parse error - /);
      assertKeygateHeaders(malformed);
      assertJsonError(
        await post('multipart/form-data', 'x'),
        'HTTP/1.1 400 Bad Request',
        '{"detail":"Multipart form parse error - Invalid boundary in multipart: None"}',
      );
      const tooLarge = await rawRequest(port, 'POST /gettoken/ HTTP/1.1', {
        headers: { Host: host(), 'Content-Type': 'application/json', 'Content-Length': '2000000' },
      });
      assertJsonError(tooLarge, 'HTTP/1.1 413 Payload Too Large', '{"detail":"Request body is too large."}');
    });

    it('an Expect other than 100-continue is ignored, as Django does, not answered by Node with a bare 417', async () => {
      const response = await rawRequest(port, 'GET / HTTP/1.1', { headers: { Host: host(), Expect: 'foo' } });
      assert.equal(response.statusLine, 'HTTP/1.1 200 OK', response.raw);
      assert.equal(response.body, `{"product_api":"http://${host()}/product_api/"}`);
      assertKeygateHeaders(response);
    });

    /** A request Node's parser refuses: keygate's minimal JSON answer, then the connection closes. */
    async function assertClientError(request: string, statusLine: string, detail: string): Promise<void> {
      const raw = await rawExchange(port, request);
      const response = parseResponse(raw);
      assertJsonError(response, statusLine, JSON.stringify({ detail }));
      assert.equal(response.headers.connection, 'close');
      assert.equal(
        raw.length,
        raw.indexOf('\r\n\r\n') + 4 + response.body.length,
        'nothing after the answer',
      );
    }

    it('a malformed request line is a 400 from keygate, and the connection is closed', async () => {
      await assertClientError('GARBAGE\r\n\r\n', 'HTTP/1.1 400 Bad Request', 'Bad request.');
      await assertClientError(
        `GET / HTTP/9.9\r\nHost: ${host()}\r\n\r\n`,
        'HTTP/1.1 400 Bad Request',
        'Bad request.',
      );
    });

    it('malformed headers are a 400 from keygate', async () => {
      await assertClientError(
        `GET / HTTP/1.1\r\nHost: ${host()}\r\nNo colon here\r\n\r\n`,
        'HTTP/1.1 400 Bad Request',
        'Bad request.',
      );
      await assertClientError(
        `POST /gettoken/ HTTP/1.1\r\nHost: ${host()}\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
        'HTTP/1.1 400 Bad Request',
        'Bad request.',
      );
    });

    it('a malformed chunked body is a 400 from keygate, also once the request is being handled', async () => {
      for (const chunks of ['zz\r\n', '5\r\n{"a":\r\nzz\r\n']) {
        await assertClientError(
          `POST /gettoken/ HTTP/1.1\r\nHost: ${host()}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n${chunks}`,
          'HTTP/1.1 400 Bad Request',
          'Bad request.',
        );
      }
    });

    it('headers past the size limit are a 431 from keygate', async () => {
      await assertClientError(
        `GET / HTTP/1.1\r\nHost: ${host()}\r\nX-Padding: ${'a'.repeat(20_000)}\r\n\r\n`,
        'HTTP/1.1 431 Request Header Fields Too Large',
        'Request header fields too large.',
      );
    });

    it('a client that keeps sending after a refused request still reads the whole answer, then is cut', async () => {
      const started = Date.now();
      const received = await new Promise<string>((resolve) => {
        // Half-open: this client never closes its side, and writes on after the server has answered.
        const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
        const chunks: Buffer[] = [];
        socket.on('data', (chunk: Buffer) => chunks.push(chunk));
        socket.on('error', () => undefined);
        socket.on('close', () => {
          clearInterval(more);
          resolve(Buffer.concat(chunks).toString('latin1'));
        });
        socket.write(`GET / HTTP/1.1\r\nHost: ${host()}\r\nX-Padding: ${'a'.repeat(20_000)}`);
        const more = setInterval(() => socket.writable && socket.write('b'.repeat(4096)), 50);
      });
      const response = parseResponse(received);
      assertJsonError(
        response,
        'HTTP/1.1 431 Request Header Fields Too Large',
        '{"detail":"Request header fields too large."}',
      );
      assert.ok(Date.now() - started < 5000, 'the connection is closed within a few seconds');
    });
  },
  { setup: failingRoutes },
);

describeEachDialect(
  'Request timeouts',
  (ctx: () => DialectContext) => {
    let app: FastifyInstance;

    before(async () => {
      app = buildApp(ctx().keygate, { logger: false });
      await app.listen({ host: '127.0.0.1', port: 0 });
    });
    after(() => app.close());

    it('a request that times out gets a 408 from keygate, then the connection is closed', async () => {
      const port = (app.server.address() as AddressInfo).port;
      const accepted = once(app.server, 'connection') as Promise<[Socket]>;
      const exchange = rawExchange(port, 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n');
      const [socket] = await accepted;
      // What Node's server does when requestTimeout or headersTimeout passes (onRequestTimeout).
      const timeout = Object.assign(new Error('Request timeout'), { code: 'ERR_HTTP_REQUEST_TIMEOUT' });
      app.server.emit('clientError', timeout, socket);
      const response = parseResponse(await exchange);
      assertJsonError(response, 'HTTP/1.1 408 Request Timeout', '{"detail":"Request timeout."}');
    });
  },
  { dialects: ['sqlite'] },
);
