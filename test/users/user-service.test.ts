// The user service on both databases: Django's ModelBackend rules, hash upgrades, signal rollback, races.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeEachDialect, uniqueName, type DialectContext } from '../helpers.js';

// base64(hashlib.pbkdf2_hmac('sha256', b'pw', b'salt', 1000)), made with Python: a Django hash of 'pw'.
const DJANGO_PBKDF2_PW = 'pbkdf2_sha256$1000$salt$CjglNVXON/XHKmtwP5loFOvyQfIDrxRuk9zesDHFVn4=';

async function storedPassword(context: DialectContext, username: string): Promise<string> {
  const row = await context.keygate.database.db
    .selectFrom('users')
    .select('password')
    .where('username', '=', username)
    .executeTakeFirstOrThrow();
  return row.password;
}

async function countRows(context: DialectContext, table: 'users' | 'tokens'): Promise<number> {
  const row = await context.keygate.database.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describeEachDialect('UserService', (ctx) => {
  it('authenticate() matches the username exactly, case included', async () => {
    const username = uniqueName('Alice');
    const created = await ctx().keygate.users.createUser({ username, password: 'correct horse' });
    const user = await ctx().keygate.users.authenticate(username, 'correct horse');
    assert.equal(user?.id, created.id);
    assert.equal(user?.username, username);
    assert.equal(await ctx().keygate.users.authenticate(username.toLowerCase(), 'correct horse'), null);
    assert.equal(await ctx().keygate.users.authenticate(username.toUpperCase(), 'correct horse'), null);
    assert.equal(await ctx().keygate.users.authenticate(` ${username}`, 'correct horse'), null);
    assert.equal(await ctx().keygate.users.authenticate(username, 'Correct horse'), null);
    assert.equal(await ctx().keygate.users.authenticate(uniqueName('nobody'), 'correct horse'), null);
  });

  it('an inactive user with the right password gets null', async () => {
    const username = uniqueName('inactive');
    await ctx().keygate.users.createUser({ username, password: 'correct horse', isActive: false });
    assert.equal(await ctx().keygate.users.authenticate(username, 'correct horse'), null);
    await ctx().keygate.users.setActive(username, true);
    assert.equal((await ctx().keygate.users.authenticate(username, 'correct horse'))?.username, username);
  });

  it('a user with no usable password never authenticates', async () => {
    const username = uniqueName('tokenonly');
    await ctx().keygate.users.createUser({ username, password: null });
    const stored = await storedPassword(ctx(), username);
    assert.ok(stored.startsWith('!'), stored);
    assert.equal(await ctx().keygate.users.authenticate(username, ''), null);
    assert.equal(await ctx().keygate.users.authenticate(username, stored), null);
    assert.equal(await ctx().keygate.users.authenticate(username, stored.slice(1)), null);
  });

  it("a user imported with Django's pbkdf2 hash logs in and is upgraded to argon2id", async () => {
    const username = uniqueName('imported');
    await ctx()
      .keygate.database.db.insertInto('users')
      .values({
        username,
        email: 'imported@example.com',
        password: DJANGO_PBKDF2_PW,
        first_name: '',
        last_name: '',
        is_active: true,
        is_staff: false,
        is_superuser: false,
        date_joined: '2026-01-01T00:00:00.000000Z',
      })
      .execute();

    assert.equal(await ctx().keygate.users.authenticate(username, 'wrong'), null);
    assert.equal(await storedPassword(ctx(), username), DJANGO_PBKDF2_PW, 'a failed login changes nothing');

    const user = await ctx().keygate.users.authenticate(username, 'pw');
    assert.equal(user?.username, username);
    assert.equal(user?.email, 'imported@example.com');
    assert.equal(user?.dateJoined, '2026-01-01T00:00:00.000000Z');
    const upgraded = await storedPassword(ctx(), username);
    assert.ok(upgraded.startsWith('$argon2id$v=19$m=19456,t=2,p=1$'), upgraded);

    // The new hash is the same password: it still logs in, and is not rehashed again.
    assert.equal((await ctx().keygate.users.authenticate(username, 'pw'))?.username, username);
    assert.equal(await storedPassword(ctx(), username), upgraded);
    assert.equal(await ctx().keygate.users.authenticate(username, 'wrong'), null);
  });

  it('a user.created listener that throws rolls the whole creation back, token included', async () => {
    const username = uniqueName('rolledback');
    const usersBefore = await countRows(ctx(), 'users');
    const tokensBefore = await countRows(ctx(), 'tokens');
    const seen: string[] = [];
    const off = ctx().keygate.events.on('user.created', ({ user }) => {
      seen.push(user.username);
      throw new Error('listener refused');
    });
    try {
      await assert.rejects(
        ctx().keygate.users.createUser({ username, password: 'correct horse' }),
        /listener refused/,
      );
    } finally {
      off();
    }
    // The listener ran after the built-in one had inserted the token, inside the same transaction.
    assert.deepEqual(seen, [username]);
    assert.equal(await ctx().keygate.users.findByUsername(username), undefined);
    assert.equal(await countRows(ctx(), 'users'), usersBefore);
    assert.equal(await countRows(ctx(), 'tokens'), tokensBefore);

    // Removed, the listener no longer runs; the name was never taken.
    const user = await ctx().keygate.users.createUser({ username, password: 'correct horse' });
    assert.deepEqual(seen, [username]);
    assert.equal((await ctx().keygate.tokens.listForUser(user)).length, 1);
  });

  it('a taken username is a ValidationError with Django’s message, and adds no row', async () => {
    const username = uniqueName('taken');
    await ctx().keygate.users.createUser({ username, password: null });
    const usersBefore = await countRows(ctx(), 'users');
    await assert.rejects(ctx().keygate.users.createUser({ username, password: null }), {
      name: 'ValidationError',
      fields: { username: ['A user with that username already exists.'] },
    });
    assert.equal(await countRows(ctx(), 'users'), usersBefore);
  });

  it('a NUL in the e-mail or a name is a ValidationError (Django’s CharField), never a database error', async () => {
    const users = ctx().keygate.users;
    const usersBefore = await countRows(ctx(), 'users');
    const username = uniqueName('nul');
    await assert.rejects(
      users.createUser({ username, password: null, email: 'a\0@example.com', firstName: 'A\0' }),
      {
        name: 'ValidationError',
        fields: {
          email: ['Null characters are not allowed.'],
          first_name: ['Null characters are not allowed.'],
        },
      },
    );
    assert.equal(await countRows(ctx(), 'users'), usersBefore);
    const user = await users.createUser({ username, password: null });
    await assert.rejects(users.updateDetails(user, { lastName: 'B\0' }), {
      name: 'ValidationError',
      fields: { last_name: ['Null characters are not allowed.'] },
    });
    assert.equal((await users.requireUser(username)).lastName, '');
  });

  it("refuses a password Django's validators refuse, on creation and on change, and stores nothing", async () => {
    const users = ctx().keygate.users;
    const usersBefore = await countRows(ctx(), 'users');
    const username = uniqueName('weak');
    await assert.rejects(users.createUser({ username, password: 'password1' }), {
      name: 'ValidationError',
      fields: { password: ['This password is too common.'] },
    });
    await assert.rejects(
      users.createUser({
        username,
        email: 'maximilian@example.com',
        firstName: 'Maximilian',
        password: 'maximilian7',
      }),
      { fields: { password: ['The password is too similar to the first name.'] } },
    );
    assert.equal(await countRows(ctx(), 'users'), usersBefore);

    const user = await users.createUser({
      username,
      email: 'wanda.maximoff@example.com',
      password: 'correct horse',
    });
    await assert.rejects(users.setPassword(username, '12345678'), {
      fields: { password: ['This password is too common.', 'This password is entirely numeric.'] },
    });
    await assert.rejects(users.changePassword(user, 'maximoff12'), {
      fields: { password: ['The password is too similar to the email address.'] },
    });
    assert.ok(await users.authenticate(username, 'correct horse'), 'the password did not change');
    assert.equal(await users.authenticate(username, '12345678'), null);
    assert.equal(await users.authenticate(username, 'maximoff12'), null);
  });

  it('the refused password is accepted when the caller bypasses validation (createsuperuser’s “y”)', async () => {
    const username = uniqueName('bypass');
    await ctx().keygate.users.createUser({ username, password: 'password', skipPasswordValidation: true });
    assert.ok(await ctx().keygate.users.authenticate(username, 'password'));
  });

  it('ten concurrent getOrCreate calls agree on one key and store one row', async () => {
    const user = await ctx().keygate.users.createUser({ username: uniqueName('racer'), password: null });
    assert.equal(await ctx().keygate.tokens.deleteAllForUser(user), 1, 'AUTO_CREATE_TOKEN made one token');
    assert.equal((await ctx().keygate.tokens.listForUser(user)).length, 0);

    const results = await Promise.all(
      Array.from({ length: 10 }, () => ctx().keygate.tokens.getOrCreate(user)),
    );
    const keys = new Set(results.map((r) => r.key));
    assert.equal(keys.size, 1, `different keys: ${[...keys].join(', ')}`);
    assert.match(results[0]!.key, /^[0-9a-f]{40}$/);
    assert.equal(results.filter((r) => r.created).length, 1, 'exactly one call created the token');

    const rows = await ctx()
      .keygate.database.db.selectFrom('tokens')
      .select(['id', 'key'])
      .where('user_id', '=', user.id)
      .execute();
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.key, results[0]!.key);
    assert.equal((await ctx().keygate.tokens.authenticate(results[0]!.key)).user.id, user.id);
  });
});
