// `keygate serve`'s JSON request logs as real processes write them: complete lines, user ids, no
// secrets, every line written by a SIGTERM shutdown (one process and --workers), a closed stdout.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { Agent } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  exitWithin,
  freePort,
  jsonHeaders,
  PASSWORD,
  send,
  sqliteWithToken,
  startServe,
  stopServe,
  waitUntilAnswering,
  type ServeProcess,
} from '../production/support.js';

type LogLine = Record<string, unknown> & { msg?: string; reqId?: string };

/** Every stdout line parsed; fails on any line that is not a whole JSON object. */
function jsonLines(output: string): LogLine[] {
  return output
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      try {
        return JSON.parse(line) as LogLine;
      } catch {
        assert.fail(`not a whole JSON line: ${line.slice(0, 200)}`);
      }
    });
}

/** The `request completed` line of the request with this X-Request-Id. */
function completed(lines: readonly LogLine[], reqId: string): LogLine {
  const line = lines.find((l) => l.msg === 'request completed' && l.reqId === reqId);
  assert.ok(line, `no request line for ${reqId}`);
  return line;
}

/** `keygate serve` with its stdout kept apart from stderr (output() holds both). */
function startServing(
  env: NodeJS.ProcessEnv,
  port: number,
  args: readonly string[] = [],
): ServeProcess & { stdout(): string } {
  const server = startServe(env, port, args);
  let stdout = '';
  server.child.stdout?.on('data', (d: string) => (stdout += d));
  return Object.assign(server, { stdout: () => stdout });
}

/** SIGTERM, then the exit status and everything the process wrote to stdout. */
async function stopAndRead(server: ServeProcess & { stdout(): string }): Promise<string> {
  server.child.kill('SIGTERM');
  const exit = await exitWithin(server, 20_000);
  assert.deepEqual(exit, { code: 0, signal: null }, server.output());
  return server.stdout();
}

/** `count` GETs of /product_api/ with ids `${prefix}-0..`, `concurrency` at a time on kept-alive connections. */
async function burst(
  base: string,
  token: string,
  prefix: string,
  count: number,
  concurrency = 16,
): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const id = `${prefix}-${next++}`;
      const response = await send(`${base}/product_api/`, {
        agent,
        headers: { authorization: `Token ${token}`, 'x-request-id': id },
      });
      assert.equal(response.status, 200, id);
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    agent.destroy();
  }
}

describe('keygate serve: JSON request logs', () => {
  let dir = '';
  let env: NodeJS.ProcessEnv = {};
  let token = '';
  let userId = 0;
  let server: ServeProcess | null = null;

  before(async () => {
    ({ dir, env, token } = await sqliteWithToken('keygate-logs-', PASSWORD));
  });
  after(async () => {
    await stopServe(server);
    rmSync(dir, { recursive: true, force: true });
  });

  it('a line per request: reqId, status, responseTime, the user id of a token request, no secret', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const serving = startServing(env, port);
    server = serving;
    await waitUntilAnswering(server);

    const login = await send(`${base}/customtoken/`, {
      method: 'POST',
      headers: jsonHeaders({ 'x-request-id': 'login-1' }),
      body: JSON.stringify({ username: 'alice', password: PASSWORD }),
    });
    assert.equal(login.status, 200, login.body);
    userId = (JSON.parse(login.body) as { user_id: number }).user_id;
    const authenticated = await send(`${base}/product_api/`, {
      headers: { authorization: `Token ${token}`, 'x-request-id': 'token-1' },
    });
    assert.equal(authenticated.status, 200);
    const anonymous = await send(`${base}/product_api/`, { headers: { 'x-request-id': 'anon-1' } });
    assert.equal(anonymous.status, 401);
    const inQuery = await send(`${base}/product_api/?token=${token}&page=1`, {
      headers: { authorization: `Token ${token}`, 'x-request-id': 'query-1' },
    });
    assert.equal(inQuery.status, 200);

    const output = await stopAndRead(serving);
    for (const secret of [token, PASSWORD]) assert.ok(!output.includes(secret), `the logs hold ${secret}`);
    const lines = jsonLines(output);

    const byToken = completed(lines, 'token-1');
    assert.equal(byToken.userId, userId);
    assert.deepEqual(byToken.res, { statusCode: 200 });
    assert.equal(typeof byToken.responseTime, 'number');
    assert.deepEqual(byToken.req, { method: 'GET', url: '/product_api/', remoteAddress: '127.0.0.1' });

    const byNobody = completed(lines, 'anon-1');
    assert.ok(!('userId' in byNobody), 'an anonymous request has no user id');
    assert.deepEqual(byNobody.res, { statusCode: 401 });
    // The login authenticates with a password, not as a user of the request (DRF's AllowAny view).
    assert.deepEqual(completed(lines, 'login-1').res, { statusCode: 200 });
    assert.equal(
      (completed(lines, 'query-1').req as { url?: string }).url,
      '/product_api/?token=[redacted]&page=1',
    );
    assert.equal(lines.at(-1)?.msg, 'stopped', 'stopped is the last line');
  });

  it('a burst of requests then SIGTERM: every request line written, whole, then stopped', async () => {
    const count = 600;
    const port = await freePort();
    const serving = startServing(env, port);
    server = serving;
    await waitUntilAnswering(server);
    await burst(`http://127.0.0.1:${port}`, token, 'burst', count);
    // At once: the lines are still in the buffer, which the shutdown must write out.
    const lines = jsonLines(await stopAndRead(serving));
    const ids = lines.filter((l) => l.msg === 'request completed' && l.reqId?.startsWith('burst-'));
    assert.equal(ids.length, count);
    assert.equal(new Set(ids.map((l) => l.reqId)).size, count);
    for (const line of ids) assert.equal(line.userId, userId);
    assert.equal(lines.at(-1)?.msg, 'stopped');
  });

  it('--workers 2 sharing one stdout: a burst, then SIGTERM: all lines whole, none lost, two stopped', async () => {
    const count = 800;
    const port = await freePort();
    const serving = startServing(env, port, ['--workers', '2']);
    server = serving;
    await waitUntilAnswering(server);
    await burst(`http://127.0.0.1:${port}`, token, 'shared', count, 24);
    const lines = jsonLines(await stopAndRead(serving));
    const ids = lines.filter((l) => l.msg === 'request completed' && l.reqId?.startsWith('shared-'));
    assert.equal(new Set(ids.map((l) => l.reqId)).size, count);
    assert.equal(ids.length, count);
    assert.equal(lines.filter((l) => l.msg === 'stopped').length, 2, 'each worker logs stopped');
  });

  it('a stdout whose reader went away (EPIPE) does not stop the server', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    server = startServe(env, port);
    await waitUntilAnswering(server);
    server.child.stdout?.destroy();
    for (let round = 0; round < 3; round++) {
      await burst(base, token, `piped-${round}`, 100);
      // Past the periodic flush, so the lines are written to the closed pipe.
      await sleep(300);
    }
    assert.ok(server.running(), server.output());
    assert.equal((await send(`${base}/healthz`)).status, 200);
    server.child.kill('SIGTERM');
    assert.deepEqual(await exitWithin(server, 20_000), { code: 0, signal: null });
  });
});
