// `keygate create-token` (DRF's drf_create_token) run as a real process against both databases.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { AuthenticationFailed } from '../../src/errors.js';
import type { User } from '../../src/users/user.js';
import { describeEachDialect, runCli, uniqueName, type CliResult, type DialectContext } from '../helpers.js';

const GENERATED = /^Generated token ([0-9a-f]{40}) for user (\S+)\n$/;

/** Asserts a successful create-token run for `username` and returns the printed key. */
function printedKey(result: CliResult, username: string): string {
  assert.equal(result.stderr, '');
  assert.equal(result.code, 0);
  const match = GENERATED.exec(result.stdout);
  assert.ok(match, `unexpected output: ${JSON.stringify(result.stdout)}`);
  assert.equal(match[2], username);
  return match[1]!;
}

async function requireUser(context: DialectContext, username: string): Promise<User> {
  const user = await context.keygate.users.findByUsername(username);
  assert.ok(user, `user ${username} should exist`);
  return user;
}

async function assertKeyRejected(context: DialectContext, key: string): Promise<void> {
  await assert.rejects(context.keygate.tokens.authenticate(key), (error: unknown) => {
    assert.ok(error instanceof AuthenticationFailed);
    assert.equal(error.message, 'Invalid token.');
    return true;
  });
}

describeEachDialect('keygate create-token', (ctx) => {
  let aliceKey = '';

  it('createuser alice --password-stdin exits 0', async () => {
    const result = await runCli(['createuser', 'alice', '--password-stdin'], ctx().env, 'correct horse\n');
    assert.equal(result.stderr, '');
    assert.equal(result.code, 0);
    assert.equal(result.stdout, 'User alice created successfully.\n');
    assert.equal((await ctx().keygate.users.authenticate('alice', 'correct horse'))?.username, 'alice');
  });

  it('create-token alice prints "Generated token <key> for user alice" and the key authenticates', async () => {
    const result = await runCli(['create-token', 'alice'], ctx().env);
    assert.match(result.stdout, /^Generated token [0-9a-f]{40} for user alice\n$/);
    aliceKey = printedKey(result, 'alice');
    const found = await ctx().keygate.tokens.authenticate(aliceKey);
    assert.equal(found.user.username, 'alice');
  });

  it('a second call and the drf_create_token alias print the same key', async () => {
    const [again, alias] = await Promise.all([
      runCli(['create-token', 'alice'], ctx().env),
      runCli(['drf_create_token', 'alice'], ctx().env),
    ]);
    assert.equal(printedKey(again, 'alice'), aliceKey);
    assert.equal(printedKey(alias, 'alice'), aliceKey);
    const alice = await requireUser(ctx(), 'alice');
    assert.deepEqual(
      (await ctx().keygate.tokens.listForUser(alice)).map((t) => t.key),
      [aliceKey],
    );
  });

  it('-r and --reset print a new key; the old one stops authenticating at once', async () => {
    const first = printedKey(await runCli(['create-token', '-r', 'alice'], ctx().env), 'alice');
    assert.notEqual(first, aliceKey);
    await assertKeyRejected(ctx(), aliceKey);
    assert.equal((await ctx().keygate.tokens.authenticate(first)).user.username, 'alice');

    const second = printedKey(await runCli(['drf_create_token', 'alice', '--reset'], ctx().env), 'alice');
    assert.notEqual(second, first);
    await assertKeyRejected(ctx(), first);
    assert.equal((await ctx().keygate.tokens.authenticate(second)).user.username, 'alice');

    // Still one token per user: the new one, which a plain create-token now prints.
    const alice = await requireUser(ctx(), 'alice');
    assert.deepEqual(
      (await ctx().keygate.tokens.listForUser(alice)).map((t) => t.key),
      [second],
    );
  });

  it('an unknown user: the DRF message on stderr, nothing on stdout, exit 1', async () => {
    const results = await Promise.all([
      runCli(['create-token', 'nouser'], ctx().env),
      runCli(['create-token', '-r', 'nouser'], ctx().env),
    ]);
    for (const result of results) {
      assert.equal(result.stderr, 'Cannot create the Token: user nouser does not exist\n');
      assert.equal(result.stdout, '');
      assert.equal(result.code, 1);
    }
    assert.equal(await ctx().keygate.users.findByUsername('nouser'), undefined);
  });

  it('with the default AUTO_CREATE_TOKEN, createuser gives the user its token at once', async () => {
    const username = uniqueName('signal');
    const created = await runCli(['createuser', username], ctx().env);
    assert.equal(created.code, 0, created.stderr);
    const tokens = await ctx().keygate.tokens.listForUser(await requireUser(ctx(), username));
    assert.equal(tokens.length, 1);
    // create-token hands out that token, not a new one.
    assert.equal(printedKey(await runCli(['create-token', username], ctx().env), username), tokens[0]!.key);
  });

  it('with AUTO_CREATE_TOKEN=false a new user has no token until create-token', async () => {
    const env = { ...ctx().env, AUTO_CREATE_TOKEN: 'false' };
    const username = uniqueName('nosignal');
    const created = await runCli(['createuser', username], env);
    assert.equal(created.code, 0, created.stderr);
    const user = await requireUser(ctx(), username);
    assert.deepEqual(await ctx().keygate.tokens.listForUser(user), []);

    const key = printedKey(await runCli(['create-token', username], env), username);
    const tokens = await ctx().keygate.tokens.listForUser(user);
    assert.deepEqual(
      tokens.map((t) => t.key),
      [key],
    );
    assert.equal((await ctx().keygate.tokens.authenticate(key)).user.id, user.id);
  });

  it('create-token --all gives a token to every user without one and names them', async () => {
    const withToken = await ctx().keygate.users.createUser({ username: uniqueName('has'), password: null });
    const [tokenBefore] = await ctx().keygate.tokens.listForUser(withToken);
    const without: User[] = [];
    for (const prefix of ['bare1', 'bare2']) {
      const user = await ctx().keygate.users.createUser({ username: uniqueName(prefix), password: null });
      await ctx().keygate.tokens.deleteAllForUser(user);
      without.push(user);
    }

    const result = await runCli(['create-token', '--all'], ctx().env);
    assert.equal(result.stderr, '');
    assert.equal(result.code, 0);
    const match = /^Created tokens for (\d+) user\(s\): (.+)\.\n$/.exec(result.stdout);
    assert.ok(match, `unexpected output: ${JSON.stringify(result.stdout)}`);
    const named = match[2]!.split(', ');
    assert.equal(Number(match[1]), named.length);
    for (const user of without) assert.ok(named.includes(user.username), `${user.username} in ${match[2]}`);
    assert.ok(!named.includes(withToken.username), 'a user that had a token is not reported');

    for (const user of without) {
      const tokens = await ctx().keygate.tokens.listForUser(user);
      assert.equal(tokens.length, 1, user.username);
      assert.equal((await ctx().keygate.tokens.authenticate(tokens[0]!.key!)).user.id, user.id);
    }
    assert.deepEqual(await ctx().keygate.tokens.listForUser(withToken), [tokenBefore]);

    // Everybody has a token now: a second run has nothing to do.
    const again = await runCli(['create-token', '--all'], ctx().env);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.stdout, 'Created tokens for 0 user(s).\n');
  });

  it('neither a username nor --all (or both) is a usage error', async () => {
    const [neither, both] = await Promise.all([
      runCli(['create-token'], ctx().env),
      runCli(['create-token', 'alice', '--all'], ctx().env),
    ]);
    for (const result of [neither, both]) {
      assert.notEqual(result.code, 0);
      assert.equal(result.stdout, '');
      assert.match(result.stderr, /username|--all/);
    }
  });
});
