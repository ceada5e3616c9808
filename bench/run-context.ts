// What every phase of a run shares: options and paths, a fresh database, the seeded data, keygate's answers.
import { join } from 'node:path';
import { bodyText, captureResponse, type CannedResponse } from './canned-response.js';
import type { BenchOptions } from './options.js';
import { createBenchDatabase, dropBenchDatabase } from './postgres.js';
import { waitForQuiet } from './proc-stats.js';
import type { Dialect } from './results.js';
import { keygateCli, startKeygate, type BenchPaths } from './servers.js';
import type { Workload, WorkloadContext } from './workloads.js';

/** The benchmark's user, created through keygate's CLI (its token by `create-token`). */
export const BENCH_USER = 'benchuser';
/** Its password (the login workload sends it). */
export const BENCH_PASSWORD = 'bench password, long enough';
/** Products created through the API before measuring (the list workload reads 20 of them). */
export const SEED_PRODUCTS = 30;

/** What every phase needs. */
export interface Context {
  readonly options: BenchOptions;
  readonly paths: BenchPaths;
  readonly log: (line: string) => void;
  /** Set while the benchmark's PostgreSQL database exists, so every exit path drops it. */
  pgDatabaseExists: boolean;
}

/** Prints a line of progress. */
export function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** Waits for the machine to be idle (bounded); warns when it is not. Returns the busy share seen. */
export async function quiet(ctx: Context): Promise<number> {
  const busy = await waitForQuiet(ctx.options.quietWait);
  if (busy >= 10)
    ctx.log(`  warning: other processes use ${busy.toFixed(0)}% of the machine's CPU; numbers will be low`);
  return busy;
}

/** A fresh database for one phase: a SQLite file, or a PostgreSQL database created and migrated. */
export async function prepareDatabase(ctx: Context, dialect: Dialect, label: string): Promise<string> {
  if (dialect === 'sqlite') return `sqlite:${join(ctx.paths.tmp, `${label}.sqlite3`)}`;
  const url = await createBenchDatabase(ctx.options.pgUrl);
  ctx.pgDatabaseExists = true;
  await keygateCli(ctx.paths, url, ['migrate']);
  return url;
}

/** Drops the phase's PostgreSQL database (nothing to do on SQLite: the temporary directory goes). */
export async function dropDatabase(ctx: Context, dialect: Dialect): Promise<void> {
  if (dialect !== 'postgres' || !ctx.pgDatabaseExists) return;
  await dropBenchDatabase(ctx.options.pgUrl);
  ctx.pgDatabaseExists = false;
}

/** The workloads' context for the bench user's `token`: the detail reads `detailId`, the PATCH product 2. */
export function benchUserContext(token: string, detailId = 1): WorkloadContext {
  return { token, username: BENCH_USER, password: BENCH_PASSWORD, detailId, patchId: 2 };
}

/** Creates the benchmark user through the CLI and returns its token (DRF's drf_create_token). */

export async function seedUser(ctx: Context, databaseUrl: string): Promise<string> {
  await keygateCli(
    ctx.paths,
    databaseUrl,
    ['createuser', BENCH_USER, '--email', 'bench@example.com', '--password-stdin'],
    BENCH_PASSWORD,
  );
  const out = await keygateCli(ctx.paths, databaseUrl, ['create-token', BENCH_USER]);
  const match = /Generated token (\S+) for user/.exec(out.stdout);
  if (!match) throw new Error(`create-token printed no token: ${out.stdout}`);
  return match[1]!;
}

/** Creates products through the API, as a client would. */
export async function seedProducts(baseUrl: string, token: string, count: number): Promise<void> {
  for (let i = 1; i <= count; i++) {
    const response = await fetch(`${baseUrl}/product_api/`, {
      method: 'POST',
      headers: { Authorization: `Token ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        name: `Seed product ${i}`,
        description: `Seeded for the benchmark (${i})`,
        price: `${i}.50`,
        stock: i,
      }),
      signal: AbortSignal.timeout(30_000),
    });
    if (response.status !== 201)
      throw new Error(`seeding product ${i}: ${response.status} ${await response.text()}`);
  }
}

/** Starts keygate as shipped on `databaseUrl`, with `workers` processes when more than one. */
export function keygateStart(ctx: Context, databaseUrl: string, port: number, workers: number) {
  return startKeygate(ctx.paths, {
    databaseUrl,
    port,
    stderrFile: join(ctx.paths.tmp, 'keygate.stderr.log'),
    ...(workers > 1 && { workers }),
  });
}

/** Captures keygate's answer to each workload; a workload keygate cannot serve is marked unavailable. */
export async function captureAll(
  baseUrl: string,
  list: readonly Workload[],
): Promise<{ canned: CannedResponse[]; unavailable: Map<string, string> }> {
  const canned: CannedResponse[] = [];
  const unavailable = new Map<string, string>();
  for (const workload of list) {
    const response = await captureResponse(baseUrl, workload.request);
    if (response.status === workload.expectedStatus) {
      canned.push(response);
      continue;
    }
    const reason = `${workload.request.method} ${workload.request.path} answers ${response.status}: ${bodyText(response).slice(0, 120)}`;
    // /gettoken/ is being built; until it answers, it is reported rather than failing the run.
    if (workload.id === 'login') unavailable.set(workload.id, reason);
    else throw new Error(`${workload.title}: keygate ${reason}`);
  }
  return { canned, unavailable };
}
