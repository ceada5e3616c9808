// `serve --workers N`: a primary process that forks N servers on one port and keeps them alive.
import cluster, { type Address, type Worker } from 'node:cluster';
import { writeSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { LineFormat } from './logs/log-format.js';
import { textLine } from './logs/text-line.js';

/** How long the primary waits for workers to finish in-flight requests after SIGTERM/SIGINT. */
export const WORKER_SHUTDOWN_MS = 15_000;
/** A worker that dies sooner than this after starting counts as a crash loop and is restarted later. */
const FAST_FAILURE_MS = 2_000;
const MAX_RESTART_DELAY_MS = 10_000;

/** Parses `--workers`: a positive integer or `auto` (one per core). */
export function parseWorkerCount(value: string): number {
  if (value === 'auto') return availableParallelism();
  if (!/^\d{1,3}$/.test(value) || Number(value) < 1)
    throw new Error(`--workers: expected a number >= 1 or auto, got ${value}`);
  return Number(value);
}

/** Whether this process is a worker forked by `runPrimary`. */
export function isWorker(): boolean {
  return cluster.isWorker;
}

/** How the primary writes to stdout. */
export interface PrimaryOptions {
  /** How its log lines are written, as the workers write theirs; default `json`. */
  readonly format?: LineFormat;
  /** The start-up banner, printed once when the first worker listens (at `address`). */
  readonly banner?: (address: { readonly address: string; readonly port: number }) => string;
}

/**
 * Writes to stdout at once, in one write: short text is never split by the workers' writes. Not
 * through process.stdout, which would make a piped stdout non-blocking for every process sharing
 * it. A stdout whose reader went away (EPIPE) loses the text; the primary supervises on. (A reader
 * that stalls holds the primary in this write, as any synchronous logger would; its lines are few.)
 */
function writeOut(text: string): void {
  try {
    writeSync(1, text);
  } catch {
    // Nowhere to report it: stdout is where reports go.
  }
}

/** What the primary logs, as pino's lines (it has no pino instance of its own). */
function log(format: LineFormat, message: string, fields: Record<string, unknown> = {}): void {
  const line = `${JSON.stringify({ level: 30, time: Date.now(), pid: process.pid, msg: message, ...fields })}\n`;
  writeOut(format === 'text' ? textLine(line) : line);
}

/**
 * Forks `count` workers that each run this same command line, restarts any that die (backing off
 * when they die straight after starting), and on SIGTERM/SIGINT asks every worker to shut down
 * gracefully, killing those still running after WORKER_SHUTDOWN_MS. Resolves when all have exited.
 */
export function runPrimary(count: number, options: PrimaryOptions = {}): Promise<number> {
  const format = options.format ?? 'json';
  // Workers accept connections themselves; the primary stays out of the request path.
  cluster.schedulingPolicy = cluster.SCHED_NONE;
  let stopping = false;
  let restartDelay = 0;
  const started = new Map<number, number>();

  const fork = (): void => {
    // A replacement whose back-off ends after shutdown began would never be asked to stop.
    if (stopping) return;
    const worker = cluster.fork();
    started.set(worker.id, Date.now());
  };

  return new Promise((resolve) => {
    cluster.on('exit', (worker: Worker, code, signal) => {
      const lived = Date.now() - (started.get(worker.id) ?? 0);
      started.delete(worker.id);
      if (stopping) {
        if (Object.keys(cluster.workers ?? {}).length === 0) resolve(0);
        return;
      }
      restartDelay = lived < FAST_FAILURE_MS ? Math.min(MAX_RESTART_DELAY_MS, restartDelay * 2 || 250) : 0;
      log(format, 'worker exited; starting a replacement', {
        worker: worker.process.pid,
        code,
        signal,
        inMs: restartDelay,
      });
      setTimeout(fork, restartDelay);
    });

    const stop = (signal: NodeJS.Signals): void => {
      if (stopping) return;
      stopping = true;
      log(format, 'shutting down workers', { signal });
      const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
      if (workers.length === 0) resolve(0);
      for (const worker of workers) worker.process.kill('SIGTERM');
      setTimeout(() => {
        for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGKILL');
        resolve(1);
      }, WORKER_SHUTDOWN_MS).unref();
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);

    const { banner } = options;
    if (banner !== undefined) {
      cluster.once('listening', (_worker: Worker, address: Address) => {
        writeOut(banner({ address: address.address ?? '0.0.0.0', port: address.port ?? 0 }));
      });
    }
    for (let i = 0; i < count; i++) fork();
    log(format, 'started workers', { workers: count });
  });
}
