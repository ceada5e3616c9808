// Real TLS and proxy rules over real sockets: keygate terminating TLS itself, and behind a trusted proxy.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { loggerOptions } from '../../src/http/logging.js';
import { HSTS } from '../../src/http/security-headers.js';
import { createKeygate, type Keygate } from '../../src/keygate.js';
import { runCli } from '../helpers.js';
import {
  childPids,
  cleanEnv,
  freePort,
  jsonHeaders,
  makeCertificate,
  PASSWORD,
  SECRET_KEY,
  send,
  startServe,
  STARTUP_MS,
  stopServe,
  tokenFrom,
  waitFor,
  type Certificate,
  type ServeProcess,
} from './support.js';

const HTTPS_REQUIRED = '{"detail":"HTTPS is required: credentials are not accepted over plain HTTP."}';
const PRODUCT = { name: 'Coffee beans', description: '1 kg, whole beans', price: '20.48', stock: 7 };

describe('keygate terminating TLS itself: serve --workers 2 --tls-cert --tls-key in production mode', () => {
  let dir = '';
  let certificate: Certificate;
  let server: ServeProcess | null = null;
  let base = '';
  let token = '';

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'keygate-tls-'));
    certificate = await makeCertificate(dir);
    const env = cleanEnv({
      KEYGATE_ENV: 'production',
      SECRET_KEY,
      ALLOWED_HOSTS: '127.0.0.1,localhost',
      DATABASE_URL: `sqlite:${join(dir, 'keygate.sqlite3')}`,
    });
    // Every command validates the production configuration, so the CLI gets the TLS files too.
    const cliEnv = { ...env, TLS_CERT_FILE: certificate.certFile, TLS_KEY_FILE: certificate.keyFile };
    const created = await runCli(['createuser', 'alice', '--password-stdin'], cliEnv, `${PASSWORD}\n`);
    assert.equal(created.code, 0, created.stderr);
    const issued = await runCli(['create-token', 'alice'], cliEnv);
    assert.equal(issued.code, 0, issued.stderr);
    token = tokenFrom(issued.stdout);

    const port = await freePort();
    base = `https://127.0.0.1:${port}`;
    // The flags, not the variables: the server must take its certificate from --tls-cert/--tls-key,
    // and every worker too (the deployment guide's `serve --workers auto --tls-cert ... --tls-key ...`).
    server = startServe(env, port, [
      '--workers',
      '2',
      '--tls-cert',
      certificate.certFile,
      '--tls-key',
      certificate.keyFile,
    ]);
    const started = server;
    await waitFor('serve answering over https', STARTUP_MS, async () => {
      if (!started.running()) assert.fail(`serve exited:\n${started.output()}`);
      try {
        const response = await send(`${base}/healthz`, { ca: certificate.cert, timeoutMs: 2000 });
        return response.status === 200 ? true : undefined;
      } catch {
        return undefined;
      }
    });
  });

  after(async () => {
    const workers = server === null ? [] : await childPids(server.pid);
    await stopServe(server, workers, 20_000);
    rmSync(dir, { recursive: true, force: true });
  });

  it('an authenticated request over https succeeds, with HSTS', async () => {
    const response = await send(`${base}/product_api/`, {
      headers: { authorization: `Token ${token}` },
      ca: certificate.cert,
    });
    assert.equal(response.status, 200, response.body);
    assert.equal(response.headers['strict-transport-security'], HSTS);
    assert.equal(response.body, '{"count":0,"next":null,"previous":null,"results":[]}');

    const created = await send(`${base}/product_api/`, {
      method: 'POST',
      headers: jsonHeaders({ authorization: `Token ${token}` }),
      body: JSON.stringify(PRODUCT),
      ca: certificate.cert,
    });
    assert.equal(created.status, 201, created.body);
    assert.equal(created.headers['strict-transport-security'], HSTS);
    assert.deepEqual(
      { ...(JSON.parse(created.body) as Record<string, unknown>), id: 0, created: '', updated: '' },
      { id: 0, ...PRODUCT, created: '', updated: '' },
    );
  });

  it('POST /gettoken/ over https returns the token; errors carry HSTS too', async () => {
    const response = await send(`${base}/gettoken/`, {
      method: 'POST',
      headers: jsonHeaders(),
      body: JSON.stringify({ username: 'alice', password: PASSWORD }),
      ca: certificate.cert,
    });
    assert.equal(response.status, 200, response.body);
    assert.equal(response.body, JSON.stringify({ token }));
    assert.equal(response.headers['strict-transport-security'], HSTS);

    const wrong = await send(`${base}/product_api/`, {
      headers: { authorization: `Token ${'0'.repeat(40)}` },
      ca: certificate.cert,
    });
    assert.equal(wrong.status, 401, wrong.body);
    assert.equal(wrong.headers['www-authenticate'], 'Token');
    assert.equal(wrong.headers['strict-transport-security'], HSTS);
  });

  it('the certificate is the one the test made, and the TLS port answers no plain HTTP', async () => {
    // Without the test's CA, the self-signed certificate is rejected: the server really speaks TLS with it.
    await assert.rejects(send(`${base}/healthz`, { timeoutMs: 5000 }), /self[- ]signed/i);
    // A plain-HTTP request with a token gets no HTTP answer at all (the TLS handshake fails).
    await assert.rejects(
      send(`http://127.0.0.1:${server!.port}/product_api/`, {
        headers: { authorization: `Token ${token}` },
        timeoutMs: 5000,
      }),
    );
    assert.ok(server!.running(), 'a plain-HTTP client must not take the server down');
    assert.doesNotMatch(server!.output(), /worker exited/);
  });
});

/** A production app listening over plain HTTP on 127.0.0.1, as behind a TLS-terminating proxy. */
interface ProxiedApp {
  readonly keygate: Keygate;
  readonly app: FastifyInstance;
  readonly base: string;
  /** The JSON log lines written so far. */
  readonly logs: Array<Record<string, unknown>>;
}

async function startProxiedApp(dir: string, trustedProxies: string): Promise<ProxiedApp> {
  const config = loadConfig({
    KEYGATE_ENV: 'production',
    TRUSTED_PROXIES: trustedProxies,
    SECRET_KEY,
    ALLOWED_HOSTS: '127.0.0.1,localhost',
    // Both apps share one database, so one token is valid on both.
    DATABASE_URL: `sqlite:${join(dir, 'keygate.sqlite3')}`,
    LOG_LEVEL: 'info',
  });
  const keygate = createKeygate(config);
  await migrateToLatest(keygate.database);
  const logs: Array<Record<string, unknown>> = [];
  const stream = { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) };
  const app = buildApp(keygate, { logger: { ...loggerOptions(config), stream } });
  await app.listen({ host: '127.0.0.1', port: 0 });
  return { keygate, app, base: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`, logs };
}

async function stopProxiedApp(proxied: ProxiedApp | null): Promise<void> {
  if (proxied === null) return;
  await proxied.app.close();
  await proxied.keygate.close();
}

/** The remote address the request log line shows for the request with this X-Request-Id. */
function loggedAddress(proxied: ProxiedApp, requestId: string): unknown {
  const line = proxied.logs.find((l) => l.reqId === requestId && l.msg === 'request completed');
  assert.ok(line, `no request log line for ${requestId}`);
  return (line.req as { remoteAddress?: unknown } | undefined)?.remoteAddress;
}

describe('behind a proxy: production mode over plain HTTP with TRUSTED_PROXIES', () => {
  let dir = '';
  let trusted: ProxiedApp | null = null;
  let untrusted: ProxiedApp | null = null;
  let token = '';

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'keygate-proxy-'));
    // 127.0.0.1 is the proxy here: the test's requests come from it.
    trusted = await startProxiedApp(dir, '127.0.0.1');
    // Here only 10.9.9.9 is a proxy, so what 127.0.0.1 claims in X-Forwarded-* is not believed.
    untrusted = await startProxiedApp(dir, '10.9.9.9');
    const user = await trusted.keygate.users.createUser({ username: 'alice', password: PASSWORD });
    token = (await trusted.keygate.tokens.getOrCreate(user)).key;
  });

  after(async () => {
    await stopProxiedApp(trusted);
    await stopProxiedApp(untrusted);
    rmSync(dir, { recursive: true, force: true });
  });

  it('X-Forwarded-Proto: https from the trusted proxy: a Token request succeeds, with HSTS', async () => {
    const response = await send(`${trusted!.base}/product_api/`, {
      headers: { authorization: `Token ${token}`, 'x-forwarded-proto': 'https' },
    });
    assert.equal(response.status, 200, response.body);
    assert.equal(response.headers['strict-transport-security'], HSTS);

    const obtained = await send(`${trusted!.base}/gettoken/`, {
      method: 'POST',
      headers: jsonHeaders({ 'x-forwarded-proto': 'https' }),
      body: JSON.stringify({ username: 'alice', password: PASSWORD }),
    });
    assert.equal(obtained.status, 200, obtained.body);
    assert.equal(obtained.body, JSON.stringify({ token }));
  });

  it('plain HTTP with a Token header (or a cookie): 403 https_required, no HSTS', async () => {
    const cases: ReadonlyArray<Record<string, string>> = [
      { authorization: `Token ${token}` },
      { authorization: `Token ${token}`, 'x-forwarded-proto': 'http' },
      { cookie: 'sessionid=abc' },
    ];
    for (const headers of cases) {
      const response = await send(`${trusted!.base}/product_api/`, { headers });
      assert.equal(response.status, 403, JSON.stringify(headers));
      assert.equal(response.body, HTTPS_REQUIRED);
      assert.equal(response.headers['content-type'], 'application/json');
      // HSTS over plain HTTP is ignored by browsers, and keygate does not send it.
      assert.equal(response.headers['strict-transport-security'], undefined);
    }
  });

  it('plain HTTP GET without credentials: 301 to the same URL on https', async () => {
    const response = await send(`${trusted!.base}/product_api/?page=2`, {});
    assert.equal(response.status, 301, response.body);
    assert.equal(response.headers.location, `https://${new URL(trusted!.base).host}/product_api/?page=2`);
    const head = await send(`${trusted!.base}/`, { method: 'HEAD' });
    assert.equal(head.status, 301);
  });

  it('POST /gettoken/ over plain HTTP: 403 before the body (the password) is read', async () => {
    const right = await send(`${trusted!.base}/gettoken/`, {
      method: 'POST',
      headers: jsonHeaders(),
      body: JSON.stringify({ username: 'alice', password: PASSWORD }),
    });
    assert.equal(right.status, 403, 'the right password over plain HTTP is still refused');
    assert.equal(right.body, HTTPS_REQUIRED);

    // A body announced but never finished: a 403 can only come back if keygate never waited for it.
    const port = Number(new URL(trusted!.base).port);
    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      const req = httpRequest({
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/gettoken/',
        agent: false,
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': '1000' },
      });
      const timer = setTimeout(() => req.destroy(new Error('no answer within 5 s')), 5000);
      req.on('response', (res) => {
        clearTimeout(timer);
        resolve(res);
      });
      req.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      req.write(`username=alice&password=${encodeURIComponent(PASSWORD).slice(0, 5)}`);
    });
    assert.equal(response.statusCode, 403);
    response.destroy();
  });

  it('/healthz and /readyz answer over plain HTTP (load balancer probes)', async () => {
    const healthz = await send(`${trusted!.base}/healthz`);
    assert.equal(healthz.status, 200);
    assert.equal(healthz.body, '{"status":"ok"}');
    const readyz = await send(`${untrusted!.base}/readyz`);
    assert.equal(readyz.status, 200);
    assert.equal(readyz.body, '{"status":"ready"}');
  });

  it('X-Forwarded-Proto from an untrusted address is ignored: 403, and 301 without credentials', async () => {
    const response = await send(`${untrusted!.base}/product_api/`, {
      headers: { authorization: `Token ${token}`, 'x-forwarded-proto': 'https' },
    });
    assert.equal(response.status, 403, response.body);
    assert.equal(response.body, HTTPS_REQUIRED);
    const anonymous = await send(`${untrusted!.base}/product_api/`, {
      headers: { 'x-forwarded-proto': 'https' },
    });
    assert.equal(anonymous.status, 301);
  });

  it('X-Forwarded-For: believed from the trusted proxy only, and a client cannot prepend to it', async () => {
    const cases: ReadonlyArray<readonly [ProxiedApp, string, string, string]> = [
      [untrusted!, 'xff-untrusted', '203.0.113.7', '127.0.0.1'],
      [trusted!, 'xff-trusted', '203.0.113.7', '203.0.113.7'],
      // The proxy appends the address it saw; whatever the client sent before it is not trusted.
      [trusted!, 'xff-spoofed', '198.51.100.1, 203.0.113.8', '203.0.113.8'],
    ];
    for (const [proxied, requestId, forwardedFor, expected] of cases) {
      const response = await send(`${proxied.base}/healthz`, {
        headers: { 'x-request-id': requestId, 'x-forwarded-for': forwardedFor, 'x-forwarded-proto': 'https' },
      });
      assert.equal(response.status, 200);
      assert.equal(response.headers['x-request-id'], requestId);
      assert.equal(loggedAddress(proxied, requestId), expected, requestId);
    }
  });
});
