// Every request body, whatever its media type, is refused past 1 MiB before it is read: over real sockets.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect } from 'node:net';
import { before, it } from 'node:test';
import { describeEachDialect, uniqueName, type DialectContext } from '../helpers.js';
import { byteLength, multipartBody, multipartFields, upload, type UploadResult } from './raw-upload.js';

const MiB = 1_048_576;
const TOO_LARGE = '{"detail":"Request body is too large."}';
const BOUNDARY = '----keygate-limit-test';
const MULTIPART = `multipart/form-data; boundary=${BOUNDARY}`;
/**
 * What a client may have handed to its socket before a server that stopped reading answers: the
 * 1 MiB the server may read, plus what loopback socket buffers absorb. A server that reads a whole
 * 100 MB body lets the client send all of it first.
 */
const READ_BOUND = 16 * MiB;

/** Asserts a 413 with keygate's JSON body, sent without reading the body, and the connection closed. */
function assertRefusedEarly(result: UploadResult, total: number): void {
  assert.equal(result.status, 413, `${result.status} ${result.body}`);
  assert.equal(result.headers['content-type'], 'application/json');
  assert.equal(result.body, TOO_LARGE);
  assert.equal(result.sentAll, false, `the client sent all ${total} bytes before the answer`);
  assert.ok(
    result.sentBeforeResponse < READ_BOUND,
    `the client had sent ${result.sentBeforeResponse} of ${total} bytes before the answer`,
  );
  assert.equal(result.headers.connection, 'close');
  assert.ok(result.closedByServer, 'the server kept the connection open to read the rest');
}

describeEachDialect('request body limit', (ctx: () => DialectContext) => {
  let base: URL;
  let port: number;
  let username: string;
  const password = 'correct horse';
  let authorization: string;

  before(async () => {
    base = new URL(await ctx().listen());
    port = Number(base.port);
    username = uniqueName('alice');
    const user = await ctx().keygate.users.createUser({ username, password });
    authorization = `Token ${(await ctx().keygate.tokens.getOrCreate(user)).key}`;
  });

  it('100 multipart fields of 1 MB each, with their Content-Length: 413 at once, nothing read', async () => {
    const total = byteLength(multipartBody(BOUNDARY, 100, 1_000_000));
    for (const [path, headers] of [
      ['/gettoken/', {}],
      ['/product_api/', { authorization }],
    ] as const) {
      const result = await upload({
        port,
        path,
        headers: { ...headers, 'content-type': MULTIPART, 'content-length': String(total) },
        body: multipartBody(BOUNDARY, 100, 1_000_000),
      });
      assertRefusedEarly(result, total);
    }
  });

  it('the same body chunked (no Content-Length): cut off with a 413 once past 1 MiB', async () => {
    const total = byteLength(multipartBody(BOUNDARY, 100, 1_000_000));
    for (const [path, headers] of [
      ['/gettoken/', {}],
      ['/product_api/', { authorization }],
      ['/customtoken/', {}],
    ] as const) {
      const result = await upload({
        port,
        path,
        headers: { ...headers, 'content-type': MULTIPART },
        body: multipartBody(BOUNDARY, 100, 1_000_000),
        chunked: true,
      });
      assertRefusedEarly(result, total);
    }
  });

  it('one 2 MB file part: 413, with a Content-Length or chunked', async () => {
    const total = byteLength(multipartBody(BOUNDARY, 1, 2_000_000, 'big.txt'));
    for (const chunked of [false, true]) {
      const result = await upload({
        port,
        path: '/gettoken/',
        headers: { 'content-type': MULTIPART, ...(!chunked && { 'content-length': String(total) }) },
        body: multipartBody(BOUNDARY, 1, 2_000_000, 'big.txt'),
        chunked,
      });
      assert.equal(result.status, 413, `chunked: ${chunked}: ${result.body}`);
      assert.equal(result.body, TOO_LARGE);
      assert.ok(result.closedByServer, `chunked: ${chunked}: the connection stayed open`);
    }
  });

  it('a chunked body of parts each within every per-part limit is cut off at 1 MiB in total', async () => {
    // 100 fields of 20 kB: within the field count and the field size, 2 MB together.
    const result = await upload({
      port,
      path: '/gettoken/',
      headers: { 'content-type': MULTIPART },
      body: multipartBody(BOUNDARY, 100, 20_000),
      chunked: true,
    });
    assert.equal(result.status, 413, result.body);
    assert.equal(result.body, TOO_LARGE);
    assert.ok(result.closedByServer);
  });

  it('101 small fields: a clear 400, not silently truncated data', async () => {
    const fields = Array.from({ length: 101 }, (_, i) => [`f${i}`, 'x'] as const);
    for (const chunked of [false, true]) {
      const body = multipartFields(BOUNDARY, [['username', username], ['password', password], ...fields]);
      const result = await upload({
        port,
        path: '/gettoken/',
        headers: { 'content-type': MULTIPART, ...(!chunked && { 'content-length': String(body.length) }) },
        body: [body],
        chunked,
      });
      assert.equal(result.status, 400, result.body);
      assert.equal(result.headers['content-type'], 'application/json');
      assert.equal(result.body, '{"detail":"Multipart form parse error - Too many fields (at most 100)."}');
    }
  });

  it('six files: a clear 400', async () => {
    const result = await upload({
      port,
      path: '/gettoken/',
      headers: { 'content-type': MULTIPART },
      body: multipartBody(BOUNDARY, 6, 10, 'f.txt'),
      chunked: true,
    });
    assert.equal(result.status, 400, result.body);
    assert.equal(result.body, '{"detail":"Multipart form parse error - Too many files (at most 5)."}');
  });

  it('more than 1000 urlencoded fields: a clear 400, not the first 1000 silently', async () => {
    const body = Buffer.from(
      `${Array.from({ length: 1001 }, (_, i) => `f${i}=x`).join('&')}&username=${username}&password=x`,
    );
    const result = await upload({
      port,
      path: '/gettoken/',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(body.length) },
      body: [body],
    });
    assert.equal(result.status, 400, result.body);
    assert.equal(result.body, '{"detail":"Form parse error - Too many fields (at most 1000)."}');
  });

  it('JSON and form bodies past 1 MiB: 413 too, chunked or not, and the connection closed', async () => {
    const chunk = Buffer.alloc(64 * 1024, ' ');
    const body = (): Buffer[] => Array.from({ length: 1600 }, () => chunk);
    const total = byteLength(body());
    for (const type of ['application/json', 'application/x-www-form-urlencoded']) {
      for (const chunked of [false, true]) {
        const result = await upload({
          port,
          path: '/product_api/',
          headers: {
            authorization,
            'content-type': type,
            ...(!chunked && { 'content-length': String(total) }),
          },
          body: body(),
          chunked,
        });
        assertRefusedEarly(result, total);
      }
    }
  });

  it('an unsupported media type is refused (413 past the limit, else 415) without reading the body', async () => {
    const chunk = Buffer.alloc(64 * 1024, 'a');
    const body = (): Buffer[] => Array.from({ length: 1600 }, () => chunk);
    const total = byteLength(body());
    const declared = await upload({
      port,
      path: '/gettoken/',
      headers: { 'content-type': 'text/plain', 'content-length': String(total) },
      body: body(),
    });
    assertRefusedEarly(declared, total);
    const chunked = await upload({
      port,
      path: '/gettoken/',
      headers: { 'content-type': 'text/plain' },
      body: body(),
      chunked: true,
    });
    assert.equal(chunked.status, 415, chunked.body);
    assert.equal(chunked.body, '{"detail":"Unsupported media type \\"text/plain\\" in request."}');
    assert.equal(chunked.sentAll, false);
    assert.ok(chunked.sentBeforeResponse < READ_BOUND, `${chunked.sentBeforeResponse} bytes sent`);
    assert.ok(chunked.closedByServer, 'the server kept reading the unsupported body');
  });

  it('an unauthenticated product POST is a 401 that does not read the body either', async () => {
    const total = byteLength(multipartBody(BOUNDARY, 100, 1_000_000));
    for (const chunked of [false, true]) {
      const result = await upload({
        port,
        path: '/product_api/',
        headers: { 'content-type': MULTIPART, ...(!chunked && { 'content-length': String(total) }) },
        body: multipartBody(BOUNDARY, 100, 1_000_000),
        chunked,
      });
      assert.equal(result.status, 401, result.body);
      assert.equal(result.sentAll, false);
      assert.ok(result.sentBeforeResponse < READ_BOUND, `${result.sentBeforeResponse} bytes sent`);
      assert.ok(result.closedByServer, 'the server kept reading the body of a refused request');
    }
  });

  it('a small multipart login and a small multipart product POST still work, and keep the connection', async () => {
    for (const chunked of [false, true]) {
      const login = multipartFields(BOUNDARY, [
        ['username', username],
        ['password', password],
      ]);
      const token = await upload({
        port,
        path: '/gettoken/',
        headers: { 'content-type': MULTIPART, ...(!chunked && { 'content-length': String(login.length) }) },
        body: [login],
        chunked,
        closeWithinMs: 200,
      });
      assert.equal(token.status, 200, token.body);
      assert.equal(token.body, JSON.stringify({ token: authorization.slice('Token '.length) }));
      assert.equal(token.closedByServer, false, 'a complete request keeps its keep-alive connection');

      const product = multipartFields(BOUNDARY, [
        ['name', 'Coffee'],
        ['description', 'Beans'],
        ['price', '20.48'],
        ['stock', '7'],
      ]);
      const created = await upload({
        port,
        path: '/product_api/',
        headers: {
          authorization,
          'content-type': MULTIPART,
          ...(!chunked && { 'content-length': String(product.length) }),
        },
        body: [product],
        chunked,
        closeWithinMs: 200,
      });
      assert.equal(created.status, 201, created.body);
      assert.match(created.body, /"name":"Coffee","description":"Beans","price":"20.48","stock":7/);
    }
  });

  it('Expect: 100-continue: the body is asked for only when it will be read', async () => {
    const total = byteLength(multipartBody(BOUNDARY, 100, 1_000_000));
    /** Sends the head alone and returns the first status line that comes back. */
    const firstAnswer = async (path: string, headers: Record<string, string>): Promise<string> => {
      const socket = connect(port, '127.0.0.1');
      try {
        const head = [`POST ${path} HTTP/1.1`, `Host: 127.0.0.1:${port}`, 'Expect: 100-continue'];
        for (const [name, value] of Object.entries(headers)) head.push(`${name}: ${value}`);
        socket.write(`${head.join('\r\n')}\r\n\r\n`);
        const [data] = (await once(socket, 'data')) as [Buffer];
        return data.toString('latin1').split('\r\n', 1)[0]!;
      } finally {
        socket.destroy();
      }
    };
    // Too large, or not authenticated: the final answer comes at once and the client sends nothing.
    assert.equal(
      await firstAnswer('/gettoken/', { 'content-type': MULTIPART, 'content-length': String(total) }),
      'HTTP/1.1 413 Payload Too Large',
    );
    assert.equal(
      await firstAnswer('/product_api/', { 'content-type': MULTIPART, 'content-length': '1000' }),
      'HTTP/1.1 401 Unauthorized',
    );
    // A body that will be read is asked for.
    assert.equal(
      await firstAnswer('/product_api/', {
        authorization,
        'content-type': 'application/json',
        'content-length': '1000',
      }),
      'HTTP/1.1 100 Continue',
    );
  });

  it('a body of exactly 1 MiB is accepted; one byte more is not', async () => {
    const filler = (size: number): Buffer => {
      const head = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="username"\r\n\r\n${username}\r\n--${BOUNDARY}\r\nContent-Disposition: form-data; name="password"\r\n\r\n${password}\r\n--${BOUNDARY}\r\nContent-Disposition: form-data; name="padding"\r\n\r\n`;
      const tail = `\r\n--${BOUNDARY}--\r\n`;
      return Buffer.from(`${head}${'p'.repeat(size - head.length - tail.length)}${tail}`);
    };
    for (const chunked of [false, true]) {
      const exact = await upload({
        port,
        path: '/gettoken/',
        headers: { 'content-type': MULTIPART, ...(!chunked && { 'content-length': String(MiB) }) },
        body: [filler(MiB)],
        chunked,
        closeWithinMs: 100,
      });
      assert.equal(exact.status, 200, `chunked: ${chunked}: ${exact.body}`);
      const over = await upload({
        port,
        path: '/gettoken/',
        headers: { 'content-type': MULTIPART, ...(!chunked && { 'content-length': String(MiB + 1) }) },
        body: [filler(MiB + 1)],
        chunked,
      });
      assert.equal(over.status, 413, `chunked: ${chunked}: ${over.body}`);
    }
  });
});
