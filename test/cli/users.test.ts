// The user commands (createsuperuser, createuser, changepassword, activate, deactivate) as real processes.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { it } from 'node:test';
import { AuthenticationFailed } from '../../src/errors.js';
import type { User } from '../../src/users/user.js';
import {
  CLI_ENTRY,
  describeEachDialect,
  runCli,
  uniqueName,
  type CliResult,
  type DialectContext,
} from '../helpers.js';

const TOO_SHORT = 'This password is too short. It must contain at least 8 characters.';
const NUMERIC = 'This password is entirely numeric.';
const TOO_COMMON = 'This password is too common.';
const INVALID_USERNAME =
  'Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters.';

/** The environment without KEYGATE_SUPERUSER_PASSWORD, whatever the caller's shell has. */
function withoutSuperuserPassword(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const copy = { ...env };
  delete copy.KEYGATE_SUPERUSER_PASSWORD;
  return copy;
}

/** Asserts a failed run: exit 1, nothing on stdout, one line on stderr containing every `parts`. */
function assertFailed(result: CliResult, ...parts: string[]): void {
  assert.equal(result.code, 1, `stderr: ${result.stderr}`);
  assert.equal(result.stdout, '');
  assert.match(result.stderr, /^[^\n]+\n$/, `one line expected: ${JSON.stringify(result.stderr)}`);
  for (const part of parts) assert.ok(result.stderr.includes(part), `${JSON.stringify(result.stderr)}`);
}

/** One prompt to wait for on the terminal and the line to type when it appears. */
type Exchange = readonly [prompt: string, answer: string];

/**
 * Runs `keygate ARGS` on a pseudo-terminal (util-linux `script`), typing each answer once its
 * prompt has appeared; resolves to the exit status and everything the terminal showed.
 */
function runOnTerminal(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  exchanges: readonly Exchange[],
): Promise<{ code: number | null; screen: string }> {
  const quote = (word: string) => `'${word.replaceAll("'", "'\\''")}'`;
  const command = [process.execPath, ...CLI_ENTRY, ...args].map(quote).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qfec', command, '/dev/null'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let screen = '';
    let seen = 0;
    let next = 0;
    const timer = setTimeout(() => child.kill(), 20_000);
    child.stdout.setEncoding('utf8').on('data', (data: string) => {
      screen += data;
      while (next < exchanges.length) {
        const [prompt, answer] = exchanges[next]!;
        const at = screen.indexOf(prompt, seen);
        if (at === -1) break;
        seen = at + prompt.length;
        next++;
        child.stdin.write(`${answer}\r`);
      }
    });
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, screen });
    });
  });
}

async function requireUser(context: DialectContext, username: string): Promise<User> {
  const user = await context.keygate.users.findByUsername(username);
  assert.ok(user, `user ${username} should exist`);
  return user;
}

describeEachDialect('keygate user commands', (ctx) => {
  const superuser = (username: string, password: string | undefined, ...extra: string[]) =>
    runCli(
      ['createsuperuser', '--no-input', '--username', username, ...extra],
      password === undefined
        ? withoutSuperuserPassword(ctx().env)
        : { ...ctx().env, KEYGATE_SUPERUSER_PASSWORD: password },
    );

  it('createsuperuser --no-input makes an active staff superuser whose password works', async () => {
    const username = uniqueName('admin');
    const result = await superuser(username, 'a long passphrase', '--email', 'admin@example.com');
    assert.equal(result.stderr, '');
    assert.equal(result.code, 0);
    assert.equal(result.stdout, `Superuser ${username} created successfully.\n`);

    const user = await requireUser(ctx(), username);
    assert.equal(user.email, 'admin@example.com');
    assert.equal(user.isActive, true);
    assert.equal(user.isStaff, true);
    assert.equal(user.isSuperuser, true);
    assert.equal((await ctx().keygate.users.authenticate(username, 'a long passphrase'))?.id, user.id);
    assert.equal(await ctx().keygate.users.authenticate(username, 'a long passphras'), null);
  });

  it('createsuperuser --no-input without the password variable (or --username) fails in one line', async () => {
    const username = uniqueName('admin');
    const [unset, empty, noUsername] = await Promise.all([
      superuser(username, undefined),
      superuser(username, ''),
      runCli(['createsuperuser', '--no-input'], { ...ctx().env, KEYGATE_SUPERUSER_PASSWORD: 'long enough' }),
    ]);
    assertFailed(unset, 'KEYGATE_SUPERUSER_PASSWORD');
    assertFailed(empty, 'KEYGATE_SUPERUSER_PASSWORD');
    assertFailed(noUsername, '--username');
    assert.equal(await ctx().keygate.users.findByUsername(username), undefined);
  });

  it('a taken username fails with Django’s message and leaves the user as it was', async () => {
    const username = uniqueName('taken');
    await ctx().keygate.users.createUser({ username, password: 'first password' });
    assertFailed(await superuser(username, 'second password'), 'A user with that username already exists.');
    const user = await requireUser(ctx(), username);
    assert.equal(user.isSuperuser, false);
    assert.equal((await ctx().keygate.users.authenticate(username, 'first password'))?.id, user.id);
    assert.equal(await ctx().keygate.users.authenticate(username, 'second password'), null);
  });

  it('an invalid username fails and creates nothing', async () => {
    const [asSuperuser, asUser] = await Promise.all([
      superuser('bad name!', 'a long passphrase'),
      runCli(['createuser', 'bad@name!'], ctx().env),
    ]);
    assertFailed(asSuperuser, INVALID_USERNAME);
    assertFailed(asUser, INVALID_USERNAME);
    assert.equal(await ctx().keygate.users.findByUsername('bad@name!'), undefined);
    assert.equal(await ctx().keygate.users.findByUsername('bad name!'), undefined);
  });

  it('a short, common or all-digit password fails with all of Django’s messages', async () => {
    const names = ['short', 'numeric', 'both'].map((p) => uniqueName(p));
    const [short, numeric, both] = await Promise.all([
      runCli(['createuser', names[0]!, '--password-stdin'], ctx().env, 'short12\n'),
      runCli(['createuser', names[1]!, '--password-stdin'], ctx().env, '12345678901\n'),
      superuser(names[2]!, '1234567'),
    ]);
    assert.equal(short.stderr, `${TOO_SHORT}\n`);
    assert.equal(numeric.stderr, `${TOO_COMMON} ${NUMERIC}\n`);
    assert.equal(both.stderr, `${TOO_SHORT} ${TOO_COMMON} ${NUMERIC}\n`);
    for (const result of [short, numeric, both]) assertFailed(result);
    for (const name of names) assert.equal(await ctx().keygate.users.findByUsername(name), undefined);
  });

  it('createuser and createsuperuser refuse common passwords and ones like the username or e-mail', async () => {
    const [common, numbered, asSuperuser, likeName, likeEmail] = await Promise.all([
      runCli(['createuser', 'bob', '--password-stdin'], ctx().env, 'password\n'),
      runCli(['createuser', 'bob', '--password-stdin'], ctx().env, 'password1\n'),
      superuser('bob', 'Password'),
      runCli(['createuser', 'robert.smith', '--password-stdin'], ctx().env, 'smithrobert\n'),
      runCli(
        ['createuser', 'client', '--email', 'testclient@example.com', '--password-stdin'],
        ctx().env,
        'example.com\n',
      ),
    ]);
    for (const result of [common, numbered, asSuperuser]) {
      assertFailed(result);
      assert.equal(result.stderr, `${TOO_COMMON}\n`);
    }
    assert.equal(likeName.stderr, 'The password is too similar to the username.\n');
    assert.equal(likeEmail.stderr, 'The password is too similar to the email address.\n');
    for (const result of [likeName, likeEmail]) assertFailed(result);
    for (const name of ['bob', 'robert.smith', 'client']) {
      assert.equal(await ctx().keygate.users.findByUsername(name), undefined, name);
    }
  });

  it('PASSWORD_VALIDATORS chooses the validators: bobbobbob passes Django’s 0.7, not 0.5; none lets anything in', async () => {
    // quick_ratio('bobbobbob', 'bob') is 0.5: Django's default similarity (0.7) lets it through.
    const strict = {
      ...ctx().env,
      PASSWORD_VALIDATORS: 'UserAttributeSimilarity:0.5,MinimumLength,Common,Numeric',
    };
    const refused = await runCli(['createuser', 'bob', '--password-stdin'], strict, 'bobbobbob\n');
    assertFailed(refused);
    assert.equal(refused.stderr, 'The password is too similar to the username.\n');
    assert.equal(await ctx().keygate.users.findByUsername('bob'), undefined);

    const accepted = await runCli(['createuser', 'bob', '--password-stdin'], ctx().env, 'bobbobbob\n');
    assert.equal(accepted.code, 0, accepted.stderr);
    assert.ok(await ctx().keygate.users.authenticate('bob', 'bobbobbob'));

    const off = { ...ctx().env, PASSWORD_VALIDATORS: 'none' };
    const anything = await runCli(['createuser', uniqueName('lax'), '--password-stdin'], off, 'password\n');
    assert.equal(anything.code, 0, anything.stderr);
    const onlyLength = { ...ctx().env, PASSWORD_VALIDATORS: 'MinimumLength:12' };
    const [short, common] = await Promise.all([
      runCli(['createuser', uniqueName('long'), '--password-stdin'], onlyLength, 'elevenchars\n'),
      runCli(['createuser', uniqueName('long'), '--password-stdin'], onlyLength, 'password1234\n'),
    ]);
    assert.equal(short.stderr, 'This password is too short. It must contain at least 12 characters.\n');
    assert.equal(common.code, 0, common.stderr);

    const bad = await runCli(
      ['createuser', uniqueName('bad'), '--password-stdin'],
      { ...ctx().env, PASSWORD_VALIDATORS: 'Strong' },
      'x\n',
    );
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^keygate: configuration error: PASSWORD_VALIDATORS: /);
  });

  it('createsuperuser on a terminal shows the messages and asks Django’s bypass question', async () => {
    const username = uniqueName('root');
    const args = ['createsuperuser', '--username', username, '--email', 'root@example.com'];
    const weak = 'password1';
    const question = 'Bypass password validation and create user anyway? [y/N]: ';
    const { code, screen } = await runOnTerminal(args, withoutSuperuserPassword(ctx().env), [
      ['Password: ', weak],
      ['Password (again): ', weak],
      [question, 'N'],
      ['Password: ', weak],
      ['Password (again): ', weak],
      [question, 'y'],
    ]);
    assert.equal(code, 0, screen);
    // What the terminal shows, without readline's cursor movements: the message, then the question.
    // eslint-disable-next-line no-control-regex
    const shown = screen.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');
    assert.equal(shown.split(`\r\n${TOO_COMMON}\r\n${question}`).length - 1, 2, shown);
    assert.ok(!screen.includes(weak), 'the password is never echoed');
    assert.match(screen, new RegExp(`Superuser ${username} created successfully\\.`));
    const user = await requireUser(ctx(), username);
    assert.equal(user.isSuperuser, true);
    assert.ok(await ctx().keygate.users.authenticate(username, weak));
  });

  it('changepassword --password-stdin replaces the password; an invalid one changes nothing', async () => {
    const username = uniqueName('changer');
    await ctx().keygate.users.createUser({
      username,
      email: 'wanda.maximoff@example.com',
      password: 'old password',
    });

    const refusals = [
      ['1234', `${TOO_SHORT} ${TOO_COMMON} ${NUMERIC}`],
      ['password1', TOO_COMMON],
      ['maximoff12', 'The password is too similar to the email address.'],
      [username, 'The password is too similar to the username.'],
    ] as const;
    for (const [password, message] of refusals) {
      const result = await runCli(
        ['changepassword', username, '--password-stdin'],
        ctx().env,
        `${password}\n`,
      );
      assertFailed(result);
      assert.equal(result.stderr, `${message}\n`, password);
      assert.equal(await ctx().keygate.users.authenticate(username, password), null);
    }
    assert.ok(await ctx().keygate.users.authenticate(username, 'old password'));

    const result = await runCli(
      ['changepassword', username, '--password-stdin'],
      ctx().env,
      'new password\n',
    );
    assert.equal(result.stderr, '');
    assert.equal(result.code, 0);
    assert.equal(result.stdout, `Password changed successfully for user '${username}'\n`);
    assert.equal(await ctx().keygate.users.authenticate(username, 'old password'), null);
    assert.equal((await ctx().keygate.users.authenticate(username, 'new password'))?.username, username);
  });

  it("deactivate stops the user's token and password at once; activate restores both", async () => {
    const username = uniqueName('toggled');
    const user = await ctx().keygate.users.createUser({ username, password: 'correct horse' });
    const [token] = await ctx().keygate.tokens.listForUser(user);
    const key = token!.key!;

    const off = await runCli(['deactivate', username], ctx().env);
    assert.equal(off.code, 0, off.stderr);
    assert.equal(off.stdout, `User ${username} deactivated.\n`);
    assert.equal((await requireUser(ctx(), username)).isActive, false);
    await assert.rejects(ctx().keygate.tokens.authenticate(key), (error: unknown) => {
      assert.ok(error instanceof AuthenticationFailed);
      assert.equal(error.message, 'User inactive or deleted.');
      return true;
    });
    assert.equal(await ctx().keygate.users.authenticate(username, 'correct horse'), null);

    const on = await runCli(['activate', username], ctx().env);
    assert.equal(on.code, 0, on.stderr);
    assert.equal(on.stdout, `User ${username} activated.\n`);
    assert.equal((await ctx().keygate.tokens.authenticate(key)).user.id, user.id);
    assert.equal((await ctx().keygate.users.authenticate(username, 'correct horse'))?.id, user.id);
  });

  it('changepassword, activate and deactivate of an unknown user exit 1', async () => {
    const results = await Promise.all([
      runCli(['changepassword', 'nouser', '--password-stdin'], ctx().env, 'a long password\n'),
      runCli(['activate', 'nouser'], ctx().env),
      runCli(['deactivate', 'nouser'], ctx().env),
    ]);
    for (const result of results) assertFailed(result, 'nouser', 'does not exist');
    assert.equal(await ctx().keygate.users.findByUsername('nouser'), undefined);
  });

  it('createuser --inactive, --staff and --superuser set the fields; plain createuser sets none', async () => {
    const [inactiveStaff, root, plain] = ['flagged', 'root', 'plain'].map((p) => uniqueName(p)) as [
      string,
      string,
      string,
    ];
    const results = await Promise.all([
      runCli(['createuser', inactiveStaff, '--inactive', '--staff', '--email', 'f@example.com'], ctx().env),
      runCli(['createuser', root, '--superuser'], ctx().env),
      runCli(['createuser', plain], ctx().env),
    ]);
    for (const result of results) assert.equal(result.code, 0, result.stderr);

    const first = await requireUser(ctx(), inactiveStaff);
    assert.deepEqual(
      [first.isActive, first.isStaff, first.isSuperuser, first.email],
      [false, true, false, 'f@example.com'],
    );
    const second = await requireUser(ctx(), root);
    assert.deepEqual([second.isActive, second.isStaff, second.isSuperuser], [true, true, true]);
    const third = await requireUser(ctx(), plain);
    assert.deepEqual(
      [third.isActive, third.isStaff, third.isSuperuser, third.email],
      [true, false, false, ''],
    );
  });

  it('a password from stdin keeps its spaces and loses exactly one trailing newline', async () => {
    const [spaced, doubled, crlf] = ['spaced', 'doubled', 'crlf'].map((p) => uniqueName(p)) as [
      string,
      string,
      string,
    ];
    const results = await Promise.all([
      runCli(['createuser', spaced, '--password-stdin'], ctx().env, '  inner  spaces  \n'),
      runCli(['createuser', doubled, '--password-stdin'], ctx().env, 'two newlines\n\n'),
      runCli(['createuser', crlf, '--password-stdin'], ctx().env, 'from windows\r\n'),
    ]);
    for (const result of results) assert.equal(result.code, 0, result.stderr);

    const users = ctx().keygate.users;
    assert.ok(await users.authenticate(spaced, '  inner  spaces  '));
    assert.equal(await users.authenticate(spaced, 'inner  spaces'), null);
    assert.equal(await users.authenticate(spaced, '  inner  spaces  \n'), null);
    assert.ok(await users.authenticate(doubled, 'two newlines\n'));
    assert.equal(await users.authenticate(doubled, 'two newlines'), null);
    assert.ok(await users.authenticate(crlf, 'from windows'));
    assert.equal(await users.authenticate(crlf, 'from windows\r'), null);
  });
});
