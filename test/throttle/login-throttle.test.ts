// Brute-force limits on /gettoken/ and /customtoken/: counted per username and address, per username
// (never-seen addresses) and per address, in the database.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { performance } from 'node:perf_hooks';
import { before, it } from 'node:test';
import { buildApp } from '../../src/app.js';
import { createLoginFailureRepository } from '../../src/throttle/login-failure-repository.js';
import { createDeviceCookies } from '../../src/throttle/device-cookie.js';
import {
  addressScope,
  createLoginThrottle,
  userAddressScope,
  userScope,
} from '../../src/throttle/login-throttle.js';
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

    let lockedAddress: string;

    it('N bad passwords from an address are 400s, the next from it is 429 — even with the right password — on both endpoints', async () => {
      lockedAddress = freshAddress();
      const urls = ['/gettoken/', '/customtoken/', '/gettoken/'];
      for (const url of urls) assertInvalid(await login(ctx, victim, 'wrong horse', lockedAddress, url));

      const retryAfter = assertThrottled(await login(ctx, victim, 'wrong horse', lockedAddress));
      assert.ok(retryAfter >= 55, `Retry-After ${retryAfter} should be about the whole 60 s window`);
      for (const url of ['/gettoken/', '/customtoken/']) {
        assertThrottled(await login(ctx, victim, PASSWORD, lockedAddress, url));
      }
      // The lockout answers without checking the password: no 429 was counted as a failure, in the
      // username-and-address counter nor in the username's ceiling.
      assert.equal((await counter(ctx, userAddressScope(victim, lockedAddress)))?.failures, 3);
      assert.equal((await counter(ctx, userScope(victim)))?.failures, 3);
    });

    it('a username locked out at one address still logs in from another: no denial of service', async () => {
      // This asserted the opposite before: three failures from anywhere locked the username
      // everywhere. Now the username's limit is per client; strangers share only the ceiling (6 here).
      assertLoggedIn(await login(ctx, victim, PASSWORD, freshAddress()));
      assertLoggedIn(await login(ctx, victim, PASSWORD, freshAddress(), '/customtoken/'));
      assertThrottled(await login(ctx, victim, PASSWORD, lockedAddress));
    });

    it('while one user is locked out, another user from another address logs in', async () => {
      assertThrottled(await login(ctx, victim, PASSWORD, lockedAddress));
      assertLoggedIn(await login(ctx, bystander, PASSWORD, freshAddress()));
      assertLoggedIn(await login(ctx, bystander, PASSWORD, freshAddress(), '/customtoken/'));
    });

    it('a locked-out attempt costs no password hashing', async () => {
      const elapsed = async (username: string, address: string): Promise<number> => {
        const start = performance.now();
        await login(ctx, username, 'wrong horse', address);
        return performance.now() - start;
      };
      let throttled = 0;
      let checked = 0;
      await elapsed(victim, lockedAddress);
      for (let i = 0; i < 3; i++) {
        throttled += await elapsed(victim, lockedAddress);
        checked += await elapsed(uniqueName('ghost'), freshAddress());
      }
      assert.ok(
        throttled < checked * 0.5,
        `throttled ${throttled.toFixed(1)} ms vs checked ${checked.toFixed(1)} ms`,
      );
    });

    it("a successful login clears its client's counter, never the address's or the username's ceiling", async () => {
      const user = await createUser('forgetful');
      const first = freshAddress();
      assertInvalid(await login(ctx, user, 'wrong 1', first));
      assertInvalid(await login(ctx, user, 'wrong 2', first));
      assertLoggedIn(await login(ctx, user, PASSWORD, first));
      assert.equal(await counter(ctx, userAddressScope(user, first)), undefined);
      assert.equal((await counter(ctx, addressScope(first)))?.failures, 2);
      // Clearing the ceiling would let every login of the user's reset what strangers have spent.
      assert.equal((await counter(ctx, userScope(user)))?.failures, 2);

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
      assert.equal(await counter(ctx, userAddressScope(user, address)), undefined);
      assert.equal(await counter(ctx, addressScope(address)), undefined);
      assertLoggedIn(await login(ctx, user, PASSWORD, address));
    });

    it('a window in the past resets: the right password works, and a new failure counts from one', async () => {
      const user = await createUser('patient');
      const address = freshAddress();
      for (let i = 0; i < 3; i++) assertInvalid(await login(ctx, user, 'wrong horse', address));
      assertThrottled(await login(ctx, user, PASSWORD, address));

      const own = userAddressScope(user, address);
      await travel(ctx, [own, userScope(user), addressScope(address)], WINDOW_MS + 1);
      assertInvalid(await login(ctx, user, 'wrong again', address));
      const restarted = await counter(ctx, own);
      assert.equal(restarted?.failures, 1);
      assert.ok(Math.abs(Date.now() - Number(restarted?.window_started)) < 10_000, 'a new window starts now');
      assert.equal((await counter(ctx, userScope(user)))?.failures, 1);
      assert.equal((await counter(ctx, addressScope(address)))?.failures, 1);

      assertLoggedIn(await login(ctx, user, PASSWORD, address));
      await travel(ctx, [addressScope(address)], WINDOW_MS + 1);
      for (let i = 0; i < 3; i++) assertInvalid(await login(ctx, user, 'wrong horse', address));
      assertThrottled(await login(ctx, user, PASSWORD, address));

      // Late in the window, Retry-After is the time left, rounded up.
      await travel(ctx, [own], WINDOW_MS - 2_500);
      const retryAfter = assertThrottled(await login(ctx, user, PASSWORD, address));
      assert.ok(retryAfter >= 1 && retryAfter <= 3, `Retry-After ${retryAfter}`);
    });

    it('a username of any length is counted (stored by digest past 200 characters)', async () => {
      const address = freshAddress();
      const long = `long_${'x'.repeat(1000)}`;
      for (let i = 0; i < 3; i++) assertInvalid(await login(ctx, long, 'wrong horse', address));
      assertThrottled(await login(ctx, long, 'wrong horse', address));
      assert.match(userScope(long), /^user#sha256:[0-9a-f]{64}$/);
      assert.match(userAddressScope(long, address), /^user\+addr:[0-9a-f]{64}$/);
      assert.equal((await counter(ctx, userScope(long)))?.failures, 3);
      assert.equal((await counter(ctx, userAddressScope(long, address)))?.failures, 3);
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

    it('a failed login now and then deletes expired counters and known addresses', async () => {
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
      const [forgotten, remembered] = [uniqueName('forgotten'), uniqueName('remembered')];
      await db
        .insertInto('login_known_addresses')
        .values([
          { digest: forgotten, expires_at: now - 1 },
          { digest: remembered, expires_at: now + 60_000 },
        ])
        .execute();
      const throttle = createLoginThrottle({
        failures: createLoginFailureRepository(db),
        devices: createDeviceCookies('test-secret'),
        knownAddressKey: 'test-key',
        perUser: 3,
        perUserTotal: 6,
        perAddress: 5,
        windowSeconds: 60,
        pruneEvery: 1,
        random: () => 0,
      });
      const address = freshAddress();
      assert.equal(
        await throttle.guard({ username: uniqueName('pruner'), address }, () => Promise.resolve(null)),
        null,
      );
      for (const scope of stale) assert.equal(await counter(ctx, scope), undefined, scope);
      assert.equal((await counter(ctx, live))?.failures, 2);
      const known = await db.selectFrom('login_known_addresses').select('digest').execute();
      assert.ok(!known.some((row) => row.digest === forgotten), 'the expired known address is gone');
      assert.ok(
        known.some((row) => row.digest === remembered),
        'the live one stays',
      );
    });
  },
  { env: LIMITS },
);

describeEachDialect(
  'brute-force limits: 0 turns a counter off',
  (ctx) => {
    it('with no per-user limits, only the per-address one applies', async () => {
      const user = (
        await ctx().keygate.users.createUser({ username: uniqueName('free'), password: PASSWORD })
      ).username;
      const addresses = Array.from({ length: 6 }, () => freshAddress());
      for (const address of addresses) assertInvalid(await login(ctx, user, 'wrong horse', address));
      assert.equal(await counter(ctx, userScope(user)), undefined);
      for (const address of addresses) {
        assert.equal(await counter(ctx, userAddressScope(user, address)), undefined);
      }
      assertLoggedIn(await login(ctx, user, PASSWORD, freshAddress()));

      const address = freshAddress();
      for (let i = 0; i < 2; i++) assertInvalid(await login(ctx, user, 'wrong horse', address));
      assertThrottled(await login(ctx, user, PASSWORD, address));
    });
  },
  {
    env: {
      ...LIMITS,
      LOGIN_FAILURES_PER_USER: '0',
      LOGIN_FAILURES_PER_USER_TOTAL: '0',
      LOGIN_FAILURES_PER_ADDRESS: '2',
    },
  },
);
