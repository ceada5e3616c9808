// Brute-force counters hold across processes: two `keygate serve` on one PostgreSQL database.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  createTestDatabase,
  PG_ADMIN_URL,
  POSTGRES_AVAILABLE,
  runCli,
  uniqueName,
  CLI_ENTRY,
  freePort,
} from '../helpers.js';

const PASSWORD = 'correct horse battery';

/** A running `keygate serve` process. */
interface Server {
  readonly child: ChildProcess;
  readonly url: string;
  readonly exited: Promise<void>;
  output(): string;
}

function startServe(env: NodeJS.ProcessEnv, port: number): Server {
  const child = spawn(process.execPath, [...CLI_ENTRY, 'serve', '--port', String(port)], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { child, url: `http://127.0.0.1:${port}`, exited, output: () => output };
}

function running(server: Server): boolean {
  return server.child.exitCode === null && server.child.signalCode === null;
}

/** Polls /readyz until the server is ready; fails if it exits or takes longer than `ms`. */
async function waitUntilReady(server: Server, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!running(server)) assert.fail(`serve exited before answering:\n${server.output()}`);
    try {
      const response = await fetch(`${server.url}/readyz`, { signal: AbortSignal.timeout(2000) });
      if (response.status === 200) return;
    } catch {
      // Not listening yet.
    }
    await sleep(100);
  }
  assert.fail(`serve at ${server.url} was not ready within ${ms} ms:\n${server.output()}`);
}

/** SIGTERM, then SIGKILL if the process is still there after 5 s. */
async function stop(server: Server): Promise<void> {
  if (!running(server)) return;
  server.child.kill('SIGTERM');
  const exited = await Promise.race([server.exited.then(() => true), sleep(5000).then(() => false)]);
  if (!exited && running(server)) {
    server.child.kill('SIGKILL');
    await server.exited;
  }
}

/** POSTs a form body to /gettoken/. */
async function getToken(server: Server, username: string, password: string): Promise<Response> {
  return fetch(`${server.url}/gettoken/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username, password }).toString(),
    signal: AbortSignal.timeout(15_000),
  });
}

async function createUser(env: NodeJS.ProcessEnv, username: string): Promise<void> {
  const result = await runCli(['createuser', username, '--password-stdin'], env, `${PASSWORD}\n`);
  assert.equal(result.code, 0, result.stderr);
}

const skip = POSTGRES_AVAILABLE ? false : `PostgreSQL not reachable at ${PG_ADMIN_URL}`;

describe('brute-force limits across two server processes [postgres]', { skip }, () => {
  it('the 4th bad password is 429 on whichever process gets it; another user still logs in', async () => {
    const database = await createTestDatabase('postgres');
    const servers: Server[] = [];
    try {
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        DATABASE_URL: database.url,
        LOG_LEVEL: 'silent',
        LOGIN_FAILURES_PER_USER: '3',
      };
      delete env.PORT;
      delete env.HOST;
      delete env.LOGIN_FAILURES_PER_ADDRESS;
      delete env.LOGIN_FAILURE_WINDOW;

      const migrated = await runCli(['migrate'], env);
      assert.equal(migrated.code, 0, migrated.stderr);
      const victim = uniqueName('victim');
      const bystander = uniqueName('bystander');
      await createUser(env, victim);
      await createUser(env, bystander);

      for (const port of [await freePort(), await freePort()]) servers.push(startServe(env, port));
      await Promise.all(servers.map((server) => waitUntilReady(server)));
      const [a, b] = servers as [Server, Server];

      // Three failures, alternating between the processes: each is an ordinary 400.
      for (const server of [a, b, a]) {
        const response = await getToken(server, victim, 'wrong horse');
        assert.equal(response.status, 400, `${server.url}: ${await response.text()}`);
      }
      // The fourth is refused by either process, the right password included.
      for (const [server, password] of [
        [b, 'wrong horse'],
        [a, 'wrong horse'],
        [a, PASSWORD],
        [b, PASSWORD],
      ] as const) {
        const response = await getToken(server, victim, password);
        const body = await response.text();
        assert.equal(response.status, 429, `${server.url}: ${body}`);
        const retryAfter = Number(response.headers.get('retry-after'));
        assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 900, String(retryAfter));
        assert.equal(
          body,
          `{"detail":"Request was throttled. Expected available in ${retryAfter} seconds."}`,
        );
      }
      // Another user's right password works on both processes.
      for (const server of [a, b]) {
        const response = await getToken(server, bystander, PASSWORD);
        const body = await response.text();
        assert.equal(response.status, 200, `${server.url}: ${body}`);
        assert.match(body, /^\{"token":"[0-9a-f]{40}"\}$/);
      }
    } finally {
      await Promise.all(servers.map(stop));
      await database.drop();
    }
  });
});
