// migrate, showmigrations and serve as real processes; configuration errors and --help.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SETTINGS } from '../../src/config.js';
import { sqlitePath } from '../../src/db/database-url.js';
import { createTestDatabase, describeEachDialect, runCli, type TestDatabase, freePort } from '../helpers.js';
import {
  exitWithin,
  startServe,
  stopServe,
  waitUntilAnswering,
  type ServeProcess,
} from '../production/support.js';

/** Asserts the unknown-path answer, then SIGTERMs the server and expects exit 0 within 10 s. */
async function assertServesAndStops(server: ServeProcess): Promise<void> {
  const response = await waitUntilAnswering(server, '/anything', 'any');
  // No route matches: Django's 404 page (test/http/not-found-page.test.ts).
  assert.equal(response.status, 404);
  assert.equal(response.headers.get('content-type'), 'text/html');
  assert.match(await response.text(), /<h1>Not Found<\/h1>/);
  server.child.kill('SIGTERM');
  const exit = await exitWithin(server, 10_000);
  assert.ok(exit !== null, 'serve did not exit within 10 s of SIGTERM');
  assert.deepEqual(exit, { code: 0, signal: null }, server.output());
}

/** The environment for a database, without anything the caller's shell might add. */
function envFor(base: NodeJS.ProcessEnv, url: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base, DATABASE_URL: url, LOG_LEVEL: 'silent' };
  delete env.PORT;
  delete env.HOST;
  return env;
}

function lines(text: string): string[] {
  return text.split('\n').filter((line) => line !== '');
}

describeEachDialect('keygate migrate, showmigrations and serve', (ctx) => {
  const fresh: TestDatabase[] = [];
  const newDatabase = async (): Promise<TestDatabase> => {
    const database = await createTestDatabase(ctx().dialect);
    fresh.push(database);
    return database;
  };
  after(async () => {
    for (const database of fresh) await database.drop();
  });

  it('a fresh database: [ ] before, migrate applies 0001-initial, again nothing, [X] after', async () => {
    const env = envFor(ctx().env, (await newDatabase()).url);

    const before = await runCli(['showmigrations'], env);
    assert.equal(before.code, 0, before.stderr);
    assert.ok(lines(before.stdout).includes('[ ] 0001-initial'), before.stdout);
    for (const line of lines(before.stdout)) assert.match(line, /^\[ \] \S+$/);

    const first = await runCli(['migrate'], env);
    assert.equal(first.stderr, '');
    assert.equal(first.code, 0);
    assert.equal(lines(first.stdout)[0], 'Applying 0001-initial... OK');
    for (const line of lines(first.stdout)) assert.match(line, /^Applying \S+\.\.\. OK$/);
    assert.equal(lines(first.stdout).length, lines(before.stdout).length, 'every listed migration applied');

    const second = await runCli(['migrate'], env);
    assert.equal(second.code, 0, second.stderr);
    assert.equal(second.stdout, 'No migrations to apply.\n');

    const afterwards = await runCli(['showmigrations'], env);
    assert.equal(afterwards.code, 0, afterwards.stderr);
    assert.ok(lines(afterwards.stdout).includes('[X] 0001-initial'), afterwards.stdout);
    for (const line of lines(afterwards.stdout)) assert.match(line, /^\[X\] \S+$/);
  });

  it('serve on a fresh database: SQLite migrates it itself; PostgreSQL refuses until `keygate migrate`', async () => {
    const database = await newDatabase();
    const env = envFor(ctx().env, database.url);
    let server: ServeProcess | null = null;
    try {
      if (ctx().dialect === 'sqlite') {
        const file = sqlitePath(database.url);
        assert.equal(existsSync(file), false);
        const port = await freePort();
        server = startServe(env, port);
        await waitUntilAnswering(server, '/anything', 'any');
        assert.ok(existsSync(file), `${file} should have been created`);
        await assertServesAndStops(server);
        const status = await runCli(['showmigrations'], env);
        assert.ok(lines(status.stdout).includes('[X] 0001-initial'), status.stdout);
      } else {
        const refused = startServe(env, await freePort());
        server = refused;
        const exit = await exitWithin(refused, 30_000);
        assert.ok(exit !== null, 'serve should refuse an unmigrated PostgreSQL database and exit');
        assert.notEqual(exit.code, 0);
        assert.ok(refused.output().includes('keygate migrate'), refused.output());

        const migrated = await runCli(['migrate'], env);
        assert.equal(migrated.code, 0, migrated.stderr);
        const port = await freePort();
        server = startServe(env, port);
        await assertServesAndStops(server);
      }
    } finally {
      await stopServe(server);
    }
  });

  it('serve on the migrated database answers and stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const server = startServe(envFor(ctx().env, ctx().url), port);
    try {
      await assertServesAndStops(server);
    } finally {
      await stopServe(server);
    }
  });
});

describe('keygate configuration errors and help', () => {
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'keygate-config-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('a bad setting exits 2 with one stderr line naming the variable, before touching a database', async () => {
    const database = join(dir, 'never.sqlite3');
    const base = envFor(process.env, `sqlite:${database}`);
    const cases: ReadonlyArray<readonly [string, string]> = [
      ['PORT', 'abc'],
      ['TOKEN_POLICY', 'nope'],
      ['AUTO_CREATE_TOKEN', 'maybe'],
      ['DATABASE_URL', 'mysql://x'],
    ];
    const results = await Promise.all(
      cases.map(([variable, value]) => runCli(['showmigrations'], { ...base, [variable]: value })),
    );
    cases.forEach(([variable], i) => {
      const result = results[i]!;
      assert.equal(result.code, 2, `${variable}: ${result.stderr}`);
      assert.equal(result.stdout, '');
      assert.match(result.stderr, new RegExp(`^keygate: configuration error: ${variable}: [^\\n]+\\n$`));
    });
    assert.equal(existsSync(database), false);
  });

  it('keygate --help lists every setting and exits 0; create-token --help exits 0', async () => {
    const env = envFor(process.env, `sqlite:${join(dir, 'help.sqlite3')}`);
    const [help, createTokenHelp] = await Promise.all([
      runCli(['--help'], env),
      runCli(['create-token', '--help'], env),
    ]);
    assert.equal(help.code, 0, help.stderr);
    const helpLines = help.stdout.split('\n');
    for (const setting of SETTINGS) {
      assert.ok(
        helpLines.some((line) => line.trimStart().startsWith(`${setting.name} `)),
        `${setting.name} missing from --help`,
      );
    }
    for (const command of ['serve', 'migrate', 'createsuperuser', 'create-token']) {
      assert.ok(help.stdout.includes(command), command);
    }
    assert.equal(createTokenHelp.code, 0, createTokenHelp.stderr);
    assert.match(createTokenHelp.stdout, /-r, --reset/);
    assert.match(createTokenHelp.stdout, /--all/);
  });
});
