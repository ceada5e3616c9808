// Service calls joining a caller's transaction (the `trx` option), and a user's tokens deleted by
// the tokens module's `user.deleting` listener, in the deleting transaction, effective at once.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Transaction } from 'kysely';
import type { Database } from '../../src/db/schema.js';
import { AuthenticationFailed, ValidationError } from '../../src/errors.js';
import { describeEachDialect, uniqueName, type DialectContext } from '../helpers.js';

class Rollback extends Error {}

/** Runs `work` in a transaction of the test's database and rolls it back. */
async function rolledBack(
  context: DialectContext,
  work: (trx: Transaction<Database>) => Promise<void>,
): Promise<void> {
  await assert.rejects(
    context.keygate.database.db.transaction().execute(async (trx) => {
      await work(trx);
      throw new Rollback();
    }),
    Rollback,
  );
}

async function tokenCount(context: DialectContext, userId: number): Promise<number> {
  const row = await context.keygate.database.db
    .selectFrom('tokens')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describeEachDialect(
  'service calls in a caller’s transaction',
  (ctx) => {
    it('a token created with { trx } is rolled back with the caller’s transaction', async () => {
      const { users, tokens } = ctx().keygate;
      const user = await users.createUser({ username: uniqueName('trxtok'), password: null });
      await tokens.deleteAllForUser(user);
      await rolledBack(ctx(), async (trx) => {
        const issued = await tokens.create(user, {}, { trx });
        assert.equal(issued.token.userId, user.id);
      });
      assert.equal(await tokenCount(ctx(), user.id), 0);
    });

    it('a user created with { trx } and a prepared password goes, with its token, when the caller rolls back', async () => {
      const { users } = ctx().keygate;
      const username = uniqueName('trxuser');
      const password = await users.preparePassword('correct horse battery', { username });
      let id = 0;
      await rolledBack(ctx(), async (trx) => {
        const user = await users.createUser({ username, password }, { trx });
        id = user.id;
        // The user.created listener wrote the token in the same transaction.
        const row = await trx.selectFrom('tokens').select('id').where('user_id', '=', id).executeTakeFirst();
        assert.ok(row);
      });
      assert.equal(await users.findByUsername(username), undefined);
      assert.equal(await tokenCount(ctx(), id), 0);
      const kept = await users.createUser({ username, password });
      assert.ok(await users.authenticate(username, 'correct horse battery'));
      assert.equal(kept.username, username);
    });

    it('preparePassword refuses what the validators refuse', async () => {
      await assert.rejects(
        ctx().keygate.users.preparePassword('password', { username: 'someone' }),
        (error: unknown) => error instanceof ValidationError && error.fields.password !== undefined,
      );
    });

    it('deleting a user: the tokens module deletes the tokens (token.deleted each) before the row, in one transaction', async () => {
      const { users, tokens, events } = ctx().keygate;
      const user = await users.createUser({ username: uniqueName('doomed'), password: null });
      const seen: string[] = [];
      const offs = [
        events.on('user.deleting', () => void seen.push('user.deleting')),
        events.on('token.deleted', ({ token }) => void seen.push(`token.deleted ${token.userId}`)),
        events.on('user.deleted', async ({ user: gone }, { trx }) => {
          // Same transaction: the tokens are already gone in it.
          const left = await trx.selectFrom('tokens').select('id').where('user_id', '=', gone.id).execute();
          seen.push(`user.deleted ${left.length}`);
        }),
      ];
      try {
        assert.equal(await tokens.listForUser(user).then((l) => l.length), 1);
        assert.equal(await users.deleteUser(user), true);
      } finally {
        for (const off of offs) off();
      }
      // The tokens module's listener, registered when keygate opened, runs before this test's.
      assert.deepEqual(seen, [`token.deleted ${user.id}`, 'user.deleting', 'user.deleted 0']);
      assert.equal(await tokenCount(ctx(), user.id), 0);
      assert.equal(await users.deleteUser(user), false);
    });

    it('a user deletion rolled back by the caller keeps the user, the tokens and the key working', async () => {
      const { users, tokens } = ctx().keygate;
      const user = await users.createUser({ username: uniqueName('spared'), password: null });
      const { key } = await tokens.issueForLogin(user);
      await rolledBack(ctx(), async (trx) => {
        assert.deepEqual(
          (await users.deleteUsers([user], { trx })).map((u) => u.id),
          [user.id],
        );
      });
      assert.equal(await tokenCount(ctx(), user.id), 1);
      assert.equal((await tokens.authenticate(key)).user.id, user.id);
    });

    it('a deleted or deactivated user’s key stops at once, though its lookup was cached', async () => {
      const { users, tokens, tokenCache } = ctx().keygate;
      const deleted = await users.createUser({ username: uniqueName('gone'), password: null });
      const deactivated = await users.createUser({ username: uniqueName('off'), password: null });
      const goneKey = (await tokens.issueForLogin(deleted)).key;
      const offKey = (await tokens.issueForLogin(deactivated)).key;
      await tokens.authenticate(goneKey);
      await tokens.authenticate(offKey);
      if (ctx().dialect === 'sqlite') assert.ok(tokenCache.size >= 2, 'the lookups are cached');
      await ctx()
        .keygate.database.db.transaction()
        .execute(async (trx) => {
          await users.deleteUser(deleted, { trx });
          await users.updateDetails(deactivated, { isActive: false }, { trx });
        });
      await assert.rejects(tokens.authenticate(goneKey), (error: unknown) => {
        assert.ok(error instanceof AuthenticationFailed);
        assert.match(error.message, /Invalid token\./);
        return true;
      });
      await assert.rejects(tokens.authenticate(offKey), (error: unknown) => {
        assert.ok(error instanceof AuthenticationFailed);
        assert.match(error.message, /User inactive or deleted\./);
        return true;
      });
      // Deactivation keeps the token (DRF): it works again once the user is active.
      await users.updateDetails({ ...deactivated, isActive: false }, { isActive: true });
      assert.equal((await tokens.authenticate(offKey)).user.id, deactivated.id);
    });
  },
  { env: { TOKEN_POLICY: 'drf', TOKEN_CACHE_MS: '1000' } },
);
