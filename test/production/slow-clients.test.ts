// Slow and idle clients against a real `keygate serve`: timeouts cut them, a connection cap bounds them.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { connect as tlsConnect } from 'node:tls';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  cleanEnv,
  freePort,
  makeCertificate,
  openConnections,
  send,
  startServe,
  stopServe,
  waitFor,
  waitUntilAnswering,
  type ServeProcess,
} from './support.js';

const HEADERS_TIMEOUT_S = 2;
const REQUEST_TIMEOUT_S = 3;
const KEEP_ALIVE_TIMEOUT_S = 1;
const MAX_CONNECTIONS = 50;
/** Node checks header and request deadlines on an interval: keygate's is well under this. */
const CHECK_SLACK_MS = 1500;

/** A raw connection the test holds open, and when and how it ended. */
interface Held {
  readonly socket: Socket;
  readonly openedAt: number;
  /** Resolves with the ms from opening to the close, once the connection closes. */
  readonly closed: Promise<number>;
  /** Everything the server sent. */
  received(): string;
  isClosed(): boolean;
}

/** Opens a connection and writes `first` (bytes as latin1) once connected (nothing when empty). */
function hold(port: number, first = ''): Held {
  const openedAt = performance.now();
  const socket = connect(port, '127.0.0.1');
  let received = '';
  let closed = false;
  socket.setEncoding('latin1').on('data', (data: string) => (received += data));
  // A server closing or refusing the connection is what some tests wait for.
  socket.on('error', () => undefined);
  if (first !== '') socket.once('connect', () => socket.write(Buffer.from(first, 'latin1')));
  const closedAt = new Promise<number>((resolve) =>
    socket.once('close', () => {
      closed = true;
      resolve(performance.now() - openedAt);
    }),
  );
  return { socket, openedAt, closed: closedAt, received: () => received, isClosed: () => closed };
}

/** Resolves with the close time, or null when the connection is still open after `ms`. */
function closedWithin(held: Held, ms: number): Promise<number | null> {
  return Promise.race([held.closed, sleep(ms).then(() => null)]);
}

/** The number of file descriptors a process holds. */
function fdCount(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}

const PARTIAL_HEADERS = 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ';

describe('slow clients against keygate serve (timeouts and a connection cap set low)', () => {
  let dir = '';
  let server: ServeProcess | null = null;
  let port = 0;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'keygate-slow-'));
    port = await freePort();
    server = startServe(
      cleanEnv({
        DATABASE_URL: `sqlite:${join(dir, 'keygate.sqlite3')}`,
        HEADERS_TIMEOUT: String(HEADERS_TIMEOUT_S),
        REQUEST_TIMEOUT: String(REQUEST_TIMEOUT_S),
        KEEP_ALIVE_TIMEOUT: String(KEEP_ALIVE_TIMEOUT_S),
        MAX_CONNECTIONS: String(MAX_CONNECTIONS),
        // Refused connections are logged at warn.
        LOG_LEVEL: 'warn',
      }),
      port,
    );
    await waitUntilAnswering(server);
  });

  after(async () => {
    await stopServe(server);
    rmSync(dir, { recursive: true, force: true });
  });

  it('a connection that sends part of its headers and stops is closed at HEADERS_TIMEOUT', async (t) => {
    const slow = Array.from({ length: 5 }, () => hold(port, PARTIAL_HEADERS));
    const bound = HEADERS_TIMEOUT_S * 1000 + CHECK_SLACK_MS;
    for (const held of slow) {
      const ms = await closedWithin(held, bound + 1000);
      assert.ok(ms !== null, `still open after ${bound + 1000} ms`);
      assert.ok(ms >= HEADERS_TIMEOUT_S * 1000 - 100, `closed after ${ms} ms, before the timeout`);
      assert.ok(ms <= bound, `closed after ${ms} ms`);
      assert.match(held.received(), /^HTTP\/1\.1 408 /);
      t.diagnostic(`closed after ${Math.round(ms)} ms`);
    }
  });

  it('a body that stops coming is cut at REQUEST_TIMEOUT', async () => {
    const held = hold(
      port,
      'POST /gettoken/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"user',
    );
    const bound = REQUEST_TIMEOUT_S * 1000 + CHECK_SLACK_MS;
    const ms = await closedWithin(held, bound + 1000);
    assert.ok(ms !== null, `still open after ${bound + 1000} ms`);
    assert.ok(ms >= REQUEST_TIMEOUT_S * 1000 - 100, `closed after ${ms} ms, before the timeout`);
    assert.ok(ms <= bound, `closed after ${ms} ms`);
    assert.match(held.received(), /^HTTP\/1\.1 408 /);
  });

  it('an idle keep-alive connection is closed after KEEP_ALIVE_TIMEOUT, and says so', async () => {
    const held = hold(port, 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    await waitFor('the response', 5000, () => (held.received().includes('\r\n\r\n') ? true : undefined), 10);
    const answeredAt = performance.now() - held.openedAt;
    assert.match(held.received(), /^HTTP\/1\.1 200 /);
    assert.match(held.received(), new RegExp(`\r\nkeep-alive: timeout=${KEEP_ALIVE_TIMEOUT_S}\r\n`, 'i'));
    const ms = await closedWithin(held, KEEP_ALIVE_TIMEOUT_S * 1000 + 3000);
    assert.ok(ms !== null, 'the idle connection stayed open');
    const idle = ms - answeredAt;
    assert.ok(idle >= KEEP_ALIVE_TIMEOUT_S * 1000 - 100, `closed ${idle} ms after the response`);
    assert.ok(idle <= KEEP_ALIVE_TIMEOUT_S * 1000 + CHECK_SLACK_MS, `closed ${idle} ms after the response`);
  });

  it('past MAX_CONNECTIONS new connections are closed at once; the held ones go at HEADERS_TIMEOUT', async () => {
    const pid = server!.pid;
    const held = Array.from({ length: MAX_CONNECTIONS }, () => hold(port, PARTIAL_HEADERS));
    await waitFor('the server holding every slow connection', 5000, () =>
      openConnections(pid, port) >= MAX_CONNECTIONS ? true : undefined,
    );
    const extra = Array.from({ length: MAX_CONNECTIONS }, () => hold(port, PARTIAL_HEADERS));
    for (const connection of extra) {
      const ms = await closedWithin(connection, 1000);
      assert.ok(ms !== null && ms < 1000, 'a connection past the cap was kept open');
      assert.equal(connection.received(), '', 'a connection past the cap was answered');
    }
    assert.ok(openConnections(pid, port) <= MAX_CONNECTIONS, `${openConnections(pid, port)} open`);
    await waitFor('the refusals in the log', 2000, () =>
      /"dropped":\d+,"maxConnections":50,"msg":"connections refused: MAX_CONNECTIONS were open"/.test(
        server!.output(),
      )
        ? true
        : undefined,
    );
    assert.ok(
      held.every((connection) => !connection.isClosed()),
      'a connection within the cap was closed early',
    );
    // The cap frees itself: the slow ones are cut, and then anyone gets in.
    for (const connection of held) {
      const ms = await closedWithin(connection, HEADERS_TIMEOUT_S * 1000 + CHECK_SLACK_MS + 1000);
      assert.ok(ms !== null, 'a slow connection outlived the headers timeout');
    }
    const response = await send(`http://127.0.0.1:${port}/healthz`, { timeoutMs: 2000 });
    assert.equal(response.status, 200);
  });

  it('2000 slow connections at once: the server holds at most MAX_CONNECTIONS of them, then answers', async (t) => {
    const pid = server!.pid;
    await waitFor('the earlier connections to be gone', 10_000, () =>
      openConnections(pid, port) === 0 ? true : undefined,
    );
    const baseline = fdCount(pid);
    const connections: Held[] = [];
    let maxFds = baseline;
    let maxOpen = 0;
    const sample = (): void => {
      maxFds = Math.max(maxFds, fdCount(pid));
      maxOpen = Math.max(maxOpen, openConnections(pid, port));
    };
    for (let i = 0; i < 2000; i++) {
      connections.push(hold(port, PARTIAL_HEADERS));
      // Batches of 100, so that the test's own connects do not all wait in the listen backlog.
      if (i % 100 === 99) {
        await sleep(20);
        sample();
      }
    }
    const deadline = performance.now() + HEADERS_TIMEOUT_S * 1000 + CHECK_SLACK_MS + 2000;
    while (connections.some((c) => !c.isClosed()) && performance.now() < deadline) {
      sample();
      await sleep(50);
    }
    const stillOpen = connections.filter((c) => !c.isClosed()).length;
    t.diagnostic(`server: at most ${maxOpen} connections open, descriptors ${baseline} -> at most ${maxFds}`);
    for (const connection of connections) connection.socket.destroy();
    assert.equal(stillOpen, 0, `${stillOpen} slow connections outlived the headers timeout`);
    // A connection past the cap exists for an instant between its accept and its close.
    assert.ok(maxOpen <= MAX_CONNECTIONS + 2, `the server held ${maxOpen} connections at once`);
    assert.ok(
      maxFds <= baseline + MAX_CONNECTIONS + 10,
      `the server's descriptors went from ${baseline} to ${maxFds}`,
    );
    const started = performance.now();
    const response = await send(`http://127.0.0.1:${port}/healthz`, { timeoutMs: 2000 });
    assert.equal(response.status, 200);
    assert.ok(performance.now() - started < 1000);
  });
});

describe('a TLS handshake that never completes (keygate terminating TLS)', () => {
  let dir = '';
  let server: ServeProcess | null = null;

  after(async () => {
    await stopServe(server);
    rmSync(dir, { recursive: true, force: true });
  });

  it('is dropped at HEADERS_TIMEOUT, not after two minutes; after it, headers get the same deadline', async () => {
    dir = mkdtempSync(join(tmpdir(), 'keygate-slow-tls-'));
    const certificate = await makeCertificate(dir);
    const port = await freePort();
    server = startServe(
      cleanEnv({
        DATABASE_URL: `sqlite:${join(dir, 'keygate.sqlite3')}`,
        TLS_CERT_FILE: certificate.certFile,
        TLS_KEY_FILE: certificate.keyFile,
        HEADERS_TIMEOUT: String(HEADERS_TIMEOUT_S),
      }),
      port,
    );
    const started = server;
    await waitFor('serve answering over https', 60_000, async () => {
      if (!started.running()) assert.fail(`serve exited:\n${started.output()}`);
      try {
        const response = await send(`https://127.0.0.1:${port}/healthz`, {
          ca: certificate.cert,
          timeoutMs: 2000,
        });
        return response.status === 200 ? true : undefined;
      } catch {
        return undefined;
      }
    });
    // Nothing at all, and half a ClientHello: neither may hold the connection.
    for (const first of ['', '\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03']) {
      const held = hold(port, first);
      const ms = await closedWithin(held, HEADERS_TIMEOUT_S * 1000 + 3000);
      assert.ok(ms !== null, 'the handshake was still pending');
      assert.ok(ms >= HEADERS_TIMEOUT_S * 1000 - 100, `dropped after ${ms} ms`);
    }
    // After a completed handshake, the headers deadline holds over TLS as over plain HTTP.
    const connectedAt = performance.now();
    const secure = tlsConnect({ port, host: '127.0.0.1', ca: certificate.cert, servername: 'localhost' });
    secure.on('error', () => undefined);
    // Read (and drop) what comes, so that the server's close is seen.
    secure.resume();
    await once(secure, 'secureConnect');
    secure.write(PARTIAL_HEADERS);
    await Promise.race([once(secure, 'close'), sleep(HEADERS_TIMEOUT_S * 1000 + 3000)]);
    const ms = performance.now() - connectedAt;
    const open = !secure.destroyed;
    secure.destroy();
    assert.ok(!open, 'the TLS connection outlived the headers timeout');
    assert.ok(ms <= HEADERS_TIMEOUT_S * 1000 + CHECK_SLACK_MS, `closed after ${ms} ms`);
  });
});

describe('a MAX_CONNECTIONS the open file limit cannot hold', () => {
  let dir = '';
  let server: ServeProcess | null = null;

  after(async () => {
    await stopServe(server);
    rmSync(dir, { recursive: true, force: true });
  });

  it('is named in a warning at start', async () => {
    dir = mkdtempSync(join(tmpdir(), 'keygate-slow-cap-'));
    server = startServe(
      cleanEnv({
        DATABASE_URL: `sqlite:${join(dir, 'keygate.sqlite3')}`,
        MAX_CONNECTIONS: '1000000',
        LOG_LEVEL: 'warn',
      }),
      await freePort(),
    );
    await waitUntilAnswering(server);
    assert.match(
      server.output(),
      /"maxConnections":1000000,"openFileLimit":\d+,"msg":"MAX_CONNECTIONS is above/,
    );
  });
});
