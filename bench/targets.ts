// The benchmark's targets, checked against a run's results: a row per target and database; a miss says by how much.
import { cpuRatio, DIALECT_NAME, fmt, signed, verdict } from './format.js';
import type { BackendRun, Dialect, ScaleRun, TargetCheck, WorkersRun, WorkloadResult } from './results.js';
import { WORKLOAD_TITLES, type WorkloadId } from './workloads.js';

/** A bound on keygate ÷ a baseline's requests/s: the Fastify floor for the reads, bare node:http for the 401. */
export interface RatioTarget {
  readonly against: 'floor' | 'bare';
  readonly min: number;
}

const floor = (min: number): RatioTarget => ({ against: 'floor', min });
const bare = (min: number): RatioTarget => ({ against: 'bare', min });

/** The ratio targets by workload and database. */
const RATIO_TARGETS: Partial<Record<WorkloadId, Readonly<Record<Dialect, RatioTarget>>>> = {
  detail: { sqlite: floor(0.8), postgres: floor(0.9) },
  list: { sqlite: floor(0.8), postgres: floor(0.8) },
  unauthenticated: { sqlite: bare(0.4), postgres: bare(0.4) },
};

/** The workloads with a ratio target, in the report's order. */
const RATIO_WORKLOADS: readonly WorkloadId[] = ['detail', 'list', 'unauthenticated'];

/** p99 bound at 32 connections, for the reads and the writes. */
export const P99_TARGET_MS = 10;
/** Memory bound under every workload (the highest RSS sampled). */
export const RSS_TARGET_MIB = 200;
/** `--workers 2` at least this multiple of one worker's requests/s on the detail. */
export const WORKERS_TARGET = 1.4;
/** At the scale run, each read workload's requests/s within this many percent of the small database's. */
export const SCALE_TOLERANCE_PERCENT = 15;

/** The ratio target of a workload on a database, if it has one. */
export function ratioTarget(dialect: Dialect, id: WorkloadId): RatioTarget | undefined {
  return RATIO_TARGETS[id]?.[dialect];
}

/** keygate ÷ the target's baseline: requests/s (what the target bounds) and CPU per request. */
export function measuredRatio(
  w: WorkloadResult,
  target: RatioTarget,
): { readonly rps: number | undefined; readonly cpu: number | undefined } {
  return target.against === 'floor'
    ? { rps: w.floorRatio, cpu: cpuRatio(w.floor, w.keygate) }
    : { rps: w.ratio, cpu: cpuRatio(w.bare, w.keygate) };
}

/** The run table's target cell: `÷ floor >= 0.80 PASS`, or empty. */
export function ratioCell(run: BackendRun, w: WorkloadResult): string {
  const target = ratioTarget(run.dialect, w.id);
  if (target === undefined || run.workers > 1) return '';
  const { rps } = measuredRatio(w, target);
  if (rps === undefined) return '';
  return `÷ ${target.against} >= ${target.min.toFixed(2)} ${verdict(rps >= target.min)}`;
}

/**
 * A measured value, and on a miss the bound and the gap relative to it: `0.74 (needs 0.80,
 * -7.5%)`, `12.30 ms (needs < 10 ms, +23.0%)`.
 */
export function measuredText(
  value: number,
  bound: number,
  pass: boolean,
  show: (n: number) => string,
  relation = '',
): string {
  if (pass) return show(value);
  return `${show(value)} (needs ${relation}${show(bound)}, ${signed(((value - bound) / bound) * 100)})`;
}

const ratioText = (n: number): string => n.toFixed(2);

function ratioChecks(run: BackendRun): TargetCheck[] {
  const scope = DIALECT_NAME[run.dialect];
  const checks: TargetCheck[] = [];
  for (const id of RATIO_WORKLOADS) {
    const target = ratioTarget(run.dialect, id);
    if (target === undefined) continue;
    const w = run.workloads.find((r) => r.id === id);
    const title = w?.title ?? WORKLOAD_TITLES[id];
    const name = `${title}: keygate ÷ ${target.against} >= ${target.min.toFixed(2)} req/s`;
    const ratios = w?.available === true ? measuredRatio(w, target) : undefined;
    if (ratios?.rps === undefined) {
      const why =
        w === undefined ? 'not run' : w.available ? `no ${target.against} measurement` : 'not available';
      checks.push({ target: name, scope, value: why, pass: null });
      continue;
    }
    const pass = ratios.rps >= target.min;
    checks.push({
      target: name,
      scope,
      value: `${measuredText(ratios.rps, target.min, pass, ratioText)}; CPU ${fmt(ratios.cpu, 2)}`,
      pass,
    });
  }
  return checks;
}

function latencyAndMemoryChecks(run: BackendRun): TargetCheck[] {
  const scope = DIALECT_NAME[run.dialect];
  const checks: TargetCheck[] = [];
  const measured = run.workloads.filter((w) => w.available && w.keygate !== undefined);
  for (const w of measured) {
    if (!w.p99Target) continue;
    const p99 = w.keygate!.p99Ms;
    const pass = p99 < P99_TARGET_MS;
    checks.push({
      target: `${w.title}: p99 < ${P99_TARGET_MS} ms at 32 connections`,
      scope,
      value: measuredText(p99, P99_TARGET_MS, pass, (n) => `${n.toFixed(2)} ms`, '< '),
      pass,
    });
  }
  if (measured.length > 0) {
    const worst = measured.reduce((a, b) => (b.keygate!.maxRssMiB > a.keygate!.maxRssMiB ? b : a));
    const rss = worst.keygate!.maxRssMiB;
    const pass = rss < RSS_TARGET_MIB;
    checks.push({
      target: `RSS < ${RSS_TARGET_MIB} MB under every workload (the highest)`,
      scope,
      value: `${measuredText(rss, RSS_TARGET_MIB, pass, (n) => `${n.toFixed(0)} MiB`, '< ')} (${worst.id})`,
      pass,
    });
  }
  return checks;
}

function workersChecks(runs: readonly BackendRun[], workers: WorkersRun): TargetCheck[] {
  if (!workers.available) {
    return [
      {
        target: `--workers 2 >= ${WORKERS_TARGET}x one worker (detail req/s)`,
        scope: 'all',
        value: `workers: ${workers.reason}`,
        pass: null,
      },
    ];
  }
  return workers.runs.map((run): TargetCheck => {
    const target = `--workers ${workers.workers} >= ${WORKERS_TARGET}x one worker (detail req/s)`;
    const scope = DIALECT_NAME[run.dialect];
    const single = runs
      .find((r) => r.dialect === run.dialect)
      ?.workloads.find((w) => w.id === 'detail')?.keygate;
    const multi = run.workloads.find((w) => w.id === 'detail')?.keygate;
    if (single === undefined || multi === undefined) {
      return { target, scope, value: 'detail not measured', pass: null };
    }
    const speedup = multi.requestsPerSecond / single.requestsPerSecond;
    const pass = speedup >= WORKERS_TARGET;
    const value = measuredText(speedup, WORKERS_TARGET, pass, (n) => `${n.toFixed(2)}x`);
    return {
      target,
      scope,
      value: `${value}: ${fmt(multi.requestsPerSecond)} vs ${fmt(single.requestsPerSecond)} req/s`,
      pass,
    };
  });
}

function scaleChecks(scale: readonly ScaleRun[]): TargetCheck[] {
  const tolerance = SCALE_TOLERANCE_PERCENT;
  const target = (title: string) => `${title}: within ${tolerance}% of the small database's req/s at scale`;
  if (scale.length === 0) {
    return [{ target: target('reads'), scope: 'all', value: 'not run (--products/--users)', pass: null }];
  }
  return scale.flatMap((s) =>
    s.rows.map((row): TargetCheck => {
      const pass = row.rpsDiffPercent >= -tolerance;
      const short = pass
        ? ''
        : ` (needs >= -${tolerance}%, ${(-tolerance - row.rpsDiffPercent).toFixed(1)} points short)`;
      return {
        target: target(row.title),
        scope: `${DIALECT_NAME[s.dialect]}, ${fmt(s.products)} products / ${fmt(s.users)} users`,
        value: `${signed(row.rpsDiffPercent)}${short}`,
        pass,
      };
    }),
  );
}

/** Checks every target against the results (one-process runs, the workers' runs, the scale runs). */
export function evaluateTargets(
  runs: readonly BackendRun[],
  workers: WorkersRun,
  scale: readonly ScaleRun[],
): TargetCheck[] {
  return [
    ...runs.flatMap((run) => [...ratioChecks(run), ...latencyAndMemoryChecks(run)]),
    ...workersChecks(runs, workers),
    ...scaleChecks(scale),
  ];
}

/** The targets table's columns. */
export const TARGET_HEADER = ['target', 'where', 'measured', 'result'];

/** The rows of the targets table. */
export function targetRows(checks: readonly TargetCheck[]): string[][] {
  return checks.map((c) => [c.target, c.scope, c.value, verdict(c.pass)]);
}
