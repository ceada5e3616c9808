// migrate, showmigrations and serve as real processes; configuration errors and --help.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { SETTINGS } from '../../src/config.js';
import { sqlitePath } from '../../src/db/database.js';
import {
  createTestDatabase,
  describeEachDialect,
  runCli,
  type TestDatabase,
  CLI_ENTRY,
  freePort,
} from '../helpers.js';

/** How a child process ended. */
interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** A running `keygate serve`. */
interface Server {
  readonly child: ChildProcess;
  readonly exited: Promise<Exit>;
  output(): string;
}

function startServe(env: NodeJS.ProcessEnv, port: number): Server {
  const child = spawn(process.execPath, [...CLI_ENTRY, 'serve', '--port', String(port)], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
  const exited = new Promise<Exit>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, exited, output: () => output };
}

/** Resolves with how the process ended, or null if it still runs after `ms`. */
async function exitWithin(server: Server, ms: number): Promise<Exit | null> {
  return Promise.race([server.exited, sleep(ms).then(() => null)]);
}

/** Polls GET /anything until the server answers; fails if it exits or takes longer than `ms`. */
async function waitUntilAnswering(server: Server, port: number, ms = 60_000): Promise<Response> {
  const deadline = Date.now() + ms;
  let exited: Exit | null = null;
  void server.exited.then((exit) => (exited = exit));
  while (Date.now() < deadline) {
    if (exited !== null) {
      assert.fail(`serve exited (${JSON.stringify(exited)}) before answering:\n${server.output()}`);
    }
    try {
      return await fetch(`http://127.0.0.1:${port}/anything`, { signal: AbortSignal.timeout(2000) });
    } catch {
      await sleep(100);
    }
  }
  assert.fail(`serve did not answer on port ${port} within ${ms} ms:\n${server.output()}`);
}

/** Asserts the unknown-path answer, then SIGTERMs the server and expects exit 0 within 10 s. */
async function assertServesAndStops(server: Server, port: number): Promise<void> {
  const response = await waitUntilAnswering(server, port);
  assert.equal(response.status, 404);
  assert.equal(response.headers.get('content-type'), 'application/json');
  assert.equal(await response.text(), '{"detail":"Not found."}');
  server.child.kill('SIGTERM');
  const exit = await exitWithin(server, 10_000);
  assert.ok(exit !== null, 'serve did not exit within 10 s of SIGTERM');
  assert.deepEqual(exit, { code: 0, signal: null }, server.output());
}

/** Kills a server that a failed test left running. */
async function killIfRunning(server: Server | null): Promise<void> {
  if (server === null || server.child.exitCode !== null || server.child.signalCode !== null) return;
  server.child.kill('SIGKILL');
  await server.exited;
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
    let server: Server | null = null;
    try {
      if (ctx().dialect === 'sqlite') {
        const file = sqlitePath(database.url);
        assert.equal(existsSync(file), false);
        const port = await freePort();
        server = startServe(env, port);
        await waitUntilAnswering(server, port);
        assert.ok(existsSync(file), `${file} should have been created`);
        await assertServesAndStops(server, port);
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
        await assertServesAndStops(server, port);
      }
    } finally {
      await killIfRunning(server);
    }
  });

  it('serve on the migrated database answers and stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const server = startServe(envFor(ctx().env, ctx().url), port);
    try {
      await assertServesAndStops(server, port);
    } finally {
      await killIfRunning(server);
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
