// What the login throttle leaves in its counters and known addresses: refused attempts give back
// their reservations, known addresses are keyed digests remembered for 30 days.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { it } from 'node:test';
import { derivedSecret } from '../../src/sessions/signing-secret.js';
import { createDeviceCookies } from '../../src/throttle/device-cookie.js';
import { createLoginFailureRepository } from '../../src/throttle/login-failure-repository.js';
import { knownAddressDigest } from '../../src/throttle/login-scopes.js';
import {
  addressScope,
  createLoginThrottle,
  KNOWN_ADDRESS_MS,
  userAddressScope,
  userScope,
} from '../../src/throttle/login-throttle.js';
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

const freshAddress = addressSource(50);
const TOTAL = Number(LIMITS.LOGIN_FAILURES_PER_USER_TOTAL);

async function failures(ctx: () => DialectContext, scope: string): Promise<number | undefined> {
  const row = await ctx()
    .keygate.database.db.selectFrom('login_failures')
    .select('failures')
    .where('scope', '=', scope)
    .executeTakeFirst();
  return row === undefined ? undefined : Number(row.failures);
}

async function knownRow(ctx: () => DialectContext, username: string, address: string) {
  const digest = knownAddressDigest(derivedSecret(ctx().config, 'known-addresses'), username, address);
  const row = await ctx()
    .keygate.database.db.selectFrom('login_known_addresses')
    .selectAll()
    .where('digest', '=', digest)
    .executeTakeFirst();
  return row === undefined ? undefined : { digest: row.digest, expiresAt: Number(row.expires_at) };
}

describeEachDialect(
  'login counters and known addresses',
  (ctx) => {
    const createUser = async (prefix: string) =>
      (await ctx().keygate.users.createUser({ username: uniqueName(prefix), password: PASSWORD })).username;

    it('an attempt the ceiling refuses gives back its places in the address counters', async () => {
      const alice = await createUser('alice');
      for (let i = 0; i < TOTAL; i++) assertInvalid(await login(ctx, alice, 'wrong', freshAddress()));
      const late = freshAddress();
      for (let i = 0; i < 4; i++) assertThrottled(await login(ctx, alice, 'wrong', late));
      assert.equal((await failures(ctx, userAddressScope(alice, late))) ?? 0, 0);
      assert.equal((await failures(ctx, addressScope(late))) ?? 0, 0);
      assert.equal(await failures(ctx, userScope(alice)), TOTAL);
    });

    it("an attempt the address's limit refuses gives back its places in the username's counters", async () => {
      const sprayer = freshAddress();
      for (let i = 0; i < Number(LIMITS.LOGIN_FAILURES_PER_ADDRESS); i++)
        assertInvalid(await login(ctx, uniqueName('sprayed'), 'wrong', sprayer));
      const alice = await createUser('alice');
      assertThrottled(await login(ctx, alice, PASSWORD, sprayer));
      assert.equal((await failures(ctx, userAddressScope(alice, sprayer))) ?? 0, 0);
      assert.equal((await failures(ctx, userScope(alice))) ?? 0, 0);
    });

    it('a success remembers its address as a keyed digest for 30 days, and rewrites it at most daily', async () => {
      const alice = await createUser('alice');
      const address = freshAddress();
      const before = Date.now();
      assertLoggedIn(await login(ctx, alice, PASSWORD, address));
      const row = await knownRow(ctx, alice, address);
      assert.ok(row, 'the address is known');
      assert.match(row.digest, /^[0-9a-f]{64}$/);
      // Keyed: not the plain digest of the pair, which anyone could recompute by trying addresses.
      const plain = createHash('sha256')
        .update(JSON.stringify([alice, address]))
        .digest('hex');
      assert.notEqual(row.digest, plain);
      assert.ok(row.expiresAt >= before + KNOWN_ADDRESS_MS && row.expiresAt <= Date.now() + KNOWN_ADDRESS_MS);

      assertLoggedIn(await login(ctx, alice, PASSWORD, address));
      assert.equal((await knownRow(ctx, alice, address))?.expiresAt, row.expiresAt, 'not rewritten');
    });

    it('a known address is forgotten after 30 days: the ceiling binds it again', async () => {
      const alice = await createUser('alice');
      const home = freshAddress();
      assertLoggedIn(await login(ctx, alice, PASSWORD, home));
      for (let i = 0; i < TOTAL; i++) assertInvalid(await login(ctx, alice, 'wrong', freshAddress()));
      assertLoggedIn(await login(ctx, alice, PASSWORD, home));

      const digest = (await knownRow(ctx, alice, home))?.digest ?? '';
      await ctx()
        .keygate.database.db.updateTable('login_known_addresses')
        .set({ expires_at: Date.now() - 1 })
        .where('digest', '=', digest)
        .execute();
      assertThrottled(await login(ctx, alice, PASSWORD, home));
    });

    it('a password check that throws gives back every reservation', async () => {
      const throttle = createLoginThrottle({
        failures: createLoginFailureRepository(ctx().keygate.database.db),
        devices: createDeviceCookies('test-secret'),
        knownAddressKey: 'test-key',
        perUser: 3,
        perUserTotal: 6,
        perAddress: 5,
        windowSeconds: 60,
      });
      const [username, address] = [uniqueName('broken'), freshAddress()];
      await assert.rejects(
        throttle.guard({ username, address }, () => Promise.reject(new Error('database down'))),
        /database down/,
      );
      for (const scope of [userAddressScope(username, address), userScope(username), addressScope(address)]) {
        assert.equal(await failures(ctx, scope), 0, scope);
      }
    });
  },
  { env: LIMITS },
);
