// Text log lines: runserver's request line made from keygate's JSON line, errors with their stack,
// secrets as censored as in JSON, no terminal escapes; the banner and LOG_FORMAT's resolution.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { loadConfig, resolveConfig } from '../../src/config.js';
import { describeDatabase } from '../../src/db/database-url.js';
import { loggerOptions, requestLogging } from '../../src/http/logging.js';
import { lineFormat } from '../../src/logs/log-format.js';
import { listeningUrl, startBanner } from '../../src/logs/start-banner.js';
import { logTime, textLine } from '../../src/logs/text-line.js';

const KEY = 'abcdef0123456789abcdef0123456789abcdef01';
const PASSWORD = 'hunter2-password-7c1e';
const TIME = /^\[\d{2}\/[A-Z][a-z]{2}\/\d{4} \d{2}:\d{2}:\d{2}\] /;

/** An app logging with keygate's text-format options into `lines` (each already turned to text). */
async function textApp(): Promise<{ app: FastifyInstance; lines: string[] }> {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      for (const line of String(chunk).split('\n')) if (line !== '') lines.push(textLine(`${line}\n`));
      callback();
    },
  });
  const app = Fastify({ logger: { ...loggerOptions(loadConfig({}), 'text'), stream }, ...requestLogging() });
  app.post('/login/', (request, reply) => {
    request.log.warn({ body: request.body, headers: request.headers }, 'odd login');
    return reply.send({ ok: true });
  });
  app.get('/boom/', () => {
    throw new Error('kaput');
  });
  await app.ready();
  return { app, lines };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('textLine', () => {
  it('a request as runserver logs it: time, request line with the redacted URL, status, length', async () => {
    const { app, lines } = await textApp();
    await app.inject({
      method: 'POST',
      url: `/login/?token=${KEY}&page=2`,
      headers: { authorization: `Token ${KEY}` },
      payload: { username: 'a', password: PASSWORD },
    });
    await settle();
    const request = lines.find((line) => line.includes('"POST'));
    assert.match(String(request), TIME);
    assert.equal(
      String(request).replace(TIME, ''),
      '"POST /login/?token=[redacted]&page=2 HTTP/1.1" 200 11\n',
    );
    const warning = lines.find((line) => line.includes('odd login'));
    assert.match(
      String(warning),
      /^\[[^\]]+\] WARNING odd login reqId=\S+ body=\{"username":"a","password":"\[redacted\]"\} headers=/,
    );
    for (const line of lines) {
      assert.ok(!line.includes(KEY) && !line.includes(PASSWORD), `a secret in ${line}`);
      assert.equal(line.indexOf('\n'), line.length - 1, 'one line each here');
    }
    await app.close();
  });

  it('a 500: the error with its message and stack, then the request line', async () => {
    const { app, lines } = await textApp();
    await app.inject({ method: 'GET', url: '/boom/' });
    await settle();
    const error = lines.find((line) => line.includes('kaput'));
    assert.ok(error, lines.join(''));
    assert.match(error, /^\[[^\]]+\] ERROR .*\nError: kaput\n\s+at /);
    assert.ok(
      lines.some((line) => / "GET \/boom\/ HTTP\/1\.1" 500 \d+\n$/.test(line)),
      lines.join(''),
    );
    await app.close();
  });

  it('escapes control characters, so a logged value cannot drive the terminal', () => {
    const line = JSON.stringify({ level: 30, time: 0, msg: 'hi\u001b[2J\nforged', note: 'a\rb' });
    assert.equal(textLine(`${line}\n`).replace(TIME, ''), 'hi\\x1b[2J\\x0aforged note=a\\x0db\n');
  });

  it('keeps anything that is not a JSON object as it is', () => {
    assert.equal(textLine('plain\n'), 'plain\n');
    assert.equal(textLine('[1]\n'), '[1]\n');
  });

  it("writes runserver's date", () => {
    assert.equal(logTime(new Date(2026, 11, 6, 13, 20, 1)), '06/Dec/2026 13:20:01');
  });
});

describe('the start-up banner', () => {
  it("is runserver's, with keygate's version, URL, database and workers", () => {
    const banner = startBanner(
      {
        version: '0.3.0',
        url: listeningUrl({ address: '::1', port: 8443 }, true),
        database: describeDatabase('postgres://app:s3cret@db.internal:6543/keygate'),
        workers: 4,
      },
      new Date(2026, 11, 6, 13, 20, 1),
    );
    assert.equal(
      banner,
      [
        'December 06, 2026 - 13:20:01',
        'keygate version 0.3.0, database PostgreSQL database keygate on db.internal:6543, 4 workers',
        'Starting development server at https://[::1]:8443/',
        'Quit the server with CONTROL-C.',
        '',
        '',
      ].join('\n'),
    );
    assert.ok(!banner.includes('s3cret'));
  });
});

describe('LOG_FORMAT', () => {
  it('auto is text on a terminal outside production, JSON otherwise; json and text are kept', () => {
    const development = loadConfig({});
    assert.equal(development.logFormat, 'auto');
    assert.equal(lineFormat(development, true), 'text');
    assert.equal(lineFormat(development, false), 'json');
    assert.equal(lineFormat(loadConfig({ LOG_FORMAT: 'json' }), true), 'json');
    assert.equal(lineFormat(loadConfig({ LOG_FORMAT: 'TEXT' }), false), 'text');
    const production = resolveConfig({
      production: true,
      secretKey: 'x'.repeat(10) + 'abcdefghijklmnopqrstuvwxyz0123456789',
      allowedHosts: ['a.example'],
      trustedProxies: ['10.0.0.1'],
    });
    assert.equal(lineFormat(production, true), 'json');
  });

  it('text in production is a configuration error that says why', () => {
    assert.throws(
      () =>
        resolveConfig({
          production: true,
          secretKey: 'x'.repeat(10) + 'abcdefghijklmnopqrstuvwxyz0123456789',
          allowedHosts: ['a.example'],
          trustedProxies: ['10.0.0.1'],
          logFormat: 'text',
        }),
      { message: 'logFormat: production mode always logs JSON lines: use json or auto' },
    );
    assert.throws(() => loadConfig({ LOG_FORMAT: 'pretty' }), /LOG_FORMAT: expected/);
  });
});
