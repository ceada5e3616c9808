// The database goes away under load and comes back: 503 fast, never a 500 or a hang, recovery by itself.
import assert from 'node:assert/strict';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadConfig } from '../../src/config.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { createKeygate } from '../../src/keygate.js';
import { createTestDatabase, PG_ADMIN_URL, POSTGRES_AVAILABLE, type TestDatabase } from '../helpers.js';
import {
  cleanEnv,
  freePort,
  PASSWORD,
  send,
  startServe,
  STARTUP_MS,
  stopServe,
  waitFor,
  type ServeProcess,
} from './support.js';

const UNAVAILABLE = '{"detail":"Service temporarily unavailable, try again later."}';
/** No request may take longer than this, whatever the database does. */
const REQUEST_BOUND_MS = 5000;
/** Once the database is back, keygate must be answering normally within this. */
const RECOVERY_BOUND_MS = 10_000;
const LOOPS = 8;

/**
 * A TCP proxy between keygate and PostgreSQL that the test can "stop": `refuse()` drops every proxied
 * connection and closes the port (a stopped server); `blackhole()` drops them and then accepts new
 * connections without ever answering (a hung server or a lost network); `up()` forwards again.
 */
class DatabaseProxy {
  readonly #targetHost: string;
  readonly #targetPort: number;
  readonly #sockets = new Set<Socket>();
  #server: Server | null = null;
  #mode: 'up' | 'blackhole' = 'up';
  port = 0;

  constructor(target: URL) {
    this.#targetHost = target.hostname;
    this.#targetPort = Number(target.port || 5432);
  }

  #track(socket: Socket): void {
    this.#sockets.add(socket);
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.#sockets.delete(socket));
  }

  #accept(client: Socket): void {
    this.#track(client);
    if (this.#mode === 'blackhole') return;
    const upstream = connect(this.#targetPort, this.#targetHost);
    this.#track(upstream);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.pipe(upstream).pipe(client);
  }

  async #listen(): Promise<void> {
    if (this.#server !== null) return;
    const server = createServer((client) => this.#accept(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.#server = server;
    const address = server.address();
    if (address !== null && typeof address === 'object') this.port = address.port;
  }

  async #close(): Promise<void> {
    const server = this.#server;
    this.#server = null;
    this.#dropAll();
    if (server !== null) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  #dropAll(): void {
    for (const socket of this.#sockets) socket.destroy();
    this.#sockets.clear();
  }

  /** Forwards connections (listening on the same port as before). */
  async up(): Promise<void> {
    this.#mode = 'up';
    this.#dropAll();
    await this.#listen();
  }

  /** Drops every connection and refuses new ones. */
  async refuse(): Promise<void> {
    await this.#close();
  }

  /** Drops every connection, then accepts new ones and never answers. */
  async blackhole(): Promise<void> {
    this.#mode = 'blackhole';
    this.#dropAll();
    await this.#listen();
  }

  async close(): Promise<void> {
    await this.#close();
  }
}

/** One request of the load. */
interface Outcome {
  readonly loop: number;
  readonly started: number;
  readonly ms: number;
  readonly status: number | null;
  readonly body: string;
  readonly retryAfter: string | null;
  readonly error: string | null;
}

/** `LOOPS` concurrent loops of authenticated GETs (keep-alive fetch), each request bounded. */
class Load {
  readonly outcomes: Outcome[] = [];
  #stopped = false;
  readonly #done: Promise<void>;

  constructor(url: string, authorization: string, maxPerLoop = 3000) {
    const loop = async (index: number): Promise<void> => {
      for (let i = 0; i < maxPerLoop && !this.#stopped; i++) {
        const started = Date.now();
        let outcome: Outcome;
        try {
          const response = await fetch(url, {
            headers: { authorization },
            signal: AbortSignal.timeout(REQUEST_BOUND_MS),
          });
          const body = await response.text();
          outcome = {
            loop: index,
            started,
            ms: Date.now() - started,
            status: response.status,
            body,
            retryAfter: response.headers.get('retry-after'),
            error: null,
          };
        } catch (error) {
          const cause = (error as { cause?: unknown }).cause;
          outcome = {
            loop: index,
            started,
            ms: Date.now() - started,
            status: null,
            body: '',
            retryAfter: null,
            error: `${(error as Error).message}${cause instanceof Error ? `: ${cause.message}` : ''}`,
          };
        }
        this.outcomes.push(outcome);
        await sleep(15);
      }
    };
    this.#done = Promise.all(Array.from({ length: LOOPS }, (_, i) => loop(i))).then(() => undefined);
  }

  /** The outcomes of requests started in [from, to). */
  between(from: number, to = Infinity): Outcome[] {
    return this.outcomes.filter((o) => o.started >= from && o.started < to);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#done;
  }
}

/** Every outcome is a 200 or the exact 503, within the bound; none is a 500, a network error or a hang. */
function assertFailsFast(outcomes: readonly Outcome[], label: string): void {
  for (const outcome of outcomes) {
    assert.equal(
      outcome.error,
      null,
      `${label}: request failed without an answer: ${JSON.stringify(outcome)}`,
    );
    assert.ok(
      outcome.status === 200 || outcome.status === 503,
      `${label}: unexpected status: ${JSON.stringify(outcome)}`,
    );
    if (outcome.status === 503) {
      assert.equal(outcome.body, UNAVAILABLE, label);
      assert.equal(outcome.retryAfter, '1', label);
    }
    assert.ok(outcome.ms < REQUEST_BOUND_MS, `${label}: took ${outcome.ms} ms`);
  }
}

function summary(outcomes: readonly Outcome[]): string {
  const counts = new Map<string, number>();
  for (const o of outcomes) {
    const key = o.status === null ? 'error' : String(o.status);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const slowest = Math.max(0, ...outcomes.map((o) => o.ms));
  return `${JSON.stringify(Object.fromEntries(counts))}, slowest ${slowest} ms`;
}

const skip = POSTGRES_AVAILABLE ? false : `PostgreSQL not reachable at ${PG_ADMIN_URL}`;
if (skip) process.stderr.write(`\n!!! faults.test.ts SKIPPED: ${skip}\n\n`);

describe('database outage under load [postgres]', { skip }, () => {
  let database: TestDatabase | null = null;
  let proxy: DatabaseProxy | null = null;
  let server: ServeProcess | null = null;
  let load: Load | null = null;
  let base = '';

  /** Asserts /readyz answers `status` (within the request bound) before `ms` pass. */
  async function readyzBecomes(status: number, ms: number): Promise<void> {
    await waitFor(`/readyz ${status}`, ms, async () => {
      const started = Date.now();
      const response = await send(`${base}/readyz`, { timeoutMs: REQUEST_BOUND_MS });
      assert.ok(Date.now() - started < REQUEST_BOUND_MS);
      assert.ok(response.status === 200 || response.status === 503, response.body);
      if (response.status === 503) {
        assert.equal(response.body, '{"status":"unavailable","reason":"database unreachable"}');
      }
      return response.status === status ? true : undefined;
    });
  }

  /** Waits until every loop has had a 200 since `since`; returns when that happened. */
  async function recovered(since: number): Promise<number> {
    return waitFor('recovery: every loop answered 200', RECOVERY_BOUND_MS, () => {
      const ok = load!.between(since).filter((o) => o.status === 200);
      const loops = new Set(ok.map((o) => o.loop));
      return loops.size === LOOPS ? Math.max(...ok.map((o) => o.started + o.ms)) : undefined;
    });
  }

  before(async () => {
    database = await createTestDatabase('postgres');
    // Set up directly (not through the proxy): migrate, a user and their token.
    const keygate = createKeygate(loadConfig({ DATABASE_URL: database.url }));
    let token: string;
    try {
      await migrateToLatest(keygate.database);
      const user = await keygate.users.createUser({ username: 'alice', password: PASSWORD });
      token = (await keygate.tokens.getOrCreate(user)).key;
    } finally {
      await keygate.close();
    }

    const target = new URL(database.url);
    proxy = new DatabaseProxy(target);
    await proxy.up();
    const viaProxy = new URL(database.url);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);

    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    // LOG_LEVEL=error: a 500 ("unhandled error") or a crash would show here; an outage is only a warning.
    server = startServe(cleanEnv({ DATABASE_URL: viaProxy.toString(), LOG_LEVEL: 'error' }), port);
    const started = server;
    await waitFor('serve ready', STARTUP_MS, async () => {
      if (!started.running()) assert.fail(`serve exited:\n${started.output()}`);
      try {
        return (await send(`${base}/readyz`, { timeoutMs: 2000 })).status === 200 ? true : undefined;
      } catch {
        return undefined;
      }
    });
    load = new Load(`${base}/product_api/`, `Token ${token}`);
  });

  after(async () => {
    await load?.stop();
    await stopServe(server);
    await proxy?.close();
    await database?.drop();
  });

  it('with the database up, every request under load succeeds', async (t) => {
    const from = Date.now();
    // At least 1.5 s, and until every loop has had 5 answers (a busy machine is slower).
    await sleep(1500);
    await waitFor('5 answers per loop', 30_000, () => {
      const loops = new Map<number, number>();
      for (const o of load!.between(from)) loops.set(o.loop, (loops.get(o.loop) ?? 0) + 1);
      return loops.size === LOOPS && [...loops.values()].every((n) => n >= 5) ? true : undefined;
    });
    const outcomes = load!.between(from);
    t.diagnostic(`up: ${summary(outcomes)}`);
    assert.ok(
      outcomes.every((o) => o.status === 200),
      `${summary(outcomes)}: ${JSON.stringify(outcomes.find((o) => o.status !== 200))}`,
    );
  });

  it('database stopped (connections dropped and refused): 503 fast, never a 500 or a hang; /readyz 503', async (t) => {
    await proxy!.refuse();
    const stopped = Date.now();
    await readyzBecomes(503, 5000);
    await sleep(2500);
    const end = Date.now();
    // Give the in-flight tail time to finish (or hit the bound), then look.
    await sleep(1000);
    const outcomes = load!.between(stopped, end);
    assertFailsFast(outcomes, 'refused');
    t.diagnostic(`refused: ${summary(outcomes)}`);
    assert.ok(
      outcomes.filter((o) => o.status === 503).length >= LOOPS,
      `no outage seen: ${summary(outcomes)}`,
    );
    assert.ok(server!.running(), `keygate died:\n${server!.output()}`);
  });

  it('database back: requests succeed again by themselves, /readyz 200, without a restart', async (t) => {
    const pid = server!.pid;
    await proxy!.up();
    const back = Date.now();
    const firstAllGood = await recovered(back);
    t.diagnostic(`every loop answered 200 again ${firstAllGood - back} ms after the database came back`);
    await readyzBecomes(200, RECOVERY_BOUND_MS);
    await sleep(1500);
    const settled = load!.between(firstAllGood);
    assertFailsFast(load!.between(back), 'recovering');
    assert.ok(
      settled.every((o) => o.status === 200),
      `503 after recovery: ${summary(settled)}`,
    );
    assert.ok(server!.running() && server!.pid === pid, 'the same process recovered');
  });

  it('database hung (accepts connections, never answers): still 503 within the bound, then recovery', async (t) => {
    await proxy!.blackhole();
    const hung = Date.now();
    await readyzBecomes(503, 5000);
    await sleep(3000);
    const end = Date.now();
    // Requests started in the hung window may wait for the pool's connect timeout: let them finish
    // (or hit the bound, which fails the test) before looking.
    await sleep(REQUEST_BOUND_MS);
    const outcomes = load!.between(hung, end);
    assertFailsFast(outcomes, 'hung');
    t.diagnostic(`hung: ${summary(outcomes)}`);
    assert.ok(
      outcomes.filter((o) => o.status === 503).length >= LOOPS,
      `no outage seen: ${summary(outcomes)}`,
    );

    await proxy!.up();
    const back = Date.now();
    const firstAllGood = await recovered(back);
    t.diagnostic(`every loop answered 200 again ${firstAllGood - back} ms after the database came back`);
    await readyzBecomes(200, RECOVERY_BOUND_MS);
    await sleep(1000);
    assertFailsFast(load!.between(back), 'recovering from hang');
    const settled = load!.between(firstAllGood);
    assert.ok(
      settled.every((o) => o.status === 200),
      `503 after recovery: ${summary(settled)}`,
    );
    assert.ok(server!.running(), `keygate died:\n${server!.output()}`);
  });

  it('nothing was logged at error level: no 500 and no crash during the outages', async () => {
    await load!.stop();
    const errors = server!
      .output()
      .split('\n')
      .filter((line) => line.trim() !== '')
      .filter((line) => {
        try {
          return (JSON.parse(line) as { level?: number }).level! >= 50;
        } catch {
          return true;
        }
      });
    assert.deepEqual(errors, []);
    assert.ok(server!.running());
  });
});
