// The report's tables and lines: a run per database, the login against argon2, the scale runs.
import type { Argon2Baseline } from './argon2-baseline.js';
import { cpuMicrosPerRequest, cpuRatio, DIALECT_NAME, fmt, signed, verdict } from './format.js';
import type { Measurement } from './measure.js';
import type { BackendRun, ScaleRun } from './results.js';
import { ratioCell, SCALE_TOLERANCE_PERCENT } from './targets.js';

/** The columns of a run's table. */
export const RUN_HEADER = [
  'workload',
  'server',
  'req/s',
  'p50 ms',
  'p99 ms',
  'CPU %',
  'CPU µs/req',
  'RSS MiB',
  'non-2xx',
  'ratio',
  'CPU ratio',
  'floor ratio',
  'floor CPU ratio',
  'target',
  'db CPU %',
  'bg CPU %',
] as const;

type RunColumn = (typeof RUN_HEADER)[number];

/** A table row from cells by column name (the others empty). */
function runRow(cells: Partial<Record<RunColumn, string>>): string[] {
  return RUN_HEADER.map((column) => cells[column] ?? '');
}

function measurementCells(m: Measurement | undefined, dialect: BackendRun['dialect']) {
  return {
    'req/s': fmt(m?.requestsPerSecond),
    'p50 ms': fmt(m?.p50Ms, 2),
    'p99 ms': fmt(m?.p99Ms, 2),
    'CPU %': fmt(m?.cpuPercent),
    'CPU µs/req': fmt(cpuMicrosPerRequest(m)),
    'RSS MiB': fmt(m?.maxRssMiB),
    'non-2xx': fmt(m?.non2xx),
    'bg CPU %': fmt(m?.backgroundPercent),
    ...(dialect === 'postgres' && { 'db CPU %': fmt(m?.databasePercent) }),
  };
}

/** The rows of one backend run's table: bare, the floor where it was measured, keygate. */
export function runRows(run: BackendRun): string[][] {
  const rows: string[][] = [];
  for (const w of run.workloads) {
    if (!w.available) {
      rows.push(
        runRow({ workload: w.title, server: 'keygate', 'req/s': 'not available', target: w.note ?? '' }),
      );
      continue;
    }
    const bare = measurementCells(w.bare, run.dialect);
    rows.push(runRow({ workload: w.title, server: 'bare', ...bare, 'db CPU %': '' }));
    if (w.floor !== undefined)
      rows.push(runRow({ server: 'floor', ...measurementCells(w.floor, run.dialect) }));
    const target = ratioCell(run, w);
    rows.push(
      runRow({
        server: run.workers > 1 ? `keygate x${run.workers}` : 'keygate',
        ...measurementCells(w.keygate, run.dialect),
        ratio: fmt(w.ratio, 2),
        'CPU ratio': fmt(cpuRatio(w.bare, w.keygate), 2),
        ...(w.floor !== undefined && {
          'floor ratio': fmt(w.floorRatio, 2),
          'floor CPU ratio': fmt(cpuRatio(w.floor, w.keygate), 2),
        }),
        target,
      }),
    );
  }
  return rows;
}

/** What the columns mean, printed under the tables. */
export const LEGEND =
  'req/s and latency from wrk; CPU % = server process(es), % of one core (utime+stime over the run); ' +
  'CPU µs/req = that CPU time per request; CPU ratio = bare ÷ keygate CPU µs/req (the req/s ratio if each ' +
  'server had a core to itself; steadier than req/s on a busy machine); ' +
  'RSS = highest VmRSS sampled every 200 ms; ratio = keygate ÷ bare req/s; floor = a Fastify route doing the ' +
  'least the request needs (SHA-256 of the key, one token⋈user read, the product or the page with its count; ' +
  "for the writes Fastify's JSON parser, a minimal field check and one INSERT/UPDATE ... RETURNING; " +
  "JSON.stringify, no logging) on the same database, answering keygate's bytes (reads, the 401) or keygate's " +
  'status, headers and JSON shape (writes; not the login); ' +
  'floor ratio = keygate ÷ floor req/s; floor CPU ratio = floor ÷ keygate CPU µs/req; ' +
  'db CPU % = PostgreSQL server processes; ' +
  'bg CPU % = every other process on the machine during the run (should be near 0; above 20 the numbers are low).';

/** Measurements taken while other processes competed for the CPU (bg CPU % above `limit`). */
export function noisyMeasurements(runs: readonly BackendRun[], limit = 20): string[] {
  const noisy: string[] = [];
  for (const run of runs) {
    for (const w of run.workloads) {
      for (const [server, m] of [
        ['bare', w.bare],
        ['floor', w.floor],
        ['keygate', w.keygate],
      ] as const) {
        if (m !== undefined && m.backgroundPercent > limit) {
          noisy.push(`${run.dialect} ${w.id} ${server}: ${m.backgroundPercent.toFixed(0)}%`);
        }
      }
    }
  }
  return noisy;
}

/** Title line of a backend run. */
export function runTitle(
  run: BackendRun,
  options: { duration: number; warmup: number; connections: number },
): string {
  const processes = run.workers > 1 ? `keygate serve --workers ${run.workers}` : 'keygate serve (1 process)';
  const floor = run.workloads.some((w) => w.floor !== undefined) ? ' and the Fastify floor' : '';
  return `${DIALECT_NAME[run.dialect]}, ${processes} vs bare node:http${floor} — wrk -t1 -c${options.connections} -d${options.duration}s after a ${options.warmup} s warm-up`;
}

/** Text for the login workload next to the raw argon2 cost. */
export function loginLines(runs: readonly BackendRun[], argon2: Argon2Baseline | undefined): string[] {
  const lines: string[] = [];
  if (argon2 !== undefined) {
    lines.push(
      `raw argon2 verify (${argon2.parameters}), @node-rs/argon2 called directly: ${argon2.verifyMedianMs.toFixed(1)} ms wall ` +
        `and ${argon2.verifyCpuMs.toFixed(1)} ms CPU per verify one at a time; ${fmt(argon2.parallelVerifiesPerSecond)} verifies/s with 32 in flight`,
    );
  }
  for (const run of runs) {
    const login = run.workloads.find((w) => w.id === 'login');
    if (login === undefined) continue;
    const where = `${DIALECT_NAME[run.dialect]}${run.workers > 1 ? ` x${run.workers}` : ''}`;
    if (!login.available || login.keygate === undefined) {
      lines.push(`POST /gettoken/ on ${where}: not available (${login.note ?? 'no measurement'})`);
      continue;
    }
    const k = login.keygate;
    if (k.requests === 0) {
      lines.push(`POST /gettoken/ on ${where}: no login completed within the run`);
      continue;
    }
    const cpuMs = (k.cpuPercent / 100 / k.requestsPerSecond) * 1000;
    const versus =
      argon2 === undefined
        ? ''
        : ` (${(cpuMs / argon2.verifyCpuMs).toFixed(2)}x a raw verify's ${argon2.verifyCpuMs.toFixed(1)} ms); ` +
          `${((k.requestsPerSecond / argon2.parallelVerifiesPerSecond) * 100).toFixed(0)}% of the raw verifies/s`;
    lines.push(
      `POST /gettoken/ on ${where}: ${fmt(k.requestsPerSecond)} logins/s; ${cpuMs.toFixed(1)} ms server CPU per login${versus}; ` +
        `latency p50 ${fmt(k.p50Ms, 1)} ms with 32 in flight`,
    );
  }
  return lines;
}

/** The columns of a scale run's table. */
export const SCALE_HEADER = [
  'workload',
  'small req/s',
  'scaled req/s',
  'diff',
  'small p50',
  'scaled p50',
  'p50 diff',
  'scaled p99',
  'RSS MiB',
  'target',
  'bg CPU %',
];

/** The rows of one scale run's table. */
export function scaleRows(scale: ScaleRun): string[][] {
  return scale.rows.map((row) => [
    row.title,
    fmt(row.small.requestsPerSecond),
    fmt(row.scaled.requestsPerSecond),
    signed(row.rpsDiffPercent),
    fmt(row.small.p50Ms, 2),
    fmt(row.scaled.p50Ms, 2),
    signed(row.p50DiffPercent),
    fmt(row.scaled.p99Ms, 2),
    fmt(row.scaled.maxRssMiB),
    `within ${SCALE_TOLERANCE_PERCENT}% ${verdict(row.rpsDiffPercent >= -SCALE_TOLERANCE_PERCENT)}`,
    fmt(row.scaled.backgroundPercent),
  ]);
}

/** Title line of a scale run. */
export function scaleTitle(scale: ScaleRun): string {
  return `Scale, ${DIALECT_NAME[scale.dialect]}: ${fmt(scale.products)} products, ${fmt(scale.users)} users with tokens (generated in ${scale.generateSeconds.toFixed(1)} s) vs the small database`;
}

/** One line on the profiled run. */
export function profiledLine(m: Measurement): string {
  return `under the profiler: ${fmt(m.requestsPerSecond)} req/s, p50 ${fmt(m.p50Ms, 2)} ms, p99 ${fmt(m.p99Ms, 2)} ms, CPU ${fmt(m.cpuPercent)}%`;
}
