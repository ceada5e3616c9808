// Request logs: JSON lines with a request id, echoed in X-Request-Id, and no secret in any line.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { loadConfig } from '../../src/config.js';
import {
  censorSecrets,
  genReqId,
  loggerOptions,
  redactUrl,
  requestIdHook,
  requestLogging,
} from '../../src/http/logging.js';

const KEY = 'abcdef0123456789abcdef0123456789abcdef01';
const COOKIE_SECRET = 'cookie-value-4f9a';
const PASSWORD = 'hunter2-password-7c1e';
const TOKEN = 'token-field-value-92bd';
const QUERY_SECRET = 'query-secret-3e5d';
const SECRETS = [KEY, COOKIE_SECRET, PASSWORD, TOKEN, QUERY_SECRET];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** An app with keygate's logger options writing into `lines`. */
interface LoggedApp {
  readonly app: FastifyInstance;
  readonly lines: string[];
  /** The parsed lines of one request. */
  readonly linesOf: (reqId: string) => Record<string, unknown>[];
}

async function loggedApp(logLevel = 'info'): Promise<LoggedApp> {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      lines.push(
        ...String(chunk)
          .split('\n')
          .filter((line) => line.length > 0),
      );
      callback();
    },
  });
  const config = loadConfig({ LOG_LEVEL: logLevel });
  const app = Fastify({ logger: { ...loggerOptions(config), stream }, ...requestLogging() });
  app.addHook('onSend', requestIdHook);
  app.post('/login/', (request, reply) => {
    request.log.info({ body: { username: 'a', password: PASSWORD }, token: TOKEN }, 'x');
    request.log.info({ headers: request.headers }, 'headers logged whole');
    return reply.send({ ok: true });
  });
  await app.ready();
  return {
    app,
    lines,
    linesOf: (reqId) =>
      lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.reqId === reqId),
  };
}

/** The completed line is written when the response finishes, which may follow inject's result. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('request logs', () => {
  const apps: FastifyInstance[] = [];
  after(async () => {
    for (const app of apps) await app.close();
  });
  async function setup(logLevel?: string): Promise<LoggedApp> {
    const logged = await loggedApp(logLevel);
    apps.push(logged.app);
    return logged;
  }

  it('are JSON lines with the request id, and no line holds a credential or secret', async () => {
    const { app, lines, linesOf } = await setup();
    const response = await app.inject({
      method: 'POST',
      url: `/login/?token=${QUERY_SECRET}&page=2`,
      headers: { authorization: `Token ${KEY}`, cookie: `sessionid=${COOKIE_SECRET}` },
      payload: { username: 'a', password: PASSWORD },
    });
    await settle();
    assert.equal(response.statusCode, 200);

    const reqId = response.headers['x-request-id'];
    assert.ok(typeof reqId === 'string' && UUID.test(reqId), `generated id ${String(reqId)}`);
    assert.ok(lines.length >= 3);
    for (const line of lines) {
      const parsed = JSON.parse(line) as Record<string, unknown>;
      assert.equal(parsed.reqId, reqId, 'every line of the request carries its id');
      for (const secret of SECRETS) assert.ok(!line.includes(secret), `a line leaks ${secret}: ${line}`);
    }

    const own = linesOf(reqId);
    const logged = own.find((line) => line.msg === 'x');
    assert.deepEqual(logged?.body, { username: 'a', password: '[redacted]' });
    assert.equal(logged?.token, '[redacted]');
    const headers = own.find((line) => line.msg === 'headers logged whole')?.headers as Record<
      string,
      unknown
    >;
    assert.equal(headers.authorization, '[redacted]');
    assert.equal(headers.cookie, '[redacted]');
  });

  it('log the method, the URL with secret query values redacted, the address, status and time', async () => {
    const { app, linesOf } = await setup();
    const response = await app.inject({
      method: 'POST',
      url: `/login/?token=${QUERY_SECRET}&page=2&api_key=${QUERY_SECRET}&PASSWORD=${QUERY_SECRET}`,
      payload: {},
    });
    await settle();
    const own = linesOf(String(response.headers['x-request-id']));
    const requestLines = own.filter((line) => line.msg !== 'x' && line.msg !== 'headers logged whole');
    assert.deepEqual(
      requestLines.map((line) => line.msg),
      ['request completed'],
      'one line per request',
    );
    const completed = own.find((line) => line.msg === 'request completed');
    assert.deepEqual(completed?.req, {
      method: 'POST',
      url: '/login/?token=[redacted]&page=2&api_key=[redacted]&PASSWORD=[redacted]',
      remoteAddress: '127.0.0.1',
    });
    assert.deepEqual(completed?.res, { statusCode: 200 });
    assert.equal(typeof completed?.responseTime, 'number');
  });

  it('log the incoming request too at debug level', async () => {
    const { app, linesOf } = await setup('debug');
    const response = await app.inject({
      method: 'POST',
      url: `/login/?password=${QUERY_SECRET}`,
      payload: {},
    });
    await settle();
    const own = linesOf(String(response.headers['x-request-id']));
    assert.deepEqual(
      own.filter((line) => line.msg !== 'x' && line.msg !== 'headers logged whole').map((line) => line.msg),
      ['incoming request', 'request completed'],
    );
    assert.deepEqual((own[0]?.req as { url?: unknown } | undefined)?.url, '/login/?password=[redacted]');
  });

  it('keep a valid incoming X-Request-Id, in the logs and the response', async () => {
    const { app, linesOf } = await setup();
    const incoming = 'client-42.retry_1';
    const response = await app.inject({
      method: 'POST',
      url: '/login/',
      headers: { 'x-request-id': incoming },
      payload: {},
    });
    await settle();
    assert.equal(response.headers['x-request-id'], incoming);
    assert.ok(linesOf(incoming).some((line) => line.msg === 'request completed'));
  });

  it('replace an invalid incoming X-Request-Id with a generated one', async () => {
    const { app, lines } = await setup();
    for (const invalid of ['has spaces', 'a'.repeat(65), 'b'.repeat(200), 'quote"d', 'semi;colon', '']) {
      const response = await app.inject({
        method: 'POST',
        url: '/login/',
        headers: { 'x-request-id': invalid },
        payload: {},
      });
      const id = String(response.headers['x-request-id']);
      assert.match(id, UUID, JSON.stringify(invalid));
    }
    await settle();
    for (const line of lines) assert.match(String((JSON.parse(line) as { reqId: unknown }).reqId), UUID);
  });

  it('return the request id on error responses too', async () => {
    const { app } = await setup();
    const response = await app.inject({
      method: 'GET',
      url: '/missing/',
      headers: { 'x-request-id': 'r-404' },
    });
    assert.equal(response.statusCode, 404);
    assert.equal(response.headers['x-request-id'], 'r-404');
  });

  it('follow the configured level', async () => {
    const { app, lines } = await setup('warn');
    await app.inject({ method: 'POST', url: '/login/', payload: {} });
    await settle();
    assert.deepEqual(lines, []);
  });
});

describe('redactUrl', () => {
  it('redacts the values of secret-named parameters, however they are spelled', () => {
    assert.equal(redactUrl('/p/'), '/p/');
    assert.equal(redactUrl('/p/?'), '/p/?');
    assert.equal(redactUrl('/p/?page=2&limit=10'), '/p/?page=2&limit=10');
    assert.equal(
      redactUrl('/p/?auth_token=a&Secret=b&keyword=c'),
      '/p/?auth_token=[redacted]&Secret=[redacted]&keyword=[redacted]',
    );
    assert.equal(
      redactUrl('/p/?access%5Ftoken=a&pass%77ord=b'),
      '/p/?access%5Ftoken=[redacted]&pass%77ord=[redacted]',
    );
    assert.equal(redactUrl('/p/?api+key=a'), '/p/?api+key=[redacted]');
    assert.equal(redactUrl('/p/?token'), '/p/?token', 'a name without a value reveals nothing');
    assert.equal(redactUrl('/p/?%E0%A4%A=1&token=x'), '/p/?%E0%A4%A=1&token=[redacted]');
  });
});

describe('censorSecrets', () => {
  it('censors secret fields at any depth without touching the logged object', () => {
    const body = { user: { name: 'a', password: 'p', sessions: [{ token: 't', id: 1 }] }, key: 'k', page: 2 };
    const before = structuredClone(body);
    assert.deepEqual(censorSecrets(body), {
      user: { name: 'a', password: '[redacted]', sessions: [{ token: '[redacted]', id: 1 }] },
      key: '[redacted]',
      page: 2,
    });
    assert.deepEqual(body, before, 'the original is unchanged');
  });

  it('returns objects without secrets as they are', () => {
    const plain = { a: { b: [1, 'two', null] }, when: new Date(0) };
    assert.equal(censorSecrets(plain), plain);
  });

  it('cuts what lies too deep, so a cycle ends and cannot carry a secret past the walk', () => {
    const cyclic: Record<string, unknown> = { password: PASSWORD };
    cyclic.self = cyclic;
    const censored = JSON.stringify(censorSecrets(cyclic));
    assert.ok(!censored.includes(PASSWORD));
    assert.match(censored, /"\[truncated\]"/);
  });
});

describe('genReqId', () => {
  it('accepts 1-64 characters of [A-Za-z0-9._-] only', () => {
    const request = (id: string | undefined) =>
      ({ headers: id === undefined ? {} : { 'x-request-id': id } }) as Parameters<typeof genReqId>[0];
    assert.equal(genReqId(request('A.b_c-9')), 'A.b_c-9');
    assert.equal(genReqId(request('x'.repeat(64))), 'x'.repeat(64));
    assert.match(genReqId(request('x'.repeat(65))), UUID);
    assert.match(genReqId(request('a/b')), UUID);
    assert.match(genReqId(request(undefined)), UUID);
  });
});
