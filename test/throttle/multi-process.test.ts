// Brute-force counters hold across processes: two `keygate serve` on one PostgreSQL database.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  createTestDatabase,
  PG_ADMIN_URL,
  POSTGRES_AVAILABLE,
  runCli,
  uniqueName,
  freePort,
} from '../helpers.js';
import {
  PASSWORD,
  startServe,
  stopServe,
  waitUntilAnswering,
  type ServeProcess,
} from '../production/support.js';

const urlOf = (server: ServeProcess): string => `http://127.0.0.1:${server.port}`;

/** POSTs a form body to /gettoken/. */
async function getToken(server: ServeProcess, username: string, password: string): Promise<Response> {
  return fetch(`${urlOf(server)}/gettoken/`, {
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
    const servers: ServeProcess[] = [];
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
      await Promise.all(servers.map((server) => waitUntilAnswering(server)));
      const [a, b] = servers as [ServeProcess, ServeProcess];

      // Three failures, alternating between the processes: each is an ordinary 400.
      for (const server of [a, b, a]) {
        const response = await getToken(server, victim, 'wrong horse');
        assert.equal(response.status, 400, `${urlOf(server)}: ${await response.text()}`);
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
        assert.equal(response.status, 429, `${urlOf(server)}: ${body}`);
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
        assert.equal(response.status, 200, `${urlOf(server)}: ${body}`);
        assert.match(body, /^\{"token":"[0-9a-f]{40}"\}$/);
      }
    } finally {
      await Promise.all(servers.map((server) => stopServe(server)));
      await database.drop();
    }
  });
});
