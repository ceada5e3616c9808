// Brute-force limits with REDIS_URL set: the counters live in Redis (db 15 here), never in login_failures.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ServiceUnavailable } from '../../src/errors.js';
import { addressScope, userAddressScope, userScope } from '../../src/throttle/login-throttle.js';
import { KNOWN_ADDRESS_MS } from '../../src/throttle/login-throttle.js';
import {
  createRedisFailureStore,
  redisKey,
  REDIS_KNOWN_PREFIX,
} from '../../src/throttle/redis-failure-store.js';
import { describeEachDialect, freePort, uniqueName } from '../helpers.js';
import {
  addressSource,
  assertInvalid,
  assertLoggedIn,
  assertThrottled,
  LIMITS,
  login,
  PASSWORD,
  WINDOW_MS,
} from './login-support.js';
import { connectRedis, REDIS_AVAILABLE, REDIS_URL, type Redis } from './redis-support.js';
import { storeContract } from './store-contract.js';

const freshAddress = addressSource(200);

describe(
  'brute-force limits with Redis',
  { skip: REDIS_AVAILABLE ? false : `Redis not reachable at ${REDIS_URL}` },
  () => {
    describeEachDialect(
      'login failure counters in Redis',
      (ctx) => {
        let redis: Redis;
        const createUser = async (prefix: string) =>
          (await ctx().keygate.users.createUser({ username: uniqueName(prefix), password: PASSWORD }))
            .username;

        /** The stored counter of a scope, or null. */
        async function counter(scope: string): Promise<{ failures: number; started: number } | null> {
          const [failures, started] = await redis.hmGet(redisKey(scope), ['failures', 'started']);
          if (!failures || !started) return null;
          return { failures: Number(failures), started: Number(started) };
        }

        async function sqlRows(): Promise<number> {
          const db = ctx().keygate.database.db;
          const counters = await db.selectFrom('login_failures').select('scope').execute();
          const known = await db.selectFrom('login_known_addresses').select('digest').execute();
          return counters.length + known.length;
        }

        before(async () => {
          const client = await connectRedis();
          assert.ok(client, 'Redis went away');
          redis = client;
          await redis.flushDb();
        });

        after(async () => {
          await redis.flushDb();
          redis.destroy();
        });

        it('the configuration selects Redis', () => {
          assert.equal(ctx().config.redisUrl, REDIS_URL);
        });

        it('3 bad passwords from an address are 400s, the next from it is 429 with Retry-After — even with the right password', async () => {
          const victim = await createUser('victim');
          const address = freshAddress();
          for (const url of ['/gettoken/', '/customtoken/', '/gettoken/'])
            assertInvalid(await login(ctx, victim, 'wrong horse', address, url));

          const retryAfter = assertThrottled(await login(ctx, victim, 'wrong horse', address));
          assert.ok(retryAfter >= 55, `Retry-After ${retryAfter} should be about the whole 60 s window`);
          assertThrottled(await login(ctx, victim, PASSWORD, address, '/customtoken/'));

          const own = await counter(userAddressScope(victim, address));
          assert.equal(own?.failures, 3);
          assert.ok(Math.abs(Date.now() - (own?.started ?? 0)) < 10_000, 'the window started now');
          // The key expires with the window.
          const ttl = await redis.pTTL(redisKey(userAddressScope(victim, address)));
          assert.ok(ttl > 50_000 && ttl <= WINDOW_MS, `PTTL ${ttl}`);
          assert.equal((await counter(userScope(victim)))?.failures, 3);
          assert.equal((await counter(addressScope(address)))?.failures, 3);
        });

        it('while one user is locked out at an address, they and another user log in from elsewhere', async () => {
          const victim = await createUser('locked');
          const bystander = await createUser('bystander');
          const address = freshAddress();
          for (let i = 0; i < 3; i++) assertInvalid(await login(ctx, victim, 'wrong horse', address));
          assertThrottled(await login(ctx, victim, PASSWORD, address));
          assertLoggedIn(await login(ctx, victim, PASSWORD, freshAddress()));
          assertLoggedIn(await login(ctx, bystander, PASSWORD, freshAddress()));
          assertLoggedIn(await login(ctx, bystander, PASSWORD, freshAddress(), '/customtoken/'));
        });

        it("a successful login clears its client's counter, never the address's or the username's ceiling", async () => {
          const user = await createUser('forgetful');
          const first = freshAddress();
          assertInvalid(await login(ctx, user, 'wrong 1', first));
          assertInvalid(await login(ctx, user, 'wrong 2', first));
          assertLoggedIn(await login(ctx, user, PASSWORD, first));
          assert.equal(await counter(userAddressScope(user, first)), null);
          assert.equal((await counter(addressScope(first)))?.failures, 2);
          assert.equal((await counter(userScope(user)))?.failures, 2);

          const second = freshAddress();
          for (let i = 0; i < 3; i++) assertInvalid(await login(ctx, user, `wrong ${i}`, second));
          assertThrottled(await login(ctx, user, PASSWORD, second));
        });

        it('a window in the past (key not yet expired) restarts from one', async () => {
          const user = await createUser('patient');
          const address = freshAddress();
          for (let i = 0; i < 3; i++) assertInvalid(await login(ctx, user, 'wrong horse', address));
          assertThrottled(await login(ctx, user, PASSWORD, address));

          for (const scope of [userAddressScope(user, address), userScope(user), addressScope(address)]) {
            await redis.hSet(redisKey(scope), 'started', String(Date.now() - WINDOW_MS - 1));
          }
          assertInvalid(await login(ctx, user, 'wrong again', address));
          const restarted = await counter(userAddressScope(user, address));
          assert.equal(restarted?.failures, 1);
          assert.ok(Math.abs(Date.now() - (restarted?.started ?? 0)) < 10_000, 'a new window starts now');
          assert.equal((await counter(addressScope(address)))?.failures, 1);
          assertLoggedIn(await login(ctx, user, PASSWORD, address));
        });

        it('concurrent increments from two clients are exact: 25 in parallel give 1..25', async () => {
          const scope = userScope(uniqueName('raced'));
          const stores = [createRedisFailureStore(REDIS_URL), createRedisFailureStore(REDIS_URL)];
          try {
            const now = Date.now();
            const counts = await Promise.all(
              Array.from({ length: 25 }, (_, i) => stores[i % 2]!.increment(scope, now, now - WINDOW_MS)),
            );
            assert.deepEqual(
              counts.map((c) => c.failures).sort((a, b) => a - b),
              Array.from({ length: 25 }, (_, i) => i + 1),
            );
            assert.ok(counts.every((c) => c.windowStarted === now));
            assert.equal((await counter(scope))?.failures, 25);
          } finally {
            await Promise.all(stores.map((store) => store.close()));
          }
        });

        it('known addresses live in Redis, as keyed digests that expire in 30 days; strangers spend only the ceiling', async () => {
          const alice = await createUser('alice');
          const home = freshAddress();
          const before = new Set(await redis.keys(`${REDIS_KNOWN_PREFIX}*`));
          assertLoggedIn(await login(ctx, alice, PASSWORD, home));
          const added = (await redis.keys(`${REDIS_KNOWN_PREFIX}*`)).filter((key) => !before.has(key));
          assert.equal(added.length, 1);
          assert.match(added[0]!, /^keygate:login-known:[0-9a-f]{64}$/);
          const ttl = await redis.pTTL(added[0]!);
          assert.ok(ttl > KNOWN_ADDRESS_MS - 60_000 && ttl <= KNOWN_ADDRESS_MS, `PTTL ${ttl}`);

          // LIMITS: the ceiling is 6 failures from never-seen addresses.
          for (let i = 0; i < 8; i++) await login(ctx, alice, `wrong ${i}`, freshAddress());
          assertThrottled(await login(ctx, alice, PASSWORD, freshAddress()));
          assertLoggedIn(await login(ctx, alice, PASSWORD, home));
          assert.equal((await counter(userScope(alice)))?.failures, 6);
        });

        it('no row is ever written to login_failures or login_known_addresses', async () => {
          for (let i = 0; i < 2; i++)
            assertInvalid(await login(ctx, uniqueName('nobody'), 'wrong', freshAddress()));
          assertLoggedIn(await login(ctx, await createUser('somebody'), PASSWORD, freshAddress()));
          assert.ok((await redis.keys('keygate:login-failures:*')).length > 0);
          assert.equal(await sqlRows(), 0);
        });
      },
      { env: { REDIS_URL, ...LIMITS } },
    );

    describe('the Redis login failure store', () => {
      const store = createRedisFailureStore(REDIS_URL);
      after(() => store.close());
      storeContract(() => store);
    });
  },
);

// Needs no Redis: a port nobody listens on.
const deadPort = await freePort();
const DEAD_REDIS_URL = `redis://127.0.0.1:${deadPort}/0`;

describeEachDialect(
  'login failure counters in an unreachable Redis',
  (ctx) => {
    it('a login answers 503 with Retry-After, promptly — never a 500, never an unlimited login', async () => {
      const user = (
        await ctx().keygate.users.createUser({ username: uniqueName('stranded'), password: PASSWORD })
      ).username;
      for (const password of [PASSWORD, 'wrong horse']) {
        const started = Date.now();
        const response = await login(ctx, user, password, freshAddress());
        assert.equal(response.statusCode, 503, response.body);
        assert.equal(response.headers['retry-after'], '1');
        assert.ok(Date.now() - started < 5_000, `took ${Date.now() - started} ms`);
      }
      assert.equal(
        (await ctx().keygate.database.db.selectFrom('login_failures').select('scope').execute()).length,
        0,
      );
    });

    it('every store operation fails with ServiceUnavailable', async () => {
      const store = createRedisFailureStore(DEAD_REDIS_URL, { connectTimeoutMs: 200 });
      try {
        await assert.rejects(store.read(['user:x']), ServiceUnavailable);
        await assert.rejects(
          store.increment('user:x', Date.now(), Date.now() - WINDOW_MS),
          ServiceUnavailable,
        );
        await assert.rejects(store.clear('user:x'), ServiceUnavailable);
        await assert.rejects(store.release('user:x', Date.now()), ServiceUnavailable);
        await assert.rejects(store.knownUntil('x'), ServiceUnavailable);
        await assert.rejects(store.remember('x', Date.now() + 1000, Date.now()), ServiceUnavailable);
      } finally {
        await store.close();
      }
    });
  },
  { env: { REDIS_URL: DEAD_REDIS_URL, ...LIMITS } },
);
