// Results of a run: their shape, which is also the JSON file's.
import type { Argon2Baseline } from './argon2-baseline.js';
import type { Measurement } from './measure.js';
import type { ProfileSummary } from './profile.js';
import type { WorkloadId } from './workloads.js';

/** The databases a run measures. */
export type Dialect = 'sqlite' | 'postgres';

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
  /** The Fastify floor on the same database (reads, the 401 and the writes; one-process runs only). */
  readonly floor?: Measurement;
  /** keygate ÷ floor requests/s. */
  readonly floorRatio?: number;
  readonly p99Target: boolean;
  /** Share of the machine's CPU other processes used just before the measurement (all cores, %). */
  readonly backgroundBusyPercent?: number;
}

/** Every workload on one database with a given number of keygate processes. */
export interface BackendRun {
  readonly dialect: Dialect;
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
  readonly dialect: Dialect;
  readonly products: number;
  readonly users: number;
  readonly generateSeconds: number;
  readonly rows: readonly ScaleRow[];
}

/** One of the benchmark's targets, checked. */
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
