// `serve --workers N`: every worker answers, a killed worker is replaced, SIGTERM drains, writes survive a kill.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request as httpRequest, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { loadConfig } from '../../src/config.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { createKeygate } from '../../src/keygate.js';
import { STOCK_MAX, STOCK_MIN } from '../../src/products/product-fields.js';
import { createTestDatabase, PG_ADMIN_URL, POSTGRES_AVAILABLE, type TestDatabase } from '../helpers.js';
import {
  childPids,
  cleanEnv,
  exitWithin,
  freePort,
  jsonHeaders,
  openConnections,
  PASSWORD,
  pidAlive,
  send,
  signal,
  startServe,
  STARTUP_MS,
  stopServe,
  waitFor,
  type ServeProcess,
} from './support.js';

/** Migrates a fresh database and returns a token for a new user (set up in-process, not via the workers). */
async function prepare(url: string): Promise<string> {
  const keygate = createKeygate(loadConfig({ DATABASE_URL: url }));
  try {
    await migrateToLatest(keygate.database);
    const user = await keygate.users.createUser({ username: 'alice', password: PASSWORD });
    return (await keygate.tokens.getOrCreate(user)).key;
  } finally {
    await keygate.close();
  }
}

/** Waits until the primary has exactly `count` live workers, other than `exclude`; returns their pids. */
function workersOf(server: ServeProcess, count: number, ms: number, exclude: readonly number[] = []) {
  return waitFor(`${count} workers of ${server.pid}`, ms, async () => {
    if (!server.running()) assert.fail(`serve exited:\n${server.output()}`);
    const pids = await childPids(server.pid);
    return pids.length === count && pids.every((pid) => !exclude.includes(pid)) ? pids : undefined;
  });
}

/** Polls until the server answers GET /healthz with 200 on a fresh connection. */
async function waitAnswering(server: ServeProcess, base: string): Promise<void> {
  await waitFor('serve answering', STARTUP_MS, async () => {
    if (!server.running()) assert.fail(`serve exited:\n${server.output()}`);
    try {
      return (await send(`${base}/healthz`, { timeoutMs: 2000 })).status === 200 ? true : undefined;
    } catch {
      return undefined;
    }
  });
}

/** Whether the worker with this pid has logged Fastify's "Server listening" line. */
function hasListened(server: ServeProcess, pid: number): boolean {
  return server
    .output()
    .split('\n')
    .some((line) => line.includes('Server listening') && line.includes(`"pid":${pid},`));
}

/** The `pid` of every JSON log line that recorded a completed request with one of these ids. */
function answeringPids(output: string, requestIds: ReadonlySet<string>): Set<number> {
  const pids = new Set<number>();
  for (const line of output.split('\n')) {
    if (!line.startsWith('{')) continue;
    const entry = JSON.parse(line) as { pid?: number; reqId?: string; msg?: string };
    if (entry.msg === 'request completed' && requestIds.has(entry.reqId ?? '') && entry.pid !== undefined) {
      pids.add(entry.pid);
    }
  }
  return pids;
}

/**
 * A POST /product_api/ whose body is held back: the headers and half the body are sent now, the rest
 * when `finish()` is called. The server has the request in flight in between.
 */
function slowPost(port: number, authorization: string, requestId: string, body: string) {
  const half = Math.floor(body.length / 2);
  const req = httpRequest({
    host: '127.0.0.1',
    port,
    method: 'POST',
    path: '/product_api/',
    agent: false,
    headers: jsonHeaders({
      authorization,
      'content-length': String(Buffer.byteLength(body)),
      'x-request-id': requestId,
    }),
  });
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    const timer = setTimeout(() => req.destroy(new Error('no complete response within 20 s')), 20_000);
    req.on('response', (res: IncomingMessage) => {
      let text = '';
      res.setEncoding('utf8').on('data', (d: string) => (text += d));
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, body: text });
      });
      res.on('error', reject);
    });
    req.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
  req.write(body.slice(0, half));
  return { response, finish: () => req.end(body.slice(half)) };
}

describe('serve --workers 2 [sqlite]: workers answer, are replaced when killed, and drain on SIGTERM', () => {
  let dir = '';
  let server: ServeProcess | null = null;
  let base = '';
  let token = '';
  let databaseFile = '';
  const seenPids = new Set<number>();

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'keygate-workers-'));
    databaseFile = join(dir, 'keygate.sqlite3');
    token = await prepare(`sqlite:${databaseFile}`);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    // debug: the `incoming request` lines show when the workers have started a request.
    server = startServe(cleanEnv({ DATABASE_URL: `sqlite:${databaseFile}`, LOG_LEVEL: 'debug' }), port, [
      '--workers',
      '2',
    ]);
    await waitAnswering(server, base);
  });

  after(async () => {
    await stopServe(server, seenPids, 20_000);
    rmSync(dir, { recursive: true, force: true });
  });

  it('the primary forks 2 workers, and both answer requests', async () => {
    const workers = await workersOf(server!, 2, STARTUP_MS);
    for (const pid of workers) seenPids.add(pid);
    // Both may still be starting: wait until each has logged that it listens.
    await waitFor('both workers listening', STARTUP_MS, () =>
      workers.every((pid) => hasListened(server!, pid)) ? true : undefined,
    );
    // Fresh connections, several at a time, until each worker has answered one (bounded).
    const ids = new Set<string>();
    let answered = new Set<number>();
    for (let round = 0; round < 40 && answered.size < 2; round++) {
      const batch = Array.from({ length: 8 }, (_, i) => `w-${round}-${i}`);
      for (const id of batch) ids.add(id);
      const responses = await Promise.all(
        batch.map((id) =>
          send(`${base}/product_api/`, { headers: { authorization: `Token ${token}`, 'x-request-id': id } }),
        ),
      );
      for (const response of responses) assert.equal(response.status, 200, response.body);
      await sleep(50);
      answered = answeringPids(server!.output(), ids);
    }
    assert.deepEqual(
      [...answered].sort((a, b) => a - b),
      workers,
      'every worker answered',
    );
  });

  it('SIGKILL one worker: a replacement is started and the service keeps answering', async () => {
    const workers = await childPids(server!.pid);
    assert.equal(workers.length, 2);
    const [victim, survivor] = workers as [number, number];
    signal(victim, 'SIGKILL');
    // Every request made from the moment of the kill is answered (by the survivor, then by both).
    const killedAt = Date.now();
    let requests = 0;
    let replacement: number[] = [];
    while (Date.now() - killedAt < 20_000 && replacement.length === 0) {
      const response = await send(`${base}/product_api/`, { headers: { authorization: `Token ${token}` } });
      assert.equal(response.status, 200, response.body);
      requests++;
      const pids = await childPids(server!.pid);
      replacement = pids.filter((pid) => pid !== survivor && pid !== victim);
    }
    assert.equal(replacement.length, 1, `no replacement worker within 20 s:\n${server!.output()}`);
    for (const pid of replacement) seenPids.add(pid);
    assert.ok(!pidAlive(victim), 'the killed worker is gone');
    assert.ok(requests > 0);
    assert.match(server!.output(), /worker exited; starting a replacement/);
    // The replacement comes up and the pair answers; the primary itself never restarted.
    const pair = await workersOf(server!, 2, STARTUP_MS, [victim]);
    assert.deepEqual(
      pair,
      [survivor, replacement[0]!].sort((a, b) => a - b),
    );
    await waitFor('the replacement listening', STARTUP_MS, () =>
      hasListened(server!, replacement[0]!) ? true : undefined,
    );
    for (let i = 0; i < 10; i++) {
      const response = await send(`${base}/product_api/`, { headers: { authorization: `Token ${token}` } });
      assert.equal(response.status, 200, response.body);
    }
  });

  it('SIGTERM the primary: in-flight requests complete, then it and every worker exit within 15 s', async () => {
    const workers = await childPids(server!.pid);
    assert.equal(workers.length, 2);
    const port = Number(new URL(base).port);
    const bodies = Array.from({ length: 4 }, (_, i) =>
      JSON.stringify({
        name: `in-flight ${i}`,
        description: 'sent across SIGTERM',
        price: `${i + 1}.25`,
        stock: i,
      }),
    );
    const ids = bodies.map((_, i) => `in-flight-${i}`);
    const posts = bodies.map((body, i) => slowPost(port, `Token ${token}`, ids[i]!, body));
    // Wait until the workers have started every request (logged it), then ask for a shutdown.
    await waitFor('the slow requests in flight', 10_000, () => {
      const started = server!
        .output()
        .split('\n')
        .filter((line) => line.includes('"incoming request"'))
        .map((line) => (JSON.parse(line) as { reqId?: string }).reqId);
      return ids.every((id) => started.includes(id)) ? true : undefined;
    });
    const terminatedAt = Date.now();
    signal(server!.pid, 'SIGTERM');
    await sleep(500);
    for (const post of posts) post.finish();
    const responses = await Promise.all(posts.map((post) => post.response));
    responses.forEach((response, i) => {
      assert.equal(response.status, 201, response.body);
      const product = JSON.parse(response.body) as Record<string, unknown>;
      const sent = JSON.parse(bodies[i]!) as Record<string, unknown>;
      assert.deepEqual(
        { name: product.name, description: product.description, price: product.price, stock: product.stock },
        sent,
      );
    });

    const exit = await exitWithin(server!, 15_000 - (Date.now() - terminatedAt));
    assert.ok(exit !== null, `the primary did not exit within 15 s:\n${server!.output()}`);
    assert.deepEqual(exit, { code: 0, signal: null }, server!.output());
    await waitFor('every worker gone', 2000, () =>
      workers.every((pid) => !pidAlive(pid)) ? true : undefined,
    );
    assert.match(server!.output(), /shutting down workers/);

    // The acknowledged writes are in the database.
    const db = new SQLite(databaseFile, { readonly: true });
    try {
      const names = db
        .prepare("select name from products where description = 'sent across SIGTERM' order by name")
        .all() as Array<{ name: string }>;
      assert.deepEqual(
        names.map((r) => r.name),
        bodies.map((b) => (JSON.parse(b) as { name: string }).name),
      );
    } finally {
      db.close();
    }
  });
});

describe('serve --workers 2 [sqlite]: SIGTERM while a replacement worker waits out its restart back-off', () => {
  let dir = '';
  let server: ServeProcess | null = null;
  const seenPids = new Set<number>();

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'keygate-backoff-'));
  });

  after(async () => {
    await stopServe(server, seenPids, 20_000);
    rmSync(dir, { recursive: true, force: true });
  });

  it('no worker is started after shutdown begins, and the primary exits at once', async () => {
    const port = await freePort();
    server = startServe(cleanEnv({ DATABASE_URL: `sqlite:${join(dir, 'keygate.sqlite3')}` }), port, [
      '--workers',
      '2',
    ]);
    const workers = await workersOf(server, 2, STARTUP_MS);
    for (const pid of workers) seenPids.add(pid);
    // A worker that dies young is restarted after a doubling back-off (250, 500, 1000 ms): kill the
    // newest worker three times, each as soon as it appears, to open a one-second window.
    const [first, survivor] = workers as [number, number];
    let victim = first;
    let backoff: { time: number; inMs: number } | undefined;
    for (let kill = 0; kill < 3; kill++) {
      const killed = victim;
      signal(killed, 'SIGKILL');
      backoff = await waitFor(
        'the primary scheduling a replacement',
        10_000,
        () =>
          server!
            .output()
            .split('\n')
            .filter((line) => line.includes('starting a replacement') && line.includes(`"worker":${killed},`))
            .map((line) => JSON.parse(line) as { time: number; inMs: number })[0],
        5,
      );
      if (kill === 2) break;
      const pair = await workersOf(server, 2, 10_000, [killed]);
      victim = pair.find((pid) => pid !== survivor)!;
      seenPids.add(victim);
    }
    assert.ok(backoff !== undefined && backoff.inMs >= 1000, `back-off: ${JSON.stringify(backoff)}`);

    const terminatedAt = Date.now();
    signal(server.pid, 'SIGTERM');
    assert.ok(terminatedAt < backoff.time + backoff.inMs, 'SIGTERM arrived during the back-off');
    const exit = await exitWithin(server, 15_000);
    const took = Date.now() - terminatedAt;
    assert.ok(exit !== null, `the primary did not exit:\n${server.output()}`);
    assert.deepEqual(exit, { code: 0, signal: null }, server.output());
    // Well before WORKER_SHUTDOWN_MS (15 s), when a forgotten worker would have been SIGKILLed.
    assert.ok(took < 5000, `the primary took ${took} ms to exit:\n${server.output()}`);
    // Wait past the end of the back-off: no worker may appear, none may be left.
    await sleep(Math.max(0, backoff.time + backoff.inMs + 200 - Date.now()));
    assert.deepEqual(await childPids(server.pid), []);
    for (const pid of seenPids) assert.ok(!pidAlive(pid), `worker ${pid} is still running`);
  });
});

/** One product body the load sent, and what became of it. */
interface Write {
  readonly body: { name: string; description: string; price: string; stock: number };
  id: number | null;
  /** The fields of the 201 response. */
  answer?: Record<string, unknown>;
}

/** Cents of a "12.34" price. */
function cents(price: string): number {
  const [whole, fraction] = price.split('.') as [string, string];
  return Number(whole) * 100 + Number(fraction);
}

const skip = POSTGRES_AVAILABLE ? false : `PostgreSQL not reachable at ${PG_ADMIN_URL}`;
if (skip) process.stderr.write(`\n!!! workers.test.ts PostgreSQL part SKIPPED: ${skip}\n\n`);

describe('serve --workers 2 [postgres]: SIGKILL a worker under a write load', { skip }, () => {
  let database: TestDatabase | null = null;
  let server: ServeProcess | null = null;
  const seenPids = new Set<number>();

  before(async () => {
    database = await createTestDatabase('postgres');
  });

  after(async () => {
    await stopServe(server, seenPids, 20_000);
    await database?.drop();
  });

  it('every acknowledged write is in the database exactly as sent, and no row is half-written', async (t) => {
    const token = await prepare(database!.url);
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    server = startServe(cleanEnv({ DATABASE_URL: database!.url, LOG_LEVEL: 'warn' }), port, [
      '--workers',
      '2',
    ]);
    await waitAnswering(server, base);
    const workers = await workersOf(server, 2, STARTUP_MS);
    for (const pid of workers) seenPids.add(pid);

    const writes: Write[] = [];
    const failures: string[] = [];
    let stopped = false;
    // Keep-alive, as a proxy's upstream connections are: each loop's connection belongs to one worker,
    // so killing a worker cuts the requests it is serving.
    const agents = Array.from({ length: 8 }, () => new Agent({ keepAlive: true, maxSockets: 1 }));
    const loop = async (index: number): Promise<void> => {
      for (let i = 0; i < 2000 && !stopped; i++) {
        const write: Write = {
          body: {
            name: `load ${index}-${i}`,
            description: `written by loop ${index}, request ${i} ${'x'.repeat(i % 50)}.`,
            price: `${(index * 1000 + i) % 100000}.${String(i % 100).padStart(2, '0')}`,
            stock: (index * 7919 + i) % 1000,
          },
          id: null,
        };
        writes.push(write);
        try {
          const response = await send(`${base}/product_api/`, {
            method: 'POST',
            headers: jsonHeaders({ authorization: `Token ${token}` }),
            body: JSON.stringify(write.body),
            timeoutMs: 10_000,
            agent: agents[index]!,
          });
          if (response.status === 201) {
            const product = JSON.parse(response.body) as Record<string, unknown>;
            write.id = product.id as number;
            write.answer = {
              name: product.name,
              description: product.description,
              price: product.price,
              stock: product.stock,
            };
          } else {
            failures.push(`${response.status} ${response.body}`);
          }
        } catch (error) {
          // A connection reset by the killed worker: the write may or may not have happened.
          failures.push((error as Error).message);
          await sleep(20);
        }
      }
    };
    const loops = Promise.all(Array.from({ length: 8 }, (_, i) => loop(i)));
    let victim = 0;
    let acknowledgedBeforeKill = 0;
    try {
      await sleep(2000);
      // Kill a worker that is serving clients at that moment (bounded search).
      victim = await waitFor(
        'a worker holding client connections',
        5000,
        () => workers.find((pid) => openConnections(pid, port) > 0),
        1,
      );
      signal(victim, 'SIGKILL');
      acknowledgedBeforeKill = writes.filter((w) => w.id !== null).length;
      await sleep(3000);
      for (const pid of await childPids(server.pid)) seenPids.add(pid);
    } finally {
      stopped = true;
      await loops;
      for (const agent of agents) agent.destroy();
    }
    const acknowledged = writes.filter((w) => w.id !== null);
    t.diagnostic(
      `${writes.length} writes sent, ${acknowledged.length} acknowledged (${acknowledgedBeforeKill} before the kill), ` +
        `${failures.length} failed: ${JSON.stringify([...new Set(failures)].slice(0, 5))}`,
    );
    assert.ok(acknowledgedBeforeKill > 0, 'the load was writing before the kill');
    assert.ok(failures.length > 0, 'the kill interrupted requests in flight');
    assert.ok(acknowledged.length > acknowledgedBeforeKill, 'writes kept being acknowledged after the kill');
    assert.ok(!pidAlive(victim));
    assert.ok(server.running(), 'the primary survives a worker being killed');

    const client = new pg.Client({ connectionString: database!.url });
    await client.connect();
    let rows: Array<{
      id: number;
      name: string | null;
      description: string | null;
      price_cents: string | null;
      stock: number | null;
      created: Date | null;
      updated: Date | null;
    }>;
    try {
      rows = (
        await client.query('select id, name, description, price_cents, stock, created, updated from products')
      ).rows as typeof rows;
    } finally {
      await client.end();
    }

    for (const write of acknowledged)
      assert.deepEqual(write.answer, write.body, 'the 201 shows what was sent');
    // Every acknowledged write is there, with exactly the fields sent.
    const byId = new Map(rows.map((row) => [row.id, row]));
    for (const write of acknowledged) {
      const row = byId.get(write.id!);
      assert.ok(row, `acknowledged product ${write.id} is missing`);
      assert.deepEqual(
        {
          name: row.name,
          description: row.description,
          price_cents: Number(row.price_cents),
          stock: row.stock,
        },
        {
          name: write.body.name,
          description: write.body.description,
          price_cents: cents(write.body.price),
          stock: write.body.stock,
        },
        `product ${write.id}`,
      );
    }
    // Every row is whole: valid fields, and exactly one of the bodies sent (acknowledged or not).
    const sentByName = new Map(writes.map((w) => [w.body.name, w.body]));
    for (const row of rows) {
      const label = `row ${JSON.stringify(row)}`;
      assert.ok(typeof row.name === 'string' && row.name.length > 0 && row.name.length <= 100, label);
      assert.ok(typeof row.description === 'string' && row.description.length > 0, label);
      assert.ok(row.price_cents !== null && /^-?\d+$/.test(row.price_cents), label);
      assert.ok(row.stock !== null && row.stock >= STOCK_MIN && row.stock <= STOCK_MAX, label);
      assert.ok(row.created instanceof Date && row.updated instanceof Date, label);
      assert.ok(row.updated.getTime() >= row.created.getTime(), label);
      const sent = sentByName.get(row.name);
      assert.ok(sent, `${label} matches nothing the load sent`);
      assert.deepEqual(
        { description: row.description, price_cents: Number(row.price_cents), stock: row.stock },
        { description: sent.description, price_cents: cents(sent.price), stock: sent.stock },
        label,
      );
    }
    assert.equal(new Set(rows.map((r) => r.name)).size, rows.length, 'no write was stored twice');
  });
});
