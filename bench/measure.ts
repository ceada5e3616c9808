// One measurement: warm up, then wrk for the duration while the server's CPU and RSS are sampled.
import { join } from 'node:path';
import type { BenchOptions } from './options.js';
import { ResourceSampler } from './proc-stats.js';
import type { RunningProcess } from './processes.js';
import { runWrk, writeWrkScript, type HttpRequest } from './wrk.js';

/** What one target did under one workload. */
export interface Measurement {
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly meanMs: number;
  readonly maxMs: number;
  readonly requests: number;
  readonly non2xx: number;
  readonly socketErrors: number;
  /** Server CPU, % of one core, from utime+stime over the measured run. */
  readonly cpuPercent: number;
  /** Highest VmRSS sampled during the measured run, MiB (summed over worker processes). */
  readonly maxRssMiB: number;
  readonly processes: number;
  /** CPU other processes on the machine used meanwhile, % of one core (should be near 0). */
  readonly backgroundPercent: number;
  /** PostgreSQL server CPU meanwhile, % of one core (0 on SQLite). */
  readonly databasePercent: number;
}

/** A server under test. */
export interface Target {
  readonly label: string;
  readonly baseUrl: string;
  readonly process: RunningProcess;
}

let scriptCounter = 0;

/** Warms `target` up with `request`, then measures it. */
export async function measure(
  target: Target,
  request: HttpRequest,
  options: BenchOptions,
  scratchDir: string,
): Promise<Measurement> {
  const script = writeWrkScript(join(scratchDir, `wrk-${++scriptCounter}.lua`), request);
  const common = {
    baseUrl: target.baseUrl,
    script,
    connections: options.connections,
    threads: options.threads,
  };
  if (options.warmup > 0) await runWrk({ ...common, seconds: options.warmup });
  const sampler = new ResourceSampler(target.process.pid);
  sampler.start();
  let usage;
  let result;
  try {
    result = await runWrk({
      ...common,
      seconds: options.duration,
      onStart: (pid) => sampler.watchLoadGenerator(pid),
    });
  } finally {
    usage = sampler.stop();
  }
  return {
    requestsPerSecond: result.requestsPerSecond,
    p50Ms: result.latencyMs.p50,
    p99Ms: result.latencyMs.p99,
    meanMs: result.latencyMs.mean,
    maxMs: result.latencyMs.max,
    requests: result.requests,
    non2xx: result.non2xx,
    socketErrors: result.socketErrors,
    cpuPercent: usage.cpuPercent,
    maxRssMiB: usage.maxRssMiB,
    processes: usage.processes,
    backgroundPercent: usage.backgroundPercent,
    databasePercent: usage.databasePercent,
  };
}
