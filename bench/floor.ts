// The Fastify floor in a run: which workloads it serves, starting it, and the pre-flight check of its answers.
import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { bodyText, captureResponse, type CannedResponse } from './canned-response.js';
import { startProcess, type RunningProcess } from './processes.js';
import { waitForHttp, type BenchPaths } from './servers.js';
import type { Workload, WorkloadId } from './workloads.js';

/** The workloads the floor answers: the reads, the 401 and the writes (not the login). */
export const FLOOR_WORKLOADS: ReadonlySet<WorkloadId> = new Set([
  'detail',
  'list',
  'unauthenticated',
  'create',
  'patch',
]);

/** Starts bench/floor-server.ts on `databaseUrl`, with keygate's headers from `responsesFile`. */
export async function startFloor(
  paths: BenchPaths,
  port: number,
  databaseUrl: string,
  responsesFile: string,
): Promise<RunningProcess> {
  const stderr = openSync(join(paths.tmp, 'floor.stderr.log'), 'a');
  try {
    const server = startProcess(
      'Fastify floor',
      process.execPath,
      [
        '--import',
        'tsx',
        join(paths.root, 'bench/floor-server.ts'),
        String(port),
        databaseUrl,
        responsesFile,
      ],
      { cwd: paths.root, stdio: ['ignore', 'ignore', stderr], prioritised: true },
    );
    await waitForHttp(`http://127.0.0.1:${port}`, server);
    return server;
  } finally {
    closeSync(stderr);
  }
}

/**
 * Why the floor's answer differs from keygate's, or null when they are the same bytes: status,
 * every header (node:http's own aside) and the body, in which keygate's address is read as the
 * floor's (the list's `next` link is absolute, built from the Host header).
 */
export function floorDifference(
  keygate: CannedResponse,
  floor: CannedResponse,
  keygateUrl: string,
  floorUrl: string,
): string | null {
  if (floor.status !== keygate.status) return `status ${floor.status}, keygate ${keygate.status}`;
  const names = new Set([...Object.keys(keygate.headers), ...Object.keys(floor.headers)]);
  for (const name of names) {
    if (keygate.headers[name] !== floor.headers[name]) {
      return `header ${name}: ${floor.headers[name] ?? '(none)'}, keygate ${keygate.headers[name] ?? '(none)'}`;
    }
  }
  const expected = bodyText(keygate).split(keygateUrl).join(floorUrl);
  const got = bodyText(floor);
  if (got !== expected) return `body ${got.slice(0, 200)}\n  keygate ${expected.slice(0, 200)}`;
  return null;
}

/** Headers a write's answers may differ in: the time, the request's id and (checked apart) the length. */
const PER_ANSWER_HEADERS = new Set(['date', 'x-request-id', 'content-length']);

/** A JSON value's type as the comparison sees it (null apart from objects). */
const typeOf = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;

/**
 * Why the floor's answer to a write differs from keygate's, or null when it has keygate's shape:
 * the same status; the same headers with the same values except Date and X-Request-Id, and a
 * Content-Length that differs only where the body's length does; a JSON object body with the same
 * keys in the same order and the same value types (`create`: its id and timestamps are its own),
 * or the same values except `updated` (`patch`). Both answers are captured with `keepLength`.
 */
export function writeDifference(
  keygate: CannedResponse,
  floor: CannedResponse,
  kind: 'create' | 'patch',
): string | null {
  if (floor.status !== keygate.status) return `status ${floor.status}, keygate ${keygate.status}`;
  const names = new Set([...Object.keys(keygate.headers), ...Object.keys(floor.headers)]);
  for (const name of names) {
    if (PER_ANSWER_HEADERS.has(name)) continue;
    if (keygate.headers[name] !== floor.headers[name]) {
      return `header ${name}: ${floor.headers[name] ?? '(none)'}, keygate ${keygate.headers[name] ?? '(none)'}`;
    }
  }
  const keygateLength = keygate.headers['content-length'];
  const floorLength = floor.headers['content-length'];
  const sameBodyLength =
    Buffer.from(keygate.body, 'base64').length === Buffer.from(floor.body, 'base64').length;
  if (keygateLength !== floorLength && sameBodyLength) {
    return `header content-length: ${floorLength ?? '(none)'}, keygate ${keygateLength ?? '(none)'} for bodies of the same length`;
  }
  let expected: unknown;
  let got: unknown;
  try {
    expected = JSON.parse(bodyText(keygate));
    got = JSON.parse(bodyText(floor));
  } catch {
    return `body is not JSON: ${bodyText(floor).slice(0, 200)}\n  keygate ${bodyText(keygate).slice(0, 200)}`;
  }
  if (typeOf(expected) !== 'object' || typeOf(got) !== 'object') {
    return `body ${bodyText(floor).slice(0, 200)}\n  keygate ${bodyText(keygate).slice(0, 200)}`;
  }
  // Each member as `key:type`, or `key=value` where the value must be keygate's.
  const members = (body: Record<string, unknown>): string =>
    Object.entries(body)
      .map(([key, value]) =>
        kind === 'create' || key === 'updated'
          ? `${key}:${typeOf(value)}`
          : `${key}=${JSON.stringify(value)}`,
      )
      .join(', ');
  const want = members(expected as Record<string, unknown>);
  const have = members(got as Record<string, unknown>);
  return have === want ? null : `body {${have}}\n  keygate {${want}}`;
}

/**
 * Sends each floor workload's request to keygate and to the floor, and fails unless the floor
 * answers keygate's bytes (reads, the 401) or keygate's shape (writes: {@link writeDifference}).
 * The writes run last in the workload order, so the reads compare the same database.
 */
export async function verifyFloor(
  floorUrl: string,
  keygateUrl: string,
  list: readonly Workload[],
  canned: readonly CannedResponse[],
): Promise<void> {
  for (const workload of list) {
    if (!FLOOR_WORKLOADS.has(workload.id)) continue;
    if (workload.id === 'create' || workload.id === 'patch') {
      const expected = await captureResponse(keygateUrl, workload.request, true);
      const answer = await captureResponse(floorUrl, workload.request, true);
      const difference = writeDifference(expected, answer, workload.id);
      if (difference !== null) {
        throw new Error(`${workload.title}: the floor does not answer as keygate does: ${difference}`);
      }
      continue;
    }
    const { method, path } = workload.request;
    const captured = canned.find((c) => c.method === method && c.url === path);
    if (captured === undefined) continue;
    // The floor replays the captured headers; the body is keygate's now (a captured create has
    // added a row since the list was captured).
    const { body } = await captureResponse(keygateUrl, workload.request);
    const expected = { ...captured, body };
    const answer = await captureResponse(floorUrl, workload.request);
    const difference = floorDifference(expected, answer, keygateUrl, floorUrl);
    if (difference !== null) {
      throw new Error(`${workload.title}: the floor does not answer keygate's bytes: ${difference}`);
    }
  }
}
