// Test support: a real database per dialect (SQLite file, PostgreSQL database made and dropped here).
import { spawn, type SpawnOptions } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { buildApp } from '../src/app.js';
import { loadConfig, type Config } from '../src/config.js';
import type { Dialect } from '../src/db/keygate-database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { createKeygate, type Keygate } from '../src/keygate.js';

/** The PostgreSQL server the suite uses; override with KEYGATE_TEST_PG. */
export const PG_ADMIN_URL = process.env.KEYGATE_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Whether the PostgreSQL server answers; when it does not, a loud warning is printed. */
async function probePostgres(): Promise<boolean> {
  {
    const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.end();
      return true;
    } catch (error) {
      process.stderr.write(
        `\n!!! PostgreSQL is not reachable at ${PG_ADMIN_URL} (${(error as Error).message}).\n` +
          '!!! Every PostgreSQL test is SKIPPED, not passed.\n\n',
      );
      return false;
    }
  }
}

/** Probed once per test file, before any suite is declared. */
export const POSTGRES_AVAILABLE = await probePostgres();

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A fresh, empty database of one dialect; `drop()` removes it. */
export interface TestDatabase {
  readonly dialect: Dialect;
  readonly url: string;
  drop(): Promise<void>;
}

/** Creates an empty database: a new SQLite file, or a new PostgreSQL database. */
export async function createTestDatabase(dialect: Dialect): Promise<TestDatabase> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'keygate-test-'));
    return {
      dialect,
      url: `sqlite:${join(dir, 'keygate.sqlite3')}`,
      drop: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })),
    };
  }
  const name = `keygate_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    dialect,
    url: url.toString(),
    drop: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

/** Everything a test of one dialect works with. */
export interface DialectContext {
  readonly dialect: Dialect;
  readonly url: string;
  readonly config: Config;
  readonly keygate: Keygate;
  readonly app: FastifyInstance;
  /** Environment for running the CLI against this database. */
  readonly env: NodeJS.ProcessEnv;
  /** Starts another app on the same services on a loopback socket; returns its base URL. */
  listen(): Promise<string>;
}

/** Options for a dialect suite. */
export interface SuiteOptions {
  /** Extra environment (e.g. TOKEN_POLICY) for the config and the CLI. */
  readonly env?: Record<string, string>;
  /** Adds routes before the app is made ready. */
  readonly setup?: (app: FastifyInstance) => void;
  /** The dialects to run on (default both), for behaviour only one of them has. */
  readonly dialects?: readonly Dialect[];
}

/**
 * Runs `body` once per dialect, each with a fresh migrated database, services and app. The
 * PostgreSQL run is skipped, loudly, when no server answers.
 */
export function describeEachDialect(
  name: string,
  body: (context: () => DialectContext) => void,
  options: SuiteOptions = {},
): void {
  for (const dialect of options.dialects ?? (['sqlite', 'postgres'] as const)) {
    const skip =
      dialect === 'postgres' && !POSTGRES_AVAILABLE ? `PostgreSQL not reachable at ${PG_ADMIN_URL}` : false;
    describe(`${name} [${dialect}]`, { skip }, () => {
      let context: DialectContext | null = null;
      let database: TestDatabase | null = null;
      const listening: FastifyInstance[] = [];

      before(async () => {
        database = await createTestDatabase(dialect);
        const env = { DATABASE_URL: database.url, LOG_LEVEL: 'silent', ...options.env };
        const config = loadConfig(env);
        const keygate = createKeygate(config);
        await migrateToLatest(keygate.database);
        const makeApp = (): FastifyInstance => {
          return buildApp(keygate, { logger: false, routes: options.setup });
        };
        const app = makeApp();
        await app.ready();
        context = {
          dialect,
          url: database.url,
          config,
          keygate,
          app,
          env: { ...process.env, ...env },
          async listen() {
            const served = makeApp();
            listening.push(served);
            await served.listen({ host: '127.0.0.1', port: 0 });
            return `http://127.0.0.1:${(served.server.address() as AddressInfo).port}`;
          },
        };
      });

      after(async () => {
        for (const served of listening) await served.close();
        await context?.app.close();
        await context?.keygate.close();
        await database?.drop();
      });

      body(() => {
        if (context === null) throw new Error('suite setup failed');
        return context;
      });
    });
  }
}

/** Result of running the CLI. */
export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Node arguments that run the `keygate` CLI: the compiled build that `npm test` makes first (as
 * shipped, and a third of tsx's start-up cost), or the TypeScript sources when there is no build.
 */
export const CLI_ENTRY: readonly string[] = existsSync('dist/cli/run.js')
  ? ['dist/cli/run.js']
  : ['--import', 'tsx', 'src/cli/run.ts'];

/** A TCP port nobody listens on right now: bind port 0, read it, let it go. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  return port;
}

/** Runs `keygate ARGS` as a process. */
export function runCli(args: readonly string[], env: NodeJS.ProcessEnv, stdin?: string): Promise<CliResult> {
  return runToEnd(process.execPath, [...CLI_ENTRY, ...args], { env }, stdin);
}

/** Runs a process to its end with `stdin` as its input, and collects its exit code and output. */
export function runToEnd(
  command: string,
  args: readonly string[],
  options: Omit<SpawnOptions, 'stdio'> = {},
  stdin = '',
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

/** A unique username for a test. */
export function uniqueName(prefix = 'user'): string {
  return `${prefix}_${randomBytes(4).toString('hex')}`;
}
