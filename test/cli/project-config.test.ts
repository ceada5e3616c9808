// A project's keygate.config: its migrations after keygate's, its resources served, --config, errors naming the field.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CLI_ENTRY, createTestDatabase, freePort, POSTGRES_AVAILABLE, type CliResult } from '../helpers.js';
import {
  cleanEnv,
  stopServe,
  waitUntilAnswering,
  type Exit,
  type ServeProcess,
} from '../production/support.js';

/** The CLI's node arguments with the entry made absolute, so that the command can run in a project. */
const ENTRY = CLI_ENTRY.map((arg) => (/\.(js|ts)$/.test(arg) ? resolve(arg) : arg));

/** A notes table and a token-protected resource over it, written as a project would (plain ESM). */
const NOTES_CONFIG = `
import { defineConfig, defineResource, IsAuthenticated, TokenAuthentication } from 'keygate';

const item = {
  type: 'object',
  properties: { id: { type: 'integer' }, text: { type: 'string' } },
  required: ['id', 'text'],
};
const input = { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] };

function notes(keygate) {
  const db = keygate.database.db;
  return defineResource({
    prefix: 'notes',
    name: 'Note',
    viewset: 'NoteViewSet',
    access: { authentication: [new TokenAuthentication(keygate.tokens)], permissions: [IsAuthenticated] },
    repository: {
      async page({ limit, offset }) {
        const items = await db.selectFrom('notes').selectAll().orderBy('id').limit(limit).offset(offset).execute();
        const { count } = await db.selectFrom('notes').select((eb) => eb.fn.countAll().as('count')).executeTakeFirstOrThrow();
        return { count: Number(count), items };
      },
      get: (id) => db.selectFrom('notes').selectAll().where('id', '=', id).executeTakeFirst(),
      create: (value) => db.insertInto('notes').values(value).returningAll().executeTakeFirstOrThrow(),
      update: (id, value) => db.updateTable('notes').set(value).where('id', '=', id).returningAll().executeTakeFirst(),
      async delete(id) {
        const result = await db.deleteFrom('notes').where('id', '=', id).executeTakeFirst();
        return Number(result.numDeletedRows) > 0;
      },
    },
    validate(data, mode) {
      if (mode === 'partial' && data.text === undefined) return { ok: true, value: {} };
      if (typeof data.text !== 'string' || data.text.trim() === '') {
        return { ok: false, errors: { text: ['This field is required.'] } };
      }
      return { ok: true, value: { text: data.text.trim() } };
    },
    represent: (note) => ({ id: note.id, text: note.text }),
    fields: {
      id: { type: 'integer', required: false, read_only: true, label: 'ID' },
      text: { type: 'string', required: true, read_only: false, label: 'Text' },
    },
    schemas: { item, input, patch: { ...input, required: [] } },
  });
}

export default defineConfig({
  migrations: {
    '0001-notes': {
      async up(db) {
        // A project knows its database; this one runs on both.
        const postgres = process.env.DATABASE_URL.startsWith('postgres');
        await db.schema
          .createTable('notes')
          .addColumn('id', postgres ? 'serial' : 'integer', (c) => c.primaryKey())
          .addColumn('text', 'text', (c) => c.notNull())
          .execute();
      },
    },
  },
  resources: (keygate) => [notes(keygate)],
  settings: { tokenPolicy: 'hashed' },
});
`;

/** A project's package.json: ES modules (a keygate.config.ts requires it). */
const MODULE_PACKAGE = '{ "type": "module" }';

/** A temporary project: the files given, and keygate installed as this checkout (a symlink). */
function makeProject(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'keygate-project-'));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(resolve('.'), join(dir, 'node_modules', 'keygate'), 'dir');
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** Runs `keygate ARGS` in `cwd`. */
function cli(args: readonly string[], env: NodeJS.ProcessEnv, cwd: string, stdin = ''): Promise<CliResult> {
  return new Promise((done, reject) => {
    const child = spawn(process.execPath, [...ENTRY, ...args], { env, cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => done({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

/** Starts `keygate [GLOBAL] serve --port PORT [OPTIONS]` in `cwd`. */
function serveIn(
  cwd: string,
  env: NodeJS.ProcessEnv,
  port: number,
  global: readonly string[] = [],
  options: readonly string[] = [],
): ServeProcess {
  const child = spawn(process.execPath, [...ENTRY, ...global, 'serve', '--port', String(port), ...options], {
    env,
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
  const exited = new Promise<Exit>((done) => child.once('exit', (code, signal) => done({ code, signal })));
  return {
    child,
    pid: child.pid!,
    port,
    exited,
    output: () => output,
    running: () => child.exitCode === null && child.signalCode === null,
  };
}

function lines(text: string): string[] {
  return text.split('\n').filter((line) => line !== '');
}

for (const dialect of ['sqlite', 'postgres'] as const) {
  const skip = dialect === 'postgres' && !POSTGRES_AVAILABLE ? 'PostgreSQL not reachable' : false;
  describe(`a project's keygate.config [${dialect}]`, { skip }, () => {
    let project = '';
    let env: NodeJS.ProcessEnv = {};
    let drop: () => Promise<void> = () => Promise.resolve();
    before(async () => {
      const database = await createTestDatabase(dialect);
      drop = () => database.drop();
      project = makeProject({ 'keygate.config.mjs': NOTES_CONFIG });
      env = cleanEnv({ DATABASE_URL: database.url });
    });
    after(async () => {
      await drop();
      rmSync(project, { recursive: true, force: true });
    });

    it("migrate applies keygate's migrations, then the project's as app:…; showmigrations lists both", async () => {
      const pending = await cli(['showmigrations'], env, project);
      assert.equal(pending.code, 0, pending.stderr);
      assert.equal(lines(pending.stdout).at(-1), '[ ] app:0001-notes');
      assert.ok(lines(pending.stdout).includes('[ ] 0001-initial'), pending.stdout);

      const migrated = await cli(['migrate'], env, project);
      assert.equal(migrated.code, 0, migrated.stderr);
      const applied = lines(migrated.stdout);
      assert.equal(applied[0], 'Applying 0001-initial... OK');
      assert.equal(applied.at(-1), 'Applying app:0001-notes... OK');

      const listed = await cli(['showmigrations'], env, project);
      assert.equal(lines(listed.stdout).at(-1), '[X] app:0001-notes');
      for (const line of lines(listed.stdout)) assert.match(line, /^\[X\] \S+$/);

      const again = await cli(['migrate'], env, project);
      assert.equal(again.stdout, 'No migrations to apply.\n', again.stderr);
    });

    it("without the config (another directory), the project's applied migrations do not upset keygate", async () => {
      const elsewhere = makeProject({});
      try {
        const listed = await cli(['showmigrations'], env, elsewhere);
        assert.equal(listed.code, 0, listed.stderr);
        assert.ok(lines(listed.stdout).includes('[X] app:0001-notes'), listed.stdout);
        const migrated = await cli(['migrate'], env, elsewhere);
        assert.equal(migrated.stdout, 'No migrations to apply.\n', migrated.stderr);
      } finally {
        rmSync(elsewhere, { recursive: true, force: true });
      }
    });

    it('serve serves /notes/ with token auth and no /product_api/; the settings apply', async () => {
      const created = await cli(['createuser', 'alice', '--no-password'], env, project);
      assert.equal(created.code, 0, created.stderr);
      const token = await cli(['create-token', 'alice'], env, project);
      assert.equal(token.code, 0, token.stderr);
      const key = /Generated token (\S+) for user alice/.exec(token.stdout)?.[1];
      assert.ok(key !== undefined, token.stdout);
      // settings: { tokenPolicy: 'hashed' }: the hashed policy's keys are not DRF's 40 hex digits.
      assert.doesNotMatch(key, /^[0-9a-f]{40}$/);

      const server = serveIn(project, env, await freePort());
      try {
        const base = `http://127.0.0.1:${server.port}`;
        await waitUntilAnswering(server, '/notes/', 'any');
        const anonymous = await fetch(`${base}/notes/`);
        assert.equal(anonymous.status, 401);
        const auth = { Authorization: `Token ${key}`, Accept: 'application/json' };
        const posted = await fetch(`${base}/notes/`, {
          method: 'POST',
          headers: { ...auth, 'Content-Type': 'application/json' },
          body: JSON.stringify({ text: ' first ' }),
        });
        assert.equal(posted.status, 201, await posted.clone().text());
        assert.deepEqual(await posted.json(), { id: 1, text: 'first' });
        const bad = await fetch(`${base}/notes/`, {
          method: 'POST',
          headers: { ...auth, 'Content-Type': 'application/json' },
          body: '{}',
        });
        assert.equal(bad.status, 400);
        const list = await fetch(`${base}/notes/`, { headers: auth });
        assert.equal(list.status, 200);
        assert.deepEqual(await list.json(), {
          count: 1,
          next: null,
          previous: null,
          results: [{ id: 1, text: 'first' }],
        });
        const products = await fetch(`${base}/product_api/`, { headers: auth });
        assert.equal(products.status, 404);
      } finally {
        await stopServe(server);
      }
    });

    it("serve --workers 2 (and --config): every worker serves the project's resources", async () => {
      const server = serveIn(
        project,
        env,
        await freePort(),
        ['--config', 'keygate.config.mjs'],
        ['--workers', '2'],
      );
      try {
        const base = `http://127.0.0.1:${server.port}`;
        await waitUntilAnswering(server, '/notes/', 401);
        for (let i = 0; i < 6; i++) {
          assert.equal((await fetch(`${base}/notes/`)).status, 401);
          assert.equal((await fetch(`${base}/product_api/`)).status, 404);
        }
      } finally {
        await stopServe(server);
      }
    });
  });
}

describe('keygate.config: --config, .ts, errors naming the file and the field', () => {
  let database = '';
  let env: NodeJS.ProcessEnv = {};
  const projects: string[] = [];
  const project = (files: Record<string, string>): string => {
    const dir = makeProject(files);
    projects.push(dir);
    return dir;
  };
  before(() => {
    database = mkdtempSync(join(tmpdir(), 'keygate-project-db-'));
    env = cleanEnv({ DATABASE_URL: `sqlite:${join(database, 'keygate.sqlite3')}` });
  });
  after(() => {
    for (const dir of [...projects, database]) rmSync(dir, { recursive: true, force: true });
  });

  it('--config PATH is used instead of the file in the working directory', async () => {
    const dir = project({
      'keygate.config.mjs': 'export default { migrations: { a: { up: async () => {} } } };',
      'other.mjs': 'export default { migrations: { b: { up: async () => {} } } };',
    });
    const listed = await cli(['--config', 'other.mjs', 'showmigrations'], env, dir);
    assert.equal(listed.code, 0, listed.stderr);
    assert.equal(lines(listed.stdout).at(-1), '[ ] app:b');
    assert.ok(!listed.stdout.includes('app:a'), listed.stdout);
    const missing = await cli(['--config', 'nope.mjs', 'showmigrations'], env, dir);
    assert.equal(missing.code, 2);
    assert.equal(missing.stderr, 'keygate: configuration error: nope.mjs: no such file\n');
  });

  it('keygate.config.js is found when there is no .ts', async () => {
    const dir = project({
      'package.json': '{ "type": "module" }',
      'keygate.config.js': 'export default { migrations: { js: { up: async () => {} } } };',
    });
    const listed = await cli(['showmigrations'], env, dir);
    assert.equal(lines(listed.stdout).at(-1), '[ ] app:js', listed.stderr);
  });

  it("keygate.config.ts is imported through the project's tsx", async () => {
    const dir = project({
      'package.json': MODULE_PACKAGE,
      'keygate.config.ts':
        "import { defineConfig } from 'keygate';\nconst name: string = 'ts';\nexport default defineConfig({ migrations: { [name]: { up: async () => {} } } });\n",
    });
    // The project's tsx: this checkout's, as a project would have it in node_modules.
    symlinkSync(resolve('node_modules/tsx'), join(dir, 'node_modules', 'tsx'), 'dir');
    const listed = await cli(['showmigrations'], env, dir);
    assert.equal(listed.code, 0, listed.stderr);
    assert.equal(lines(listed.stdout).at(-1), '[ ] app:ts');
  });

  it('keygate.config.ts resources share the running keygate: a bad token is a 401, not a 500', async () => {
    const dir = project({ 'package.json': MODULE_PACKAGE, 'keygate.config.ts': NOTES_CONFIG });
    symlinkSync(resolve('node_modules/tsx'), join(dir, 'node_modules', 'tsx'), 'dir');
    const own = mkdtempSync(join(tmpdir(), 'keygate-project-db-'));
    projects.push(own);
    // SQLite migrates itself: keygate's migrations, then the project's notes table.
    const server = serveIn(
      dir,
      cleanEnv({ DATABASE_URL: `sqlite:${join(own, 'db.sqlite3')}` }),
      await freePort(),
    );
    try {
      await waitUntilAnswering(server, '/notes/', 401);
      const bad = await fetch(`http://127.0.0.1:${server.port}/notes/`, {
        headers: { Authorization: 'Token nope', Accept: 'application/json' },
      });
      assert.equal(bad.status, 401, server.output());
      assert.deepEqual(await bad.json(), { detail: 'Invalid token.' });
    } finally {
      await stopServe(server);
    }
  });

  it('keygate.config.ts in a project without "type": "module" says so', async () => {
    const dir = project({ 'keygate.config.ts': 'export default {};\n' });
    symlinkSync(resolve('node_modules/tsx'), join(dir, 'node_modules', 'tsx'), 'dir');
    const result = await cli(['showmigrations'], env, dir);
    assert.equal(result.code, 2);
    assert.equal(
      result.stderr,
      'keygate: configuration error: keygate.config.ts: a TypeScript configuration needs "type": "module" in the project\'s package.json\n',
    );
  });

  it('keygate.config.ts without tsx in the project says what to do', async () => {
    const dir = project({ 'package.json': MODULE_PACKAGE, 'keygate.config.ts': 'export default {};\n' });
    const result = await cli(['showmigrations'], env, dir);
    assert.equal(result.code, 2);
    assert.match(
      result.stderr,
      /^keygate: configuration error: keygate\.config\.ts: .*needs tsx installed in the project/,
    );
  });

  it('each mistake exits 2 with one line naming the file and the field', async () => {
    const cases: ReadonlyArray<readonly [string, string]> = [
      ['export default 42;', 'keygate.config.mjs: the default export must be an object'],
      ['export const x = 1;', 'keygate.config.mjs: has no default export'],
      ['export default { routes: [] };', 'keygate.config.mjs: routes: unknown key'],
      ['export default { resources: [] };', 'keygate.config.mjs: resources: must be a function'],
      [
        "export default { migrations: { '0001-notes': { down: async () => {} } } };",
        'keygate.config.mjs: migrations.0001-notes: up must be a function',
      ],
      ["export default { settings: { port: 'abc' } };", 'keygate.config.mjs: settings.port: '],
      [
        'export default { settings: { colour: 1 } };',
        'keygate.config.mjs: settings.colour: not a keygate setting',
      ],
      ['export default {', 'keygate.config.mjs: could not be loaded: '],
      ["export default { docs: { title: 'Inventory' } };", 'keygate.config.mjs: docs.version: is required'],
      [
        "export default { docs: { title: 'I', version: 1 } };",
        'keygate.config.mjs: docs.version: must be a string',
      ],
      ['export default { models: [{}] };', 'keygate.config.mjs: models.0: is not a model'],
    ];
    const results = await Promise.all(
      cases.map(([text]) => cli(['migrate'], env, project({ 'keygate.config.mjs': text }))),
    );
    cases.forEach(([text, expected], i) => {
      const result = results[i]!;
      assert.equal(result.code, 2, `${text}: ${result.stderr}`);
      assert.equal(result.stdout, '');
      assert.ok(
        result.stderr.startsWith(`keygate: configuration error: ${expected}`),
        `${text}: ${result.stderr}`,
      );
      assert.equal(lines(result.stderr).length, 1, result.stderr);
    });
  });

  it('resources that throw or return no array: serve exits 2 naming the file and resources', async () => {
    const cases: ReadonlyArray<readonly [string, string]> = [
      [
        "export default { resources: () => { throw new Error('no table'); } };",
        'keygate.config.mjs: resources: threw: no table',
      ],
      ['export default { resources: () => ({}) };', 'keygate.config.mjs: resources: must return an array'],
    ];
    for (const [text, expected] of cases) {
      const server = serveIn(project({ 'keygate.config.mjs': text }), env, await freePort());
      const exit = await server.exited;
      assert.equal(exit.code, 2, server.output());
      assert.ok(server.output().includes(`keygate: configuration error: ${expected}`), server.output());
    }
  });

  it('the environment wins over the settings of the config', async () => {
    const dir = project({ 'keygate.config.mjs': "export default { settings: { port: 'abc' } };" });
    // A bad setting in the file is still reported: it is checked whether or not the environment wins.
    const result = await cli(['showmigrations'], { ...env, PORT: '8123' }, dir);
    assert.equal(result.code, 2);
    const good = project({ 'keygate.config.mjs': "export default { settings: { tokenPolicy: 'hashed' } };" });
    const overridden = await cli(['showmigrations'], { ...env, TOKEN_POLICY: 'nope' }, good);
    assert.match(overridden.stderr, /^keygate: configuration error: TOKEN_POLICY: /);
  });
});
