// The Fastify floor in a run: which workloads it serves, starting it, and the pre-flight byte check.
import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { bodyText, captureResponse, type CannedResponse } from './canned-response.js';
import { startProcess, type RunningProcess } from './processes.js';
import { waitForHttp, type BenchPaths } from './servers.js';
import type { Workload, WorkloadId } from './workloads.js';

/**
 * The workloads the floor answers: the reads and the 401. Writes and the login are not part of
 * the floor (issue 15 asks for a write floor separately).
 */
export const FLOOR_WORKLOADS: ReadonlySet<WorkloadId> = new Set(['detail', 'list', 'unauthenticated']);

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

/** Sends each floor workload's request to the floor and fails unless it answers keygate's bytes. */
export async function verifyFloor(
  floorUrl: string,
  keygateUrl: string,
  list: readonly Workload[],
  canned: readonly CannedResponse[],
): Promise<void> {
  for (const workload of list) {
    if (!FLOOR_WORKLOADS.has(workload.id)) continue;
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
