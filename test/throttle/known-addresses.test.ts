// /gettoken/ and /customtoken/ without denial of service: strangers' failures spend the username's
// ceiling, which never binds an address that has logged in as that user before.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeEachDialect, uniqueName, type DialectContext } from '../helpers.js';
import {
  addressSource,
  assertInvalid,
  assertLoggedIn,
  assertThrottled,
  LIMITS,
  login,
  PASSWORD,
} from './login-support.js';

const freshAddress = addressSource(100);

/** LIMITS: 3 per username per address, 6 per username from never-seen addresses. */
const PER_CLIENT = Number(LIMITS.LOGIN_FAILURES_PER_USER);
const TOTAL = Number(LIMITS.LOGIN_FAILURES_PER_USER_TOTAL);

async function createUser(ctx: () => DialectContext, prefix: string): Promise<string> {
  return (await ctx().keygate.users.createUser({ username: uniqueName(prefix), password: PASSWORD }))
    .username;
}

/**
 * An attacker with many addresses: `count` wrong passwords, one from each new address. The first
 * TOTAL are checked (400); the rest are refused by the username's ceiling (429).
 */
async function spendCeiling(ctx: () => DialectContext, username: string, count = TOTAL + 2): Promise<void> {
  for (let i = 0; i < count; i++) {
    const response = await login(ctx, username, `wrong horse ${i}`, freshAddress());
    if (i < TOTAL) assertInvalid(response);
    else assertThrottled(response);
  }
}

describeEachDialect(
  'known addresses on the token endpoints',
  (ctx) => {
    it('10+ wrong passwords from other addresses do not stop alice at her known address, on both endpoints', async () => {
      const alice = await createUser(ctx, 'alice');
      const home = freshAddress();
      assertLoggedIn(await login(ctx, alice, PASSWORD, home));

      await spendCeiling(ctx, alice, 12);
      assertLoggedIn(await login(ctx, alice, PASSWORD, home));
      assertLoggedIn(await login(ctx, alice, PASSWORD, home, '/customtoken/'));
    });

    it('they do stop a never-seen address once the ceiling is spent, the right password included', async () => {
      const alice = await createUser(ctx, 'alice');
      await spendCeiling(ctx, alice);
      const retryAfter = assertThrottled(await login(ctx, alice, PASSWORD, freshAddress()));
      assert.ok(retryAfter >= 55, `Retry-After ${retryAfter}: until the ceiling's window ends`);
      assertThrottled(await login(ctx, alice, PASSWORD, freshAddress(), '/customtoken/'));
      // Another username is not affected by alice's ceiling.
      assertLoggedIn(await login(ctx, await createUser(ctx, 'bob'), PASSWORD, freshAddress()));
    });

    it('below the ceiling, every address has its own budget: one locked address locks nobody else out', async () => {
      const alice = await createUser(ctx, 'alice');
      const attacker = freshAddress();
      for (let i = 0; i < PER_CLIENT; i++) assertInvalid(await login(ctx, alice, 'wrong horse', attacker));
      assertThrottled(await login(ctx, alice, PASSWORD, attacker));
      assertLoggedIn(await login(ctx, alice, PASSWORD, freshAddress()));
    });

    it('a known address keeps its own budget: past its limit it is locked, the other known address is not', async () => {
      const alice = await createUser(ctx, 'alice');
      const [home, office] = [freshAddress(), freshAddress()];
      assertLoggedIn(await login(ctx, alice, PASSWORD, home));
      assertLoggedIn(await login(ctx, alice, PASSWORD, office));
      await spendCeiling(ctx, alice);

      for (let i = 0; i < PER_CLIENT; i++) assertInvalid(await login(ctx, alice, 'wrong horse', home));
      assertThrottled(await login(ctx, alice, PASSWORD, home));
      assertLoggedIn(await login(ctx, alice, PASSWORD, office, '/customtoken/'));
    });

    it("a known address's success does not reset the ceiling strangers spent", async () => {
      const alice = await createUser(ctx, 'alice');
      const home = freshAddress();
      assertLoggedIn(await login(ctx, alice, PASSWORD, home));
      await spendCeiling(ctx, alice);
      assertLoggedIn(await login(ctx, alice, PASSWORD, home));
      assertThrottled(await login(ctx, alice, 'wrong horse', freshAddress()));
    });

    it('an address that only failed is not known: the ceiling binds it', async () => {
      const alice = await createUser(ctx, 'alice');
      const tried = freshAddress();
      assertInvalid(await login(ctx, alice, 'wrong horse', tried));
      await spendCeiling(ctx, alice, TOTAL - 1);
      assertThrottled(await login(ctx, alice, PASSWORD, tried));
    });
  },
  { env: LIMITS },
);
