// Starting the two targets (keygate as shipped, the bare node:http baseline) and keygate's CLI.
import { closeSync, cpSync, existsSync, mkdirSync, openSync, readFileSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { SETTINGS } from '../src/config/index.js';
import { runChecked, startProcess, type CommandResult, type RunningProcess } from './processes.js';

/** Where things are: the checkout and this run's scratch directory. */
export interface BenchPaths {
  /** The repository root (holds bench/ and node_modules/). */
  readonly root: string;
  /**
   * The keygate being measured: a snapshot of the built bin/ and dist/ taken at the start of the
   * run (node_modules linked), so a rebuild in the checkout during a long run changes nothing.
   */
  readonly app: string;
  /** A temporary directory for databases, scripts and server logs; the servers run in it. */
  readonly tmp: string;
  /** Settings given to every keygate process of the run (`--set NAME=VALUE`); the rest are defaults. */
  readonly settings: Readonly<Record<string, string>>;
}

/**
 * The environment keygate runs with: this process's, minus every keygate setting (so LOG_LEVEL and
 * the rest take their shipped defaults), plus the run's `--set` settings and the database. The
 * working directory is `tmp`, so a developer's `./.env` is not read either.
 */
export function keygateEnv(paths: BenchPaths, databaseUrl: string): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const setting of SETTINGS) delete env[setting.name];
  Object.assign(env, paths.settings);
  env.DATABASE_URL = databaseUrl;
  return env;
}

/** Runs `keygate <args>` (the built CLI) to completion; throws if it fails. */
export function keygateCli(
  paths: BenchPaths,
  databaseUrl: string,
  args: readonly string[],
  input?: string,
): Promise<CommandResult> {
  return runChecked(
    `keygate ${args[0] ?? ''}`,
    process.execPath,
    [join(paths.app, 'bin/keygate.js'), ...args],
    {
      cwd: paths.tmp,
      env: keygateEnv(paths, databaseUrl),
      input,
      timeoutMs: 120_000,
    },
  );
}

/** Whether `keygate serve` has a `--workers` option (read from its `--help`). */
export async function serveSupportsWorkers(paths: BenchPaths): Promise<boolean> {
  const help = await keygateCli(paths, 'sqlite::memory:', ['serve', '--help']);
  return /--workers\b/.test(help.stdout);
}

/** Copies the built keygate (bin/, dist/, src/, package.json) to `app`, linking node_modules. */
export function snapshotBuild(root: string, app: string): void {
  if (!existsSync(join(root, 'dist/cli/run.js'))) throw new Error('no build in dist/: run `npm run build`');
  mkdirSync(app, { recursive: true });
  cpSync(join(root, 'bin'), join(app, 'bin'), { recursive: true });
  cpSync(join(root, 'dist'), join(app, 'dist'), { recursive: true });
  // Assets the build reads at run time from the sources (pages, stylesheets).
  cpSync(join(root, 'src'), join(app, 'src'), { recursive: true });
  cpSync(join(root, 'package.json'), join(app, 'package.json'));
  symlinkSync(join(root, 'node_modules'), join(app, 'node_modules'), 'dir');
}

/** The last lines of a log file, for an error message. */
export function tail(file: string, lines = 15): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/** A TCP port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address !== null && typeof address === 'object') resolve(address.port);
        else reject(new Error('no port'));
      });
    });
  });
}

/** Waits (bounded) until `baseUrl` answers any HTTP response; fails early if the process ends. */
export async function waitForHttp(
  baseUrl: string,
  server: RunningProcess,
  timeoutMs = 30_000,
): Promise<void> {
  let ended = false;
  void server.exited.then(() => (ended = true));
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (ended) throw new Error(`${server.name} exited before answering on ${baseUrl}`);
    try {
      await fetch(`${baseUrl}/`, { signal: AbortSignal.timeout(1000) });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`${server.name} did not answer on ${baseUrl} within ${timeoutMs / 1000} s`);
}

/** How to start keygate. */
export interface KeygateStart {
  readonly databaseUrl: string;
  readonly port: number;
  /** `--workers N` (only when the CLI has it). */
  readonly workers?: number;
  /** Run under `node --cpu-prof`, writing the profile here. */
  readonly cpuProfileDir?: string;
  /** Where stderr goes (stdout, the request log, goes to /dev/null). */
  readonly stderrFile: string;
}

/**
 * Starts `node bin/keygate.js serve --port P` as shipped: default logging (info, one JSON line per
 * request event) written to /dev/null, so the cost of producing the log is measured, not a disk.
 */
export async function startKeygate(paths: BenchPaths, start: KeygateStart): Promise<RunningProcess> {
  const nodeArgs =
    start.cpuProfileDir === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', start.cpuProfileDir];
  const serveArgs = ['serve', '--host', '127.0.0.1', '--port', String(start.port)];
  if (start.workers !== undefined) serveArgs.push('--workers', String(start.workers));
  const stdout = openSync('/dev/null', 'w');
  const stderr = openSync(start.stderrFile, 'a');
  try {
    const server = startProcess(
      'keygate',
      process.execPath,
      [...nodeArgs, join(paths.app, 'bin/keygate.js'), ...serveArgs],
      {
        cwd: paths.tmp,
        env: keygateEnv(paths, start.databaseUrl),
        stdio: ['ignore', stdout, stderr],
        prioritised: true,
      },
    );
    try {
      await waitForHttp(`http://127.0.0.1:${start.port}`, server);
    } catch (error) {
      throw new Error(`${(error as Error).message}; its stderr ends:\n${tail(start.stderrFile)}`);
    }
    return server;
  } finally {
    closeSync(stdout);
    closeSync(stderr);
  }
}

/** Starts the bare node:http server answering with the canned responses in `responsesFile`. */
export async function startBare(
  paths: BenchPaths,
  port: number,
  responsesFile: string,
): Promise<RunningProcess> {
  const stderr = openSync(join(paths.tmp, 'bare.stderr.log'), 'a');
  try {
    const server = startProcess(
      'bare node:http',
      process.execPath,
      ['--import', 'tsx', join(paths.root, 'bench/bare-server.ts'), String(port), responsesFile],
      { cwd: paths.root, stdio: ['ignore', 'ignore', stderr], prioritised: true },
    );
    await waitForHttp(`http://127.0.0.1:${port}`, server);
    return server;
  } finally {
    closeSync(stderr);
  }
}
