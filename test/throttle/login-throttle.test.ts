// Brute-force limits on /gettoken/ and /customtoken/: counted per username and per address, in the database.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { performance } from 'node:perf_hooks';
import { before, it } from 'node:test';
import { buildApp } from '../../src/app.js';
import { createLoginFailureRepository } from '../../src/throttle/login-failure-repository.js';
import { addressScope, createLoginThrottle, userScope } from '../../src/throttle/login-throttle.js';
import { describeEachDialect, uniqueName, type DialectContext } from '../helpers.js';
import {
  addressSource,
  assertInvalid,
  assertLoggedIn,
  assertThrottled,
  INVALID_CREDENTIALS,
  LIMITS,
  login,
  PASSWORD,
  WINDOW_MS,
} from './login-support.js';

const freshAddress = addressSource(0);

async function counter(ctx: () => DialectContext, scope: string) {
  return ctx()
    .keygate.database.db.selectFrom('login_failures')
    .select(['failures', 'window_started'])
    .where('scope', '=', scope)
    .executeTakeFirst();
}

/** Moves counters' windows into the past, as if `ms` had gone by. */
async function travel(ctx: () => DialectContext, scopes: readonly string[], ms: number): Promise<void> {
  const db = ctx().keygate.database.db;
  await db
    .updateTable('login_failures')
    .set((eb) => ({ window_started: eb('window_started', '-', ms) }))
    .where('scope', 'in', scopes)
    .execute();
}

describeEachDialect(
  'brute-force limits on the token endpoints',
  (ctx) => {
    const createUser = async (prefix: string) =>
      (await ctx().keygate.users.createUser({ username: uniqueName(prefix), password: PASSWORD })).username;

    let victim: string;
    let bystander: string;
    before(async () => {
      victim = await createUser('victim');
      bystander = await createUser('bystander');
    });

    it('N bad passwords are 400s, the next is 429 — even with the right password — on both endpoints', async () => {
      const address = freshAddress();
      const urls = ['/gettoken/', '/customtoken/', '/gettoken/'];
      for (const url of urls) assertInvalid(await login(ctx, victim, 'wrong horse', address, url));

      const retryAfter = assertThrottled(await login(ctx, victim, 'wrong horse', address));
      assert.ok(retryAfter >= 55, `Retry-After ${retryAfter} should be about the whole 60 s window`);
      for (const url of ['/gettoken/', '/customtoken/']) {
        assertThrottled(await login(ctx, victim, PASSWORD, address, url));
        // Locked per username: another address does not help either.
        assertThrottled(await login(ctx, victim, PASSWORD, freshAddress(), url));
      }
      // The lockout answers without checking the password: no 429 was counted as a failure.
      assert.equal((await counter(ctx, userScope(victim)))?.failures, 3);
    });

    it('while one user is locked out, another user from another address logs in', async () => {
      const address = freshAddress();
      assertThrottled(await login(ctx, victim, PASSWORD, address));
      assertLoggedIn(await login(ctx, bystander, PASSWORD, freshAddress()));
      assertLoggedIn(await login(ctx, bystander, PASSWORD, freshAddress(), '/customtoken/'));
    });

    it('a locked-out attempt costs no password hashing', async () => {
      const elapsed = async (username: string): Promise<number> => {
        const start = performance.now();
        await login(ctx, username, 'wrong horse', freshAddress());
        return performance.now() - start;
      };
      let throttled = 0;
      let checked = 0;
      await elapsed(victim);
      for (let i = 0; i < 3; i++) {
        throttled += await elapsed(victim);
        checked += await elapsed(uniqueName('ghost'));
      }
      assert.ok(
        throttled < checked * 0.5,
        `throttled ${throttled.toFixed(1)} ms vs checked ${checked.toFixed(1)} ms`,
      );
    });

    it("a successful login clears the username's counter, never the address's", async () => {
      const user = await createUser('forgetful');
      const first = freshAddress();
      assertInvalid(await login(ctx, user, 'wrong 1', first));
      assertInvalid(await login(ctx, user, 'wrong 2', first));
      assertLoggedIn(await login(ctx, user, PASSWORD, first));
      assert.equal(await counter(ctx, userScope(user)), undefined);
      assert.equal((await counter(ctx, addressScope(first)))?.failures, 2);

      // The per-user count starts again from zero: three more failures before the 429.
      const second = freshAddress();
      for (let i = 0; i < 3; i++) assertInvalid(await login(ctx, user, `wrong ${i}`, second));
      assertThrottled(await login(ctx, user, PASSWORD, second));
    });

    it('the per-address limit trips across different usernames', async () => {
      const address = freshAddress();
      for (let i = 0; i < 5; i++)
        assertInvalid(await login(ctx, uniqueName('sprayed'), 'wrong horse', address));
      assertThrottled(await login(ctx, uniqueName('sprayed'), 'wrong horse', address));
      const user = await createUser('sprayed');
      assertThrottled(await login(ctx, user, PASSWORD, address, '/customtoken/'));
      // The same user from elsewhere is not affected by that address's counter.
      assertLoggedIn(await login(ctx, user, PASSWORD, freshAddress()));
    });

    it('validation errors (missing, blank or non-string fields, bad JSON) are not counted', async () => {
      const user = await createUser('clumsy');
      const address = freshAddress();
      const bodies = [
        '{}',
        JSON.stringify({ username: user }),
        JSON.stringify({ password: 'wrong horse' }),
        JSON.stringify({ username: user, password: '' }),
        JSON.stringify({ username: '', password: 'wrong horse' }),
        JSON.stringify({ username: user, password: ['wrong horse'] }),
        '{"username": ',
      ];
      for (let round = 0; round < 2; round++) {
        for (const payload of bodies) {
          const response = await ctx().app.inject({
            method: 'POST',
            url: '/gettoken/',
            remoteAddress: address,
            headers: { 'content-type': 'application/json' },
            payload,
          });
          assert.equal(response.statusCode, 400, response.body);
          assert.notEqual(response.body, INVALID_CREDENTIALS);
        }
      }
      assert.equal(await counter(ctx, userScope(user)), undefined);
      assert.equal(await counter(ctx, addressScope(address)), undefined);
      assertLoggedIn(await login(ctx, user, PASSWORD, address));
    });

    it('a window in the past resets: the right password works, and a new failure counts from one', async () => {
      const user = await createUser('patient');
      const address = freshAddress();
      for (let i = 0; i < 3; i++) assertInvalid(await login(ctx, user, 'wrong horse', address));
      assertThrottled(await login(ctx, user, PASSWORD, address));

      await travel(ctx, [userScope(user), addressScope(address)], WINDOW_MS + 1);
      assertInvalid(await login(ctx, user, 'wrong again', address));
      const restarted = await counter(ctx, userScope(user));
      assert.equal(restarted?.failures, 1);
      assert.ok(Math.abs(Date.now() - Number(restarted?.window_started)) < 10_000, 'a new window starts now');
      assert.equal((await counter(ctx, addressScope(address)))?.failures, 1);

      assertLoggedIn(await login(ctx, user, PASSWORD, address));
      await travel(ctx, [addressScope(address)], WINDOW_MS + 1);
      for (let i = 0; i < 3; i++) assertInvalid(await login(ctx, user, 'wrong horse', address));
      assertThrottled(await login(ctx, user, PASSWORD, address));

      // Late in the window, Retry-After is the time left, rounded up.
      await travel(ctx, [userScope(user)], WINDOW_MS - 2_500);
      const retryAfter = assertThrottled(await login(ctx, user, PASSWORD, address));
      assert.ok(retryAfter >= 1 && retryAfter <= 3, `Retry-After ${retryAfter}`);
    });

    it('a username of any length is counted (stored by digest past 200 characters)', async () => {
      const address = freshAddress();
      const long = `long_${'x'.repeat(1000)}`;
      for (let i = 0; i < 3; i++) assertInvalid(await login(ctx, long, 'wrong horse', address));
      assertThrottled(await login(ctx, long, 'wrong horse', freshAddress()));
      assert.match(userScope(long), /^user#sha256:[0-9a-f]{64}$/);
      assert.equal((await counter(ctx, userScope(long)))?.failures, 3);
    });

    it('a failed login is logged at warn with username and address, never the password', async () => {
      const lines: string[] = [];
      const stream = new Writable({
        write(chunk: Buffer, _encoding, done) {
          lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
          done();
        },
      });
      const app = buildApp(ctx().keygate, { logger: { level: 'warn', stream } });
      try {
        const address = freshAddress();
        const username = uniqueName('logged');
        const secret = 'hunter2-do-not-log';
        const response = await app.inject({
          method: 'POST',
          url: '/customtoken/',
          remoteAddress: address,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: new URLSearchParams({ username, password: secret }).toString(),
        });
        assertInvalid(response);
        const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
        const failed = entries.find((entry) => entry.msg === 'failed login');
        assert.ok(failed, lines.join('\n'));
        assert.equal(failed.level, 40);
        assert.equal(failed.username, username);
        assert.equal(failed.address, address);
        assert.ok(!lines.some((line) => line.includes(secret)), lines.join('\n'));
      } finally {
        await app.close();
      }
    });

    it('concurrent failures are all counted (one atomic upsert each)', async () => {
      const scope = userScope(uniqueName('raced'));
      const failures = createLoginFailureRepository(ctx().keygate.database.db);
      const now = Date.now();
      const counts = await Promise.all(
        Array.from({ length: 25 }, () => failures.increment(scope, now, now - WINDOW_MS)),
      );
      assert.deepEqual(
        counts.map((c) => c.failures).sort((a, b) => a - b),
        Array.from({ length: 25 }, (_, i) => i + 1),
      );
      assert.equal((await counter(ctx, scope))?.failures, 25);
    });

    it('recording a failure now and then deletes expired counters', async () => {
      const db = ctx().keygate.database.db;
      const now = Date.now();
      const stale = [uniqueName('user:stale'), uniqueName('addr:stale')];
      const live = uniqueName('user:live');
      await db
        .insertInto('login_failures')
        .values([
          ...stale.map((scope) => ({ scope, failures: 7, window_started: now - WINDOW_MS - 1 })),
          { scope: live, failures: 2, window_started: now - WINDOW_MS + 5_000 },
        ])
        .execute();
      const throttle = createLoginThrottle({
        failures: createLoginFailureRepository(db),
        perUser: 3,
        perAddress: 5,
        windowSeconds: 60,
        pruneEvery: 1,
        random: () => 0,
      });
      await throttle.recordFailure(uniqueName('pruner'), freshAddress());
      for (const scope of stale) assert.equal(await counter(ctx, scope), undefined, scope);
      assert.equal((await counter(ctx, live))?.failures, 2);
    });
  },
  { env: LIMITS },
);

describeEachDialect(
  'brute-force limits: 0 turns a counter off',
  (ctx) => {
    it('with no per-user limit, only the per-address one applies', async () => {
      const user = (
        await ctx().keygate.users.createUser({ username: uniqueName('free'), password: PASSWORD })
      ).username;
      for (let i = 0; i < 6; i++) assertInvalid(await login(ctx, user, 'wrong horse', freshAddress()));
      assert.equal(await counter(ctx, userScope(user)), undefined);
      assertLoggedIn(await login(ctx, user, PASSWORD, freshAddress()));

      const address = freshAddress();
      for (let i = 0; i < 2; i++) assertInvalid(await login(ctx, user, 'wrong horse', address));
      assertThrottled(await login(ctx, user, PASSWORD, address));
    });
  },
  { env: { ...LIMITS, LOGIN_FAILURES_PER_USER: '0', LOGIN_FAILURES_PER_ADDRESS: '2' } },
);
