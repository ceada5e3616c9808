// The benchmark's targets table from made-up results: what passes, what misses and by how much, what cannot be measured.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Measurement } from '../../bench/measure.js';
import type { BackendRun, Dialect, ScaleRun, WorkersRun, WorkloadResult } from '../../bench/results.js';
import { evaluateTargets, targetRows } from '../../bench/targets.js';
import type { WorkloadId } from '../../bench/workloads.js';

/** A measurement at `rps` requests/s using a whole core, so its CPU µs/req is 1e6 / rps. */
function measured(rps: number, extra: Partial<Measurement> = {}): Measurement {
  return {
    requestsPerSecond: rps,
    p50Ms: 2,
    p99Ms: 5,
    meanMs: 2,
    maxMs: 8,
    requests: rps * 10,
    non2xx: 0,
    socketErrors: 0,
    cpuPercent: 100,
    maxRssMiB: 120,
    processes: 1,
    backgroundPercent: 0,
    databasePercent: 0,
    ...extra,
  };
}

/** keygate at `rps` beside bare at `bareRps` and, when given, the floor at `floorRps`. */
function result(
  id: WorkloadId,
  rps: number,
  bareRps: number,
  floorRps?: number,
  extra: Partial<Measurement> = {},
): WorkloadResult {
  const keygate = measured(rps, extra);
  return {
    id,
    title: id,
    method: 'GET',
    path: '/',
    available: true,
    p99Target: id !== 'login',
    bare: measured(bareRps),
    keygate,
    ratio: rps / bareRps,
    ...(floorRps !== undefined && { floor: measured(floorRps), floorRatio: rps / floorRps }),
  };
}

function run(dialect: Dialect, workloads: WorkloadResult[], workers = 1): BackendRun {
  return { dialect, workers, workloads };
}

const scaleRun = (dialect: Dialect, rpsDiffPercent: number): ScaleRun => ({
  dialect,
  products: 1_000_000,
  users: 100_000,
  generateSeconds: 60,
  rows: [
    {
      id: 'detail',
      title: 'detail',
      path: '/product_api/1/',
      small: measured(1000),
      scaled: measured(1000 * (1 + rpsDiffPercent / 100)),
      rpsDiffPercent,
      p50DiffPercent: 0,
    },
  ],
});

/** The targets as `target | where -> measured RESULT`, for readable assertions. */
function table(runs: BackendRun[], workers: WorkersRun, scale: ScaleRun[]): string[] {
  return targetRows(evaluateTargets(runs, workers, scale)).map(
    ([target, where, value, verdict]) => `${target} | ${where} -> ${value} ${verdict}`,
  );
}

describe('bench targets', () => {
  it('passes every target a good run meets, with the floor CPU ratio beside the req/s ratio', () => {
    const sqlite = run('sqlite', [
      result('detail', 850, 2000, 1000),
      result('list', 820, 2000, 1000),
      result('unauthenticated', 1000, 2000),
      result('create', 500, 2000, 600),
      result('patch', 500, 2000, 600),
    ]);
    const postgres = run('postgres', [result('detail', 950, 2000, 1000), result('list', 800, 2000, 1000)]);
    const workers: WorkersRun = {
      available: true,
      workers: 2,
      runs: [
        run('sqlite', [result('detail', 1300, 2000)], 2),
        run('postgres', [result('detail', 1425, 2000)], 2),
      ],
    };
    const rows = table([sqlite, postgres], workers, [scaleRun('sqlite', -5)]);
    assert.deepEqual(rows, [
      'detail: keygate ÷ floor >= 0.80 req/s | SQLite -> 0.85; CPU 0.85 PASS',
      'list: keygate ÷ floor >= 0.80 req/s | SQLite -> 0.82; CPU 0.82 PASS',
      'unauthenticated: keygate ÷ bare >= 0.40 req/s | SQLite -> 0.50; CPU 0.50 PASS',
      'detail: p99 < 10 ms at 32 connections | SQLite -> 5.00 ms PASS',
      'list: p99 < 10 ms at 32 connections | SQLite -> 5.00 ms PASS',
      'unauthenticated: p99 < 10 ms at 32 connections | SQLite -> 5.00 ms PASS',
      'create: p99 < 10 ms at 32 connections | SQLite -> 5.00 ms PASS',
      'patch: p99 < 10 ms at 32 connections | SQLite -> 5.00 ms PASS',
      'RSS < 200 MB under every workload (the highest) | SQLite -> 120 MiB (detail) PASS',
      'detail: keygate ÷ floor >= 0.90 req/s | PostgreSQL -> 0.95; CPU 0.95 PASS',
      'list: keygate ÷ floor >= 0.80 req/s | PostgreSQL -> 0.80; CPU 0.80 PASS',
      'GET list, no token: 401: keygate ÷ bare >= 0.40 req/s | PostgreSQL -> not run n/a',
      'detail: p99 < 10 ms at 32 connections | PostgreSQL -> 5.00 ms PASS',
      'list: p99 < 10 ms at 32 connections | PostgreSQL -> 5.00 ms PASS',
      'RSS < 200 MB under every workload (the highest) | PostgreSQL -> 120 MiB (detail) PASS',
      '--workers 2 >= 1.4x one worker (detail req/s) | SQLite -> 1.53x: 1,300 vs 850 req/s PASS',
      '--workers 2 >= 1.4x one worker (detail req/s) | PostgreSQL -> 1.50x: 1,425 vs 950 req/s PASS',
      "detail: within 15% of the small database's req/s at scale | SQLite, 1,000,000 products / 100,000 users -> -5.0% PASS",
    ]);
  });

  it('says by how much each target is missed', () => {
    const sqlite = run('sqlite', [
      // The floor ratio misses while keygate's CPU per request is within the bound: both are shown.
      result('detail', 740, 2000, 1000, { cpuPercent: 75 }),
      result('unauthenticated', 700, 2000),
      result('create', 400, 2000, 600, { p99Ms: 12.3, maxRssMiB: 230 }),
    ]);
    const postgres = run('postgres', [result('detail', 850, 2000, 1000)]);
    const workers: WorkersRun = {
      available: true,
      workers: 2,
      runs: [run('sqlite', [result('detail', 888, 2000)], 2)],
    };
    const rows = table([sqlite, postgres], workers, [scaleRun('postgres', -20)]);
    const miss = (prefix: string) => rows.find((r) => r.startsWith(prefix) && r.endsWith(' MISS'));
    assert.equal(
      miss('detail: keygate ÷ floor >= 0.80'),
      'detail: keygate ÷ floor >= 0.80 req/s | SQLite -> 0.74 (needs 0.80, -7.5%); CPU 0.99 MISS',
    );
    assert.equal(
      miss('unauthenticated: keygate ÷ bare'),
      'unauthenticated: keygate ÷ bare >= 0.40 req/s | SQLite -> 0.35 (needs 0.40, -12.5%); CPU 0.35 MISS',
    );
    assert.equal(
      miss('detail: keygate ÷ floor >= 0.90'),
      'detail: keygate ÷ floor >= 0.90 req/s | PostgreSQL -> 0.85 (needs 0.90, -5.6%); CPU 0.85 MISS',
    );
    assert.equal(
      miss('create: p99'),
      'create: p99 < 10 ms at 32 connections | SQLite -> 12.30 ms (needs < 10.00 ms, +23.0%) MISS',
    );
    assert.equal(
      miss('RSS'),
      'RSS < 200 MB under every workload (the highest) | SQLite -> 230 MiB (needs < 200 MiB, +15.0%) (create) MISS',
    );
    assert.equal(
      miss('--workers'),
      '--workers 2 >= 1.4x one worker (detail req/s) | SQLite -> 1.20x (needs 1.40x, -14.3%): 888 vs 740 req/s MISS',
    );
    assert.equal(
      miss('detail: within'),
      "detail: within 15% of the small database's req/s at scale | PostgreSQL, 1,000,000 products / 100,000 users -> -20.0% (needs >= -15%, 5.0 points short) MISS",
    );
    assert.equal(rows.filter((r) => r.endsWith(' MISS')).length, 7);
  });

  it('marks what was not measured n/a: no floor, no workers, no scale run', () => {
    const noFloor = result('detail', 900, 2000);
    const rows = table([run('sqlite', [noFloor])], { available: false, reason: 'not run (--workers 0)' }, []);
    assert.ok(rows.includes('detail: keygate ÷ floor >= 0.80 req/s | SQLite -> no floor measurement n/a'));
    assert.ok(rows.includes('GET list of 20 (auth): keygate ÷ floor >= 0.80 req/s | SQLite -> not run n/a'));
    assert.ok(
      rows.includes(
        '--workers 2 >= 1.4x one worker (detail req/s) | all -> workers: not run (--workers 0) n/a',
      ),
    );
    assert.ok(
      rows.includes(
        "reads: within 15% of the small database's req/s at scale | all -> not run (--products/--users) n/a",
      ),
    );
  });
});
