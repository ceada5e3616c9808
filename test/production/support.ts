// Test support for production checks: real `keygate serve` processes, raw HTTP(S) requests, certificates.
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { request as httpRequest, type Agent, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { CLI_ENTRY, runCli } from '../helpers.js';
import { SETTINGS } from '../../src/config.js';

export { freePort } from '../helpers.js';

const run = promisify(execFile);

/** A 40-character secret, enough for production mode. */
export const SECRET_KEY = 'k3ygate-production-test-secret-0123456789-abcdefghijklmnop';

/**
 * How long a process may take to start (from the sources through tsx, every worker compiles them
 * again): a bound against hangs, generous because other work may share the machine.
 */
export const STARTUP_MS = 60_000;

/** The password every test user gets. */
export const PASSWORD = 'correct horse battery';

/**
 * The test's environment with the keygate settings a developer's shell might carry removed, so that
 * only what a test passes applies.
 */
export function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  // Every documented setting, so a setting added later cannot leak in from the shell either.
  for (const { name } of SETTINGS) delete env[name];
  return { ...env, LOG_LEVEL: 'silent', ...extra };
}

/** How a child process ended. */
export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** A running `keygate serve` process. */
export interface ServeProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly port: number;
  readonly exited: Promise<Exit>;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  running(): boolean;
}

/** Starts `keygate serve --port PORT ...args` (the build `npm test` makes, as helpers' runCli does). */
export function startServe(env: NodeJS.ProcessEnv, port: number, args: readonly string[] = []): ServeProcess {
  const child = spawn(process.execPath, [...CLI_ENTRY, 'serve', '--port', String(port), ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return serveProcess(child, port, (stdout) => stdout);
}

/**
 * A started server process as tests follow it: its output so far (stdout through `stdout`, which
 * may rewrite it, then stderr as it comes), how it ended, whether it runs.
 */
export function serveProcess(
  child: ChildProcess,
  port: number,
  stdout: (chunk: string) => string,
): ServeProcess {
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (output += stdout(d)));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (output += d));
  const exited = new Promise<Exit>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  assert.ok(child.pid !== undefined, 'serve did not start');
  return {
    child,
    pid: child.pid,
    port,
    exited,
    output: () => output,
    running: () => child.exitCode === null && child.signalCode === null,
  };
}

/** Resolves with how the process ended, or null if it still runs after `ms`. */
export function exitWithin(server: ServeProcess, ms: number): Promise<Exit | null> {
  return Promise.race([server.exited, sleep(ms).then(() => null)]);
}

/** Whether a process with this id exists (and is not a zombie we could still reap). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    // A killed child not yet reaped by its parent shows as a zombie: it is gone for our purposes.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** Sends a signal, ignoring a process that is already gone. */
export function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Already exited.
  }
}

/**
 * Stops a server: SIGTERM, then SIGKILL if it is still there after `graceMs`; also SIGKILLs any of
 * `extraPids` (workers) still alive, so that nothing a test started outlives it.
 */
export async function stopServe(
  server: ServeProcess | null,
  extraPids: Iterable<number> = [],
  graceMs = 5000,
): Promise<void> {
  if (server !== null && server.running()) {
    server.child.kill('SIGTERM');
    if ((await exitWithin(server, graceMs)) === null) {
      server.child.kill('SIGKILL');
      await exitWithin(server, 5000);
    }
  }
  for (const pid of extraPids) if (pidAlive(pid)) signal(pid, 'SIGKILL');
}

/**
 * Polls `path` over plain HTTP until it answers with `status` (or with anything: `'any'`); fails
 * at once if the server exits, or after `ms`. Returns the answer.
 */
export async function waitUntilAnswering(
  server: ServeProcess,
  path = '/readyz',
  status: number | 'any' = 200,
  ms = STARTUP_MS,
): Promise<Response> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!server.running()) assert.fail(`serve exited before answering:\n${server.output()}`);
    try {
      const response = await fetch(`http://127.0.0.1:${server.port}${path}`, {
        signal: AbortSignal.timeout(2000),
      });
      if (status === 'any' || response.status === status) return response;
    } catch {
      // Not listening yet.
    }
    await sleep(100);
  }
  assert.fail(`serve on port ${server.port} did not answer ${path} within ${ms} ms:\n${server.output()}`);
}

/** Polls `check` every `intervalMs` until it returns a value other than undefined; fails after `ms`. */
export async function waitFor<T>(
  what: string,
  ms: number,
  check: () => Promise<T | undefined> | T | undefined,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() >= deadline) assert.fail(`${what}: not within ${ms} ms`);
    await sleep(intervalMs);
  }
}

/** A complete HTTP response. */
export interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** Options for `send`. */
export interface SendOptions {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  /** CA certificate(s) to trust for https URLs. */
  readonly ca?: string | Buffer;
  /** Whole-request deadline. */
  readonly timeoutMs?: number;
  /** A keep-alive agent to reuse connections; by default every request has its own connection. */
  readonly agent?: Agent;
}

/**
 * One request, on a fresh connection unless an agent is given (so a dead worker's socket is never
 * reused by accident). Rejects on a network error or when no complete response arrives within the deadline.
 */
export function send(url: string, options: SendOptions = {}): Promise<RawResponse> {
  const target = new URL(url);
  const requestFn = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const timeoutMs = options.timeoutMs ?? 10_000;
  return new Promise((resolve, reject) => {
    const req = requestFn(
      target,
      {
        method: options.method ?? 'GET',
        headers: options.headers ?? {},
        agent: options.agent ?? false,
        ...(options.ca !== undefined && { ca: options.ca }),
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (d: string) => (body += d));
        res.on('end', () => {
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
        });
        res.on('error', reject);
      },
    );
    const timer = setTimeout(
      () => req.destroy(new Error(`no complete response within ${timeoutMs} ms`)),
      timeoutMs,
    );
    req.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    req.end(options.body);
  });
}

/** A JSON POST's headers. */
export function jsonHeaders(extra: Record<string, string> = {}): Record<string, string> {
  return { 'content-type': 'application/json', ...extra };
}

/**
 * The worker processes of a `serve --workers N` primary: its children running `serve`, from `ps`
 * (tsx may briefly run an esbuild child too, which is not a worker).
 */
export async function childPids(parent: number): Promise<number[]> {
  try {
    const { stdout } = await run('ps', ['-o', 'pid=,args=', '--ppid', String(parent)]);
    return stdout
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => / serve\b/.test(line))
      .map((line) => Number(line.split(/\s+/, 1)[0]))
      .filter((pid) => pidAlive(pid))
      .sort((a, b) => a - b);
  } catch {
    // ps exits 1 when there are none.
    return [];
  }
}

/**
 * How many established TCP connections on local `port` process `pid` holds open right now (from
 * /proc): whether a worker is in the middle of serving clients.
 */
export function openConnections(pid: number, port: number): number {
  let inodes: Set<string>;
  try {
    inodes = new Set(
      readdirSync(`/proc/${pid}/fd`)
        .map((fd) => {
          try {
            return readlinkSync(`/proc/${pid}/fd/${fd}`);
          } catch {
            return '';
          }
        })
        .filter((link) => link.startsWith('socket:['))
        .map((link) => link.slice('socket:['.length, -1)),
    );
  } catch {
    return 0;
  }
  let count = 0;
  for (const table of ['tcp', 'tcp6']) {
    let text = '';
    try {
      text = readFileSync(`/proc/${pid}/net/${table}`, 'utf8');
    } catch {
      continue;
    }
    // sl local_address rem_address st ... inode: "0100007F:1F40 ... 01 ..." (01 is ESTABLISHED).
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields.length < 10) continue;
      const localPort = parseInt(fields[1]!.slice(fields[1]!.lastIndexOf(':') + 1), 16);
      if (localPort === port && fields[3] === '01' && inodes.has(fields[9]!)) count++;
    }
  }
  return count;
}

/** A self-signed certificate for 127.0.0.1 and localhost, made with openssl in `dir`. */
export interface Certificate {
  readonly certFile: string;
  readonly keyFile: string;
  readonly cert: string;
}

/** Makes a one-day self-signed RSA certificate with the openssl command. */
export async function makeCertificate(dir: string): Promise<Certificate> {
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  await run(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ],
    { timeout: 30_000 },
  );
  return { certFile, keyFile, cert: readFileSync(certFile, 'utf8') };
}

/** Extracts the 40-hex key from `create-token`'s "Generated token KEY for user NAME". */
export function tokenFrom(createTokenOutput: string): string {
  const match = /^Generated token ([0-9a-f]{40}) for user /.exec(createTokenOutput);
  assert.ok(match, `unexpected create-token output: ${createTokenOutput}`);
  return match[1]!;
}

/** A fresh folder with a SQLite database in which `alice` (with `password`) has a token. */
export async function sqliteWithToken(
  prefix: string,
  password: string,
): Promise<{ readonly dir: string; readonly env: NodeJS.ProcessEnv; readonly token: string }> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const env = cleanEnv({ DATABASE_URL: `sqlite:${join(dir, 'keygate.sqlite3')}`, LOG_LEVEL: 'info' });
  const created = await runCli(['createuser', 'alice', '--password-stdin'], env, `${password}\n`);
  assert.equal(created.code, 0, created.stderr);
  const issued = await runCli(['create-token', 'alice'], env);
  assert.equal(issued.code, 0, issued.stderr);
  return { dir, env, token: tokenFrom(issued.stdout) };
}
