// wrk: installed from Debian when missing, driven with a generated Lua script that prints parseable results.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { runChecked, runCommand } from './processes.js';

/** One HTTP request, as wrk repeats it. */
export interface HttpRequest {
  readonly method: 'GET' | 'POST' | 'PATCH';
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

/** What one wrk run measured. */
export interface WrkResult {
  readonly requests: number;
  readonly seconds: number;
  readonly requestsPerSecond: number;
  readonly latencyMs: {
    readonly mean: number;
    readonly p50: number;
    readonly p99: number;
    readonly max: number;
  };
  /** Responses outside 2xx/3xx (expected for the 401 workload). */
  readonly non2xx: number;
  /** Socket errors: connect, read, write, timeout. */
  readonly socketErrors: number;
  readonly bytes: number;
}

function hasWrk(): boolean {
  return spawnSync('sh', ['-c', 'command -v wrk'], { encoding: 'utf8' }).status === 0;
}

/** Makes sure `wrk` is on the PATH, installing the Debian package (as root) when it is not. */
export async function ensureWrk(log: (line: string) => void): Promise<string> {
  if (!hasWrk()) {
    if (process.getuid?.() !== 0) throw new Error('wrk is not installed; run `apt-get install wrk` as root');
    log('wrk not found: installing the Debian package (apt-get update && apt-get install wrk)');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    await runChecked('apt-get update', 'apt-get', ['update', '-qq'], { env, timeoutMs: 300_000 });
    await runChecked('apt-get install', 'apt-get', ['install', '-y', '-qq', 'wrk'], {
      env,
      timeoutMs: 300_000,
    });
    if (!hasWrk()) throw new Error('apt-get installed wrk but it is not on the PATH');
  }
  // `wrk -v` prints its version and exits 1.
  const version = spawnSync('wrk', ['-v'], { encoding: 'utf8' });
  return (`${version.stdout}${version.stderr}`.split('\n')[0] ?? 'wrk').replace(/ \[.*/, '').trim();
}

/** A Lua string literal for any bytes: printable ASCII as is, everything else as a decimal escape. */
export function luaString(text: string): string {
  let out = '"';
  for (const byte of Buffer.from(text, 'utf8')) {
    const printable = byte >= 0x20 && byte < 0x7f && byte !== 0x22 && byte !== 0x5c;
    out += printable ? String.fromCharCode(byte) : `\\${String(byte).padStart(3, '0')}`;
  }
  return `${out}"`;
}

const MARKER = 'KEYGATE_BENCH';

/** The Lua script that makes wrk send `request` and print its numbers on one parseable line. */
export function wrkScript(request: HttpRequest): string {
  const lines = [`wrk.method = ${luaString(request.method)}`, `wrk.path = ${luaString(request.path)}`];
  if (request.body !== undefined) lines.push(`wrk.body = ${luaString(request.body)}`);
  for (const [name, value] of Object.entries(request.headers)) {
    lines.push(`wrk.headers[${luaString(name)}] = ${luaString(value)}`);
  }
  lines.push(
    'function done(summary, latency, requests)',
    '  local e = summary.errors',
    `  io.write(string.format("${MARKER} %.0f %.0f %.0f %.0f %.0f %.0f %.0f %.0f %.3f %.0f %.0f %.0f\\n",`,
    '    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.timeout, e.status,',
    '    latency.mean, latency:percentile(50), latency:percentile(99), latency.max))',
    'end',
  );
  return `${lines.join('\n')}\n`;
}

/** Writes the script for `request` to `file`. */
export function writeWrkScript(file: string, request: HttpRequest): string {
  writeFileSync(file, wrkScript(request));
  return file;
}

/** How to run wrk. */
export interface WrkOptions {
  /** Base URL, always `http://127.0.0.1:<port>`. */
  readonly baseUrl: string;
  readonly script: string;
  readonly seconds: number;
  readonly connections: number;
  readonly threads: number;
  /** Told wrk's process id once it runs (to account for its CPU). */
  readonly onStart?: (pid: number) => void;
}

/** Parses the line the script's `done()` prints. */
export function parseWrkOutput(output: string): WrkResult {
  const line = output.split('\n').find((l) => l.startsWith(`${MARKER} `));
  if (line === undefined) throw new Error(`wrk printed no result line:\n${output}`);
  const [requests, durationUs, bytes, connect, read, write, timeout, status, mean, p50, p99, max] = line
    .slice(MARKER.length + 1)
    .split(' ')
    .map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const seconds = durationUs / 1e6;
  return {
    requests,
    seconds,
    requestsPerSecond: seconds > 0 ? requests / seconds : 0,
    latencyMs: { mean: mean / 1000, p50: p50 / 1000, p99: p99 / 1000, max: max / 1000 },
    non2xx: status,
    socketErrors: connect + read + write + timeout,
    bytes,
  };
}

/** Runs wrk once against 127.0.0.1 and returns its numbers. */
export async function runWrk(options: WrkOptions): Promise<WrkResult> {
  if (!options.baseUrl.startsWith('http://127.0.0.1:'))
    throw new Error('benchmark traffic goes to 127.0.0.1 only');
  const args = [
    `-t${options.threads}`,
    `-c${options.connections}`,
    `-d${options.seconds}s`,
    '--timeout',
    '10s',
    '-s',
    options.script,
    options.baseUrl,
  ];
  const result = await runCommand('wrk', 'wrk', args, {
    timeoutMs: (options.seconds + 60) * 1000,
    prioritised: true,
    ...(options.onStart !== undefined && { onStart: options.onStart }),
  });
  if (result.code !== 0)
    throw new Error(`wrk exited ${String(result.code)}: ${result.stderr}${result.stdout}`);
  return parseWrkOutput(result.stdout);
}
