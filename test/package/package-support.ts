// Test support for the packed package: npm pack, a temporary project per example, and its processes.
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, PG_ADMIN_URL, POSTGRES_AVAILABLE } from '../helpers.js';

/** The repository root (the test runs there; paths are made absolute for the temporary projects). */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The repository's own TypeScript compiler, which type-checks the examples against the installed types. */
export const TSC = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

/** What a finished process left. */
export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** How a command is run. */
export interface RunOptions {
  readonly cwd: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Written to standard input, which is then closed. */
  readonly input?: string;
  /** Killed (and the run fails) past this many milliseconds. Default 180 s. */
  readonly timeoutMs?: number;
}

/** Runs a command to its end and collects its output; a timeout kills it and rejects. */
export function run(command: string, args: readonly string[], options: RunOptions): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} ${args.join(' ')} timed out\n${stdout}\n${stderr}`));
    }, options.timeoutMs ?? 180_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

/** Runs a command that must succeed; a failure rejects with its output. */
export async function runOk(command: string, args: readonly string[], options: RunOptions): Promise<string> {
  const result = await run(command, args, options);
  if (result.code !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited ${result.code}\n${result.stdout}\n${result.stderr}`);
  }
  return result.stdout;
}

/** The tarball `npm pack` wrote and the paths it holds. */
export interface PackedPackage {
  readonly tarball: string;
  readonly files: readonly string[];
}

/**
 * Packs the checkout into `directory`. Scripts are skipped: the prepack build would only repeat the
 * one scripts/run-tests.mjs has just made of the same sources (and cost ~12 s).
 */
export async function packPackage(directory: string): Promise<PackedPackage> {
  const stdout = await runOk('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', directory], {
    cwd: REPO_ROOT,
  });
  const [packed] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
  if (packed === undefined) throw new Error(`npm pack printed no package: ${stdout}`);
  return { tarball: join(directory, packed.filename), files: packed.files.map((file) => file.path) };
}

/** A package.json, as much of it as the tests read. */
export interface PackageJson {
  name: string;
  version: string;
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

/** Reads a package.json. */
export function readPackageJson(path: string): PackageJson {
  return JSON.parse(readFileSync(path, 'utf8')) as PackageJson;
}

/**
 * Copies an example into `project` as a user would start from it, with keygate from the tarball,
 * and installs it. TypeScript is left out: the repository's compiler checks the example. Install
 * scripts are skipped: keygate has none (the tests check), and better-sqlite3's native build gets
 * the repository's binary (see {@link provideSqliteBinary}).
 */
export async function installExample(example: string, project: string, tarball: string): Promise<void> {
  cpSync(join(REPO_ROOT, 'examples', example), project, {
    recursive: true,
    filter: (source) => !/[\\/](node_modules|dist|data)$/.test(source),
  });
  const manifest = readPackageJson(join(project, 'package.json'));
  manifest.dependencies = { ...manifest.dependencies, keygate: `file:${tarball}` };
  delete manifest.devDependencies?.typescript;
  writeFileSync(join(project, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  await runOk('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts'], {
    cwd: project,
  });
  await provideSqliteBinary(project);
}

/**
 * better-sqlite3's compiled addon for the installed copy: the repository's own when both are the
 * same version (the same Node runs both), else built by `npm rebuild` (a minute or more: no
 * prebuilt binary may be downloadable here).
 */
async function provideSqliteBinary(project: string): Promise<void> {
  const installed = join(project, 'node_modules', 'better-sqlite3');
  const ours = join(REPO_ROOT, 'node_modules', 'better-sqlite3');
  const binary = join('build', 'Release', 'better_sqlite3.node');
  const sameVersion =
    readPackageJson(join(installed, 'package.json')).version ===
    readPackageJson(join(ours, 'package.json')).version;
  if (sameVersion && existsSync(join(ours, binary))) {
    mkdirSync(join(installed, 'build', 'Release'), { recursive: true });
    cpSync(join(ours, binary), join(installed, binary));
    return;
  }
  await runOk('npm', ['rebuild', 'better-sqlite3'], { cwd: project, timeoutMs: 600_000 });
}

/** Every installed package directory named `name`, at any depth of `nodeModules`. */
export function findInstalled(nodeModules: string, names: ReadonlySet<string>): string[] {
  const found: string[] = [];
  const visit = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
      const packages = entry.name.startsWith('@')
        ? readdirSync(join(dir, entry.name)).map((name) => `${entry.name}/${name}`)
        : [entry.name];
      for (const name of packages) {
        if (names.has(name)) found.push(join(dir, name));
        const nested = join(dir, name, 'node_modules');
        if (existsSync(nested)) visit(nested);
      }
    }
  };
  visit(nodeModules);
  return found;
}

/** A started example server. */
export interface RunningApp {
  readonly url: string;
  /** Sends SIGTERM and waits for the exit; resolves to the exit code (null: it had to be killed). */
  stop(): Promise<number | null>;
  /** What the process wrote to standard error so far. */
  stderr(): string;
}

/** How {@link startApp} runs its entry and recognises it listening. */
export interface StartOptions {
  /** Arguments after the entry (`['serve']` for the keygate command). */
  readonly args?: readonly string[];
  /** Finds the URL (group 1) in standard output; default the examples' `listening on <url>`. */
  readonly listening?: RegExp;
}

const LISTENING = /listening on (http:\/\/\S+)/;

/** Starts `node <entry>` in `project` and waits for it to print the URL it listens on. */
export function startApp(
  project: string,
  entry: string,
  env: NodeJS.ProcessEnv,
  options: StartOptions = {},
): Promise<RunningApp> {
  const listening = options.listening ?? LISTENING;
  const child: ChildProcess = spawn(process.execPath, [entry, ...(options.args ?? [])], {
    cwd: project,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const stop = async (): Promise<number | null> => {
    if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    const code = await exited;
    clearTimeout(timer);
    return code;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`${entry} printed no URL in 30 s\n${stdout}\n${stderr}`));
    }, 30_000);
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const match = listening.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve({ url: match[1]!, stop, stderr: () => stderr });
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${entry} exited ${code} before listening\n${stdout}\n${stderr}`));
    });
  });
}

/**
 * Two tests running `walkThrough` on a fresh database each: SQLite (titled `sqliteTitle`), then
 * PostgreSQL ("on PostgreSQL: the same", skipped when no server answers). Each database is dropped
 * after its test.
 */
export function itOnEachDatabase(
  sqliteTitle: string,
  walkThrough: (databaseUrl: string) => Promise<void>,
): void {
  for (const dialect of ['sqlite', 'postgres'] as const) {
    const skip =
      dialect === 'postgres' && !POSTGRES_AVAILABLE ? `PostgreSQL not reachable at ${PG_ADMIN_URL}` : false;
    it(dialect === 'sqlite' ? sqliteTitle : 'on PostgreSQL: the same', { skip }, async () => {
      const database = await createTestDatabase(dialect);
      try {
        await walkThrough(database.url);
      } finally {
        await database.drop();
      }
    });
  }
}
