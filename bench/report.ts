// Results of a run: their shape (also the JSON file's), the issue's targets checked, and text tables.
import type { Argon2Baseline } from './argon2-baseline.js';
import type { Measurement } from './measure.js';
import type { ProfileSummary } from './profile.js';
import {
  P99_TARGET_MS,
  RSS_TARGET_MIB,
  SCALE_TOLERANCE,
  WORKERS_TARGET,
  type WorkloadId,
} from './workloads.js';

/** One workload on one database: bare, the floor where it applies, and keygate, with the ratios. */
export interface WorkloadResult {
  readonly id: WorkloadId;
  readonly title: string;
  readonly method: string;
  readonly path: string;
  /** False when keygate cannot serve it (e.g. `/gettoken/` answering 404). */
  readonly available: boolean;
  readonly note?: string;
  readonly bare?: Measurement;
  readonly keygate?: Measurement;
  /** keygate ÷ bare requests/s. */
  readonly ratio?: number;
  /** The Fastify floor on the same database (reads and the 401, one-process runs only). */
  readonly floor?: Measurement;
  /** keygate ÷ floor requests/s. */
  readonly floorRatio?: number;
  readonly minRatio?: number;
  readonly p99Target: boolean;
  /** Share of the machine's CPU other processes used just before the measurement (all cores, %). */
  readonly backgroundBusyPercent?: number;
}

/** Every workload on one database with a given number of keygate processes. */
export interface BackendRun {
  readonly dialect: 'sqlite' | 'postgres';
  readonly workers: number;
  readonly workloads: readonly WorkloadResult[];
}

/** `keygate serve --workers N`, when the CLI has it. */
export type WorkersRun =
  | { readonly available: false; readonly reason: string }
  | {
      readonly available: true;
      readonly workers: number;
      readonly runs: readonly BackendRun[];
    };

/** One row of the scale comparison. */
export interface ScaleRow {
  readonly id: WorkloadId;
  readonly title: string;
  readonly path: string;
  readonly small: Measurement;
  readonly scaled: Measurement;
  /** (scaled - small) / small requests/s, in %. */
  readonly rpsDiffPercent: number;
  readonly p50DiffPercent: number;
}

/** The scale run on one database. */
export interface ScaleRun {
  readonly dialect: 'sqlite' | 'postgres';
  readonly products: number;
  readonly users: number;
  readonly generateSeconds: number;
  readonly rows: readonly ScaleRow[];
}

/** One of the issue's targets, checked. */
export interface TargetCheck {
  readonly target: string;
  readonly scope: string;
  readonly value: string;
  /** null: could not be measured (the feature is not available). */
  readonly pass: boolean | null;
}

/** Everything a run produced; written as JSON. */
export interface BenchReport {
  readonly startedAt: string;
  readonly command: string;
  readonly machine: Readonly<Record<string, string | number>>;
  readonly options: object;
  readonly build: { readonly ok: boolean; readonly output: string };
  readonly argon2?: Argon2Baseline;
  readonly runs: readonly BackendRun[];
  readonly workers: WorkersRun;
  readonly scale: readonly ScaleRun[];
  readonly skipped: readonly string[];
  readonly targets: readonly TargetCheck[];
  readonly profile?: ProfileSummary;
  /** The detail workload's numbers while it was being profiled (slower than unprofiled). */
  readonly profiledMeasurement?: Measurement;
}

const DIALECT_NAME = { sqlite: 'SQLite', postgres: 'PostgreSQL' } as const;

function fmt(value: number | undefined, digits = 0): string {
  if (value === undefined || !Number.isFinite(value)) return '-';
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function signed(value: number): string {
  return `${value >= 0 ? '+' : ''}${value.toFixed(1)}%`;
}

function verdict(pass: boolean | null): string {
  return pass === null ? 'n/a' : pass ? 'PASS' : 'MISS';
}

/** Lays out rows as an aligned text table (numbers right-aligned), with a header rule. */
export function textTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const numeric = header.map((_, c) => rows.every((r) => /^[-+]?[\d,.]*%?$|^-$|^$/.test(r[c] ?? '')));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, c) => (numeric[c] ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** A Markdown table of the same rows. */
export function markdownTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const line = (cells: readonly string[]): string =>
    `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

const RUN_HEADER = [
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

/** Server CPU time per request, µs: the cost of a request, less sensitive than req/s to a busy machine. */
export function cpuMicrosPerRequest(m: Measurement | undefined): number | undefined {
  if (m === undefined || m.requestsPerSecond <= 0) return undefined;
  return (m.cpuPercent / 100 / m.requestsPerSecond) * 1e6;
}

/** bare ÷ keygate CPU per request: the req/s ratio both would reach if each had a core to itself. */
export function cpuRatio(
  bare: Measurement | undefined,
  keygate: Measurement | undefined,
): number | undefined {
  const b = cpuMicrosPerRequest(bare);
  const k = cpuMicrosPerRequest(keygate);
  return b === undefined || k === undefined || k === 0 ? undefined : b / k;
}

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
    const target =
      w.minRatio === undefined ? '' : `>= ${w.minRatio.toFixed(2)} ${verdict((w.ratio ?? 0) >= w.minRatio)}`;
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
  'least the read needs (SHA-256 of the key, one token⋈user read, the product or the page with its count, ' +
  "JSON.stringify, no logging) on the same database, answering keygate's bytes (reads and the 401 only); " +
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

const SCALE_HEADER = [
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
    `within ${SCALE_TOLERANCE * 100}% ${verdict(row.rpsDiffPercent >= -SCALE_TOLERANCE * 100)}`,
    fmt(row.scaled.backgroundPercent),
  ]);
}

/** Title line of a scale run. */
export function scaleTitle(scale: ScaleRun): string {
  return `Scale, ${DIALECT_NAME[scale.dialect]}: ${fmt(scale.products)} products, ${fmt(scale.users)} users with tokens (generated in ${scale.generateSeconds.toFixed(1)} s) vs the small database`;
}

export { SCALE_HEADER, RUN_HEADER };

/** One line on the profiled run. */
export function profiledLine(m: Measurement): string {
  return `under the profiler: ${fmt(m.requestsPerSecond)} req/s, p50 ${fmt(m.p50Ms, 2)} ms, p99 ${fmt(m.p99Ms, 2)} ms, CPU ${fmt(m.cpuPercent)}%`;
}

/** Checks every target of issue 6 against the results. */
export function evaluateTargets(
  runs: readonly BackendRun[],
  workers: WorkersRun,
  scale: readonly ScaleRun[],
): TargetCheck[] {
  const checks: TargetCheck[] = [];
  for (const run of runs) {
    const scope = `${DIALECT_NAME[run.dialect]}${run.workers > 1 ? ` x${run.workers}` : ''}`;
    for (const w of run.workloads) {
      if (!w.available || w.keygate === undefined) continue;
      if (w.minRatio !== undefined && run.workers === 1) {
        checks.push({
          target: `${w.title}: keygate ÷ bare >= ${w.minRatio}`,
          scope,
          value: (w.ratio ?? 0).toFixed(2),
          pass: (w.ratio ?? 0) >= w.minRatio,
        });
      }
      if (w.p99Target) {
        checks.push({
          target: `${w.title}: p99 < ${P99_TARGET_MS} ms at 32 connections`,
          scope,
          value: `${w.keygate.p99Ms.toFixed(2)} ms`,
          pass: w.keygate.p99Ms < P99_TARGET_MS,
        });
      }
    }
    const measured = run.workloads.filter((w) => w.keygate !== undefined);
    if (measured.length > 0) {
      const maxRss = Math.max(...measured.map((w) => w.keygate!.maxRssMiB));
      checks.push({
        target: `RSS under load < ${RSS_TARGET_MIB} MB (max over workloads)`,
        scope,
        value: `${maxRss.toFixed(0)} MiB`,
        pass: maxRss < RSS_TARGET_MIB,
      });
    }
  }
  for (const s of scale) {
    for (const row of s.rows) {
      checks.push({
        target: `${row.title} at ${fmt(s.products)} products / ${fmt(s.users)} users within ${SCALE_TOLERANCE * 100}% of small`,
        scope: DIALECT_NAME[s.dialect],
        value: `${signed(row.rpsDiffPercent)} req/s`,
        pass: row.rpsDiffPercent >= -SCALE_TOLERANCE * 100,
      });
    }
  }
  if (!workers.available) {
    checks.push({
      target: `--workers 2 >= ${WORKERS_TARGET}x one worker (detail)`,
      scope: 'all',
      value: 'workers: not available',
      pass: null,
    });
  } else {
    for (const run of workers.runs) {
      const single = runs
        .find((r) => r.dialect === run.dialect)
        ?.workloads.find((w) => w.id === 'detail')?.keygate;
      const multi = run.workloads.find((w) => w.id === 'detail')?.keygate;
      if (single === undefined || multi === undefined) continue;
      const speedup = multi.requestsPerSecond / single.requestsPerSecond;
      checks.push({
        target: `--workers ${workers.workers} >= ${WORKERS_TARGET}x one worker (detail)`,
        scope: DIALECT_NAME[run.dialect],
        value: `${speedup.toFixed(2)}x`,
        pass: speedup >= WORKERS_TARGET,
      });
    }
  }
  return checks;
}

const TARGET_HEADER = ['target', 'where', 'measured', 'result'];

/** The rows of the targets table. */
export function targetRows(checks: readonly TargetCheck[]): string[][] {
  return checks.map((c) => [c.target, c.scope, c.value, verdict(c.pass)]);
}

export { TARGET_HEADER };
