// Concurrent guesses over real sockets never verify more passwords than the limit: SQLite, PostgreSQL,
// Redis, and `serve --workers 2`.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  createTestDatabase,
  describeEachDialect,
  PG_ADMIN_URL,
  POSTGRES_AVAILABLE,
  runCli,
  uniqueName,
  type DialectContext,
} from '../helpers.js';
import {
  childPids,
  cleanEnv,
  freePort,
  PASSWORD,
  startServe,
  stopServe,
  waitUntilAnswering,
  type ServeProcess,
} from '../production/support.js';
import { adminLogin, adminLoginForm, burst, describeStatuses, getToken } from './burst-support.js';
import { REDIS_AVAILABLE, REDIS_URL } from './redis-support.js';

const PER_CLIENT = 10;
const TOTAL = 20;
const BURST = 100;

/**
 * Per user (and client) 10, per username for never-seen addresses 20, per address out of the way:
 * every request of a burst comes from 127.0.0.1 unless it names another address in X-Forwarded-For.
 */
const LIMITS = {
  LOGIN_FAILURES_PER_USER: String(PER_CLIENT),
  LOGIN_FAILURES_PER_USER_TOTAL: String(TOTAL),
  LOGIN_FAILURES_PER_ADDRESS: '1000000',
  LOGIN_FAILURE_WINDOW: '900',
  TRUSTED_PROXIES: '127.0.0.1',
};

async function createUser(ctx: () => DialectContext, prefix: string, isStaff = false): Promise<string> {
  const user = await ctx().keygate.users.createUser({
    username: uniqueName(prefix),
    password: PASSWORD,
    isStaff,
  });
  return user.username;
}

/** 100 wrong guesses at once on /gettoken/: exactly 10 are checked, the right password is refused. */
async function tokenBurst(base: string, username: string): Promise<void> {
  const { statuses, right } = await burst(
    BURST,
    (i) => getToken(base, username, `wrong horse ${i}`),
    () => getToken(base, username, PASSWORD),
  );
  assert.equal(statuses.get(400), PER_CLIENT, `passwords checked: ${describeStatuses(statuses)}`);
  assert.equal(statuses.get(429), BURST - PER_CLIENT, describeStatuses(statuses));
  assert.ok(right, 'a guess was refused, and the right password was sent in the burst');
  assert.equal(right.status, 429, `the right password in the burst: ${right.status} ${right.body}`);
  const after = await getToken(base, username, PASSWORD);
  assert.equal(after.status, 429, `the right password after the burst: ${after.body}`);
  assert.match(String(after.headers['retry-after']), /^\d+$/);
}

/** 60 wrong guesses at once from 60 never-seen addresses: only the username's total ceiling (20) are checked. */
async function spreadBurst(base: string, username: string, second: number): Promise<void> {
  const from = (i: number) => ({ 'x-forwarded-for': `10.${second}.${Math.floor(i / 250)}.${(i % 250) + 1}` });
  const count = 3 * TOTAL;
  const { statuses, right } = await burst(
    count,
    (i) => getToken(base, username, `wrong horse ${i}`, from(i)),
    () => getToken(base, username, PASSWORD, from(count)),
  );
  assert.equal(statuses.get(400), TOTAL, `passwords checked: ${describeStatuses(statuses)}`);
  assert.equal(statuses.get(429), count - TOTAL, describeStatuses(statuses));
  assert.equal(right?.status, 429, `the right password from a new address: ${right?.body}`);
}

describeEachDialect(
  'concurrent guesses over real sockets',
  (ctx) => {
    it('/gettoken/: 100 guesses at once, 10 passwords checked, the right one in the burst refused', async () => {
      await tokenBurst(await ctx().listen(), await createUser(ctx, 'burst'));
    });

    it('/admin/login/: 100 guesses at once, 10 passwords checked, the right one in the burst refused', async () => {
      const base = await ctx().listen();
      const username = await createUser(ctx, 'staff', true);
      const form = await adminLoginForm(base);
      const { statuses, right } = await burst(
        BURST,
        (i) => adminLogin(base, form, username, `wrong horse ${i}`),
        () => adminLogin(base, form, username, PASSWORD),
      );
      // A wrong password shows the form again (200); a refused attempt is a 429 page.
      assert.equal(statuses.get(200), PER_CLIENT, `passwords checked: ${describeStatuses(statuses)}`);
      assert.equal(statuses.get(429), BURST - PER_CLIENT, describeStatuses(statuses));
      assert.equal(right?.status, 429, `the right password in the burst: ${right?.status}`);
      assert.equal((await adminLogin(base, form, username, PASSWORD)).status, 429);
    });

    it('the per-username ceiling holds too: 60 addresses at once, 20 passwords checked', async () => {
      await spreadBurst(
        await ctx().listen(),
        await createUser(ctx, 'spread'),
        ctx().dialect === 'sqlite' ? 1 : 2,
      );
    });
  },
  { env: LIMITS },
);

describe(
  'concurrent guesses with the counters in Redis',
  { skip: REDIS_AVAILABLE ? false : `Redis not reachable at ${REDIS_URL}` },
  () => {
    describeEachDialect(
      'concurrent guesses over real sockets, Redis',
      (ctx) => {
        it('/gettoken/: 100 guesses at once, 10 passwords checked, the right one in the burst refused', async () => {
          await tokenBurst(await ctx().listen(), await createUser(ctx, 'burst'));
        });

        it('the per-username ceiling holds too: 60 addresses at once, 20 passwords checked', async () => {
          await spreadBurst(await ctx().listen(), await createUser(ctx, 'spread'), 3);
        });
      },
      { env: { ...LIMITS, REDIS_URL }, dialects: ['sqlite'] },
    );
  },
);

describe('concurrent guesses against `keygate serve --workers 2`', () => {
  for (const dialect of ['sqlite', 'postgres'] as const) {
    const skip =
      dialect === 'postgres' && !POSTGRES_AVAILABLE ? `PostgreSQL not reachable at ${PG_ADMIN_URL}` : false;
    it(`[${dialect}] 100 guesses at once over two processes, 10 passwords checked`, { skip }, async () => {
      const database = await createTestDatabase(dialect);
      let server: ServeProcess | null = null;
      let workers: number[] = [];
      try {
        const env = cleanEnv({ DATABASE_URL: database.url, ...LIMITS });
        if (dialect === 'postgres') {
          const migrated = await runCli(['migrate'], env);
          assert.equal(migrated.code, 0, migrated.stderr);
        }
        server = startServe(env, await freePort(), ['--workers', '2']);
        await waitUntilAnswering(server);
        workers = await childPids(server.pid);
        assert.equal(workers.length, 2, `workers: ${workers.join(', ')}`);
        const username = uniqueName('workers');
        const created = await runCli(['createuser', username, '--password-stdin'], env, `${PASSWORD}\n`);
        assert.equal(created.code, 0, created.stderr);
        await tokenBurst(`http://127.0.0.1:${server.port}`, username);
      } finally {
        await stopServe(server, workers);
        await database.drop();
      }
    });
  }
});
