// Both token policies as objects, and through the service on both databases: what a row keeps,
// what a second login returns, what the admin may show again.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Token } from '../../src/authtoken/token.js';
import { hasValidChecksum, keyDigest } from '../../src/authtoken/token-format.js';
import { drfPolicy, hashedPolicy, tokenPolicy } from '../../src/authtoken/token-policy.js';
import { ValidationError } from '../../src/errors.js';
import { describeEachDialect, uniqueName, type DialectContext } from '../helpers.js';

const SOME_TOKEN: Token = {
  id: 1,
  userId: 1,
  key: 'a'.repeat(40),
  hint: 'aaaa',
  name: '',
  created: '2026-01-01T00:00:00.000000Z',
  expiresAt: null,
  lastUsedAt: null,
  scopes: [],
};

describe('TokenPolicy objects', () => {
  it('tokenPolicy() returns the object TOKEN_POLICY names', () => {
    assert.equal(tokenPolicy('drf'), drfPolicy);
    assert.equal(tokenPolicy('hashed'), hashedPolicy);
    assert.ok(Object.isFrozen(drfPolicy) && Object.isFrozen(hashedPolicy));
  });

  it('drf: 40-hex keys, kept in the row and shown again; one token per user, made with the user', () => {
    const key = drfPolicy.generateKey();
    assert.match(key, /^[0-9a-f]{40}$/);
    assert.notEqual(drfPolicy.generateKey(), key);
    assert.equal(drfPolicy.storedKey(key), key);
    assert.equal(drfPolicy.shownKey({ ...SOME_TOKEN, key }), key);
    assert.equal(drfPolicy.oneTokenPerUser, true);
    assert.equal(drfPolicy.namedTokens, false);
    assert.equal(drfPolicy.createsTokenWithUser, true);
  });

  it('hashed: kg_ keys with a checksum, never kept nor shown again; named, several per user', () => {
    const key = hashedPolicy.generateKey();
    assert.match(key, /^kg_[0-9A-Za-z]{38}$/);
    assert.ok(hasValidChecksum(key));
    assert.equal(hashedPolicy.storedKey(key), null);
    // Even a row that somehow holds a plaintext is not shown under `hashed`.
    assert.equal(hashedPolicy.shownKey(SOME_TOKEN), null);
    assert.equal(hashedPolicy.oneTokenPerUser, false);
    assert.equal(hashedPolicy.namedTokens, true);
    assert.equal(hashedPolicy.createsTokenWithUser, false);
  });
});

async function storedRows(context: DialectContext, userId: number) {
  return context.keygate.database.db
    .selectFrom('tokens')
    .select(['id', 'key', 'digest', 'hint'])
    .where('user_id', '=', userId)
    .orderBy('id')
    .execute();
}

describeEachDialect(
  'TokenPolicy drf through the service',
  (ctx) => {
    it('stores the plaintext with its digest; a second login returns the same key; the admin may show it', async () => {
      const { users, tokens } = ctx().keygate;
      const user = await users.createUser({ username: uniqueName('drfpol'), password: null });
      // AUTO_CREATE_TOKEN made the user's one token in the creating transaction.
      const [auto] = await storedRows(ctx(), user.id);
      assert.ok(auto);
      const first = await tokens.issueForLogin(user);
      assert.equal(first.created, false);
      assert.equal(first.key, auto.key);
      assert.equal(auto.digest, keyDigest(first.key));
      assert.equal(auto.hint, first.key.slice(0, 4));
      const second = await tokens.issueForLogin(user);
      assert.equal(second.key, first.key);
      assert.equal((await storedRows(ctx(), user.id)).length, 1);
      const shown = await tokens.findById(first.token.id);
      assert.ok(shown);
      assert.equal(tokens.policy.shownKey(shown), first.key);
    });

    it('a second add is refused; a reset replaces the one token', async () => {
      const { users, tokens } = ctx().keygate;
      const user = await users.createUser({ username: uniqueName('drfadd'), password: null });
      await assert.rejects(tokens.create(user), (error: unknown) => {
        assert.ok(error instanceof ValidationError);
        assert.deepEqual(error.fields, { user: ['Token with this User already exists.'] });
        return true;
      });
      const before = await tokens.issueForLogin(user);
      const reset = await tokens.reset(user);
      assert.notEqual(reset.key, before.key);
      const rows = await storedRows(ctx(), user.id);
      assert.deepEqual(
        rows.map((r) => r.key),
        [reset.key],
      );
    });
  },
  { env: { TOKEN_POLICY: 'drf' } },
);

describeEachDialect(
  'TokenPolicy hashed through the service',
  (ctx) => {
    it('stores only digest and hint; a second login issues a new key; the admin can show neither', async () => {
      const { users, tokens } = ctx().keygate;
      const user = await users.createUser({ username: uniqueName('hashpol'), password: null });
      assert.equal(
        (await storedRows(ctx(), user.id)).length,
        0,
        'no token made unasked: nobody would see its key',
      );
      const first = await tokens.issueForLogin(user);
      const second = await tokens.issueForLogin(user);
      assert.equal(first.created, true);
      assert.equal(second.created, true);
      assert.notEqual(second.key, first.key);
      const rows = await storedRows(ctx(), user.id);
      assert.deepEqual(
        rows.map((r) => ({ key: r.key, digest: r.digest, hint: r.hint })),
        [first, second].map((issued) => ({
          key: null,
          digest: keyDigest(issued.key),
          hint: issued.key.slice(0, 7),
        })),
      );
      for (const issued of [first, second]) {
        const shown = await tokens.findById(issued.token.id);
        assert.ok(shown);
        assert.equal(tokens.policy.shownKey(shown), null);
      }
    });

    it('each add is a new named token', async () => {
      const { users, tokens } = ctx().keygate;
      const user = await users.createUser({ username: uniqueName('hashadd'), password: null });
      const laptop = await tokens.create(user, { name: 'laptop' });
      const phone = await tokens.create(user, { name: 'phone' });
      assert.deepEqual(
        (await tokens.listForUser(user)).map((t) => t.name),
        ['laptop', 'phone'],
      );
      assert.notEqual(laptop.key, phone.key);
    });
  },
  { env: { TOKEN_POLICY: 'hashed' } },
);
