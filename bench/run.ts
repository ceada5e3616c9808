// npm run bench: keygate as shipped against a bare node:http server returning the same bytes and a
// Fastify floor doing each request's least work (floor-server.ts), under wrk.
// Flags: npm run bench -- --help. Results: printed, and written to bench/results/<timestamp>.{json,md}.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, release, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Argon2Baseline } from './argon2-baseline.js';
import { benchBackend } from './backend-run.js';
import { textTable } from './format.js';
import { parseOptions } from './options.js';
import { dropBenchDatabase, postgresAnswers } from './postgres.js';
import { installCleanup, runCommand, setNiceness, stopAll, wasInterrupted } from './processes.js';
import { formatProfileSummary } from './profile.js';
import { profileDetail } from './profile-run.js';
import { writeResults } from './report.js';
import type { BackendRun, BenchReport, Dialect, ScaleRun, WorkersRun } from './results.js';
import { say, type Context } from './run-context.js';
import { benchScale } from './scale-run.js';
import { serveSupportsWorkers, snapshotBuild, type BenchPaths } from './servers.js';
import { RUN_HEADER, runRows, runTitle } from './tables.js';
import { evaluateTargets } from './targets.js';
import { ensureWrk } from './wrk.js';

/** Runs the argon2 baseline in its own Node process, started like the servers (same priority). */
async function measureArgon2Apart(root: string): Promise<Argon2Baseline> {
  const result = await runCommand(
    'argon2 baseline',
    process.execPath,
    ['--import', 'tsx', join(root, 'bench/argon2-baseline.ts')],
    { cwd: root, prioritised: true, timeoutMs: 120_000 },
  );
  if (result.code !== 0) throw new Error(`argon2 baseline failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as Argon2Baseline;
}

/** The machine's description at the head of the report. */
function machineInfo(wrkVersion: string): Record<string, string | number> {
  return {
    nproc: availableParallelism(),
    cpu: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    kernel: release(),
    node: process.version,
    wrk: wrkVersion,
    loadAverageAtStart: loadavg()
      .map((l) => l.toFixed(2))
      .join(' '),
  };
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const tmp = mkdtempSync(join(tmpdir(), 'keygate-bench-'));
  const paths: BenchPaths = { root, tmp, app: join(tmp, 'app'), settings: options.settings };
  const ctx: Context = { options, paths, log: say, pgDatabaseExists: false };
  const startedAt = new Date().toISOString();
  const stamp = startedAt.replace(/[:.]/g, '-');
  const cleanup = async (): Promise<void> => {
    await stopAll();
    if (ctx.pgDatabaseExists) await dropBenchDatabase(options.pgUrl).catch(() => undefined);
    if (!options.keep) rmSync(paths.tmp, { recursive: true, force: true });
  };
  installCleanup(cleanup);
  setNiceness(options.nice);
  mkdirSync(join(root, 'bench/results'), { recursive: true });

  try {
    const wrkVersion = await ensureWrk(say);
    let build = { ok: true, output: 'skipped (--no-build)' };
    if (options.build) {
      say('building keygate (npm run build)...');
      const result = await runCommand('npm run build', 'npm', ['run', 'build', '--silent'], {
        cwd: root,
        timeoutMs: 300_000,
      });
      build = { ok: result.code === 0, output: `${result.stdout}${result.stderr}`.trim() };
      if (!build.ok)
        say(`warning: the build reported errors; benchmarking what tsc emitted:\n${build.output}`);
    }
    snapshotBuild(root, paths.app);
    const machine = machineInfo(wrkVersion);
    say(
      `machine: ${Object.entries(machine)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ')}`,
    );

    const skipped: string[] = [];
    const dialects: Dialect[] = ['sqlite'];
    if (options.pg !== 'off') {
      const pg = await postgresAnswers(options.pgUrl);
      if (pg.ok) dialects.push('postgres');
      else if (options.pg === 'on')
        throw new Error(`--pg: PostgreSQL does not answer at ${options.pgUrl}: ${pg.reason}`);
      else skipped.push(`PostgreSQL: skipped, no server answers at ${options.pgUrl} (${pg.reason})`);
    } else {
      skipped.push('PostgreSQL: skipped (--no-pg)');
    }

    if (options.profile) {
      const { summary, file, measurement } = await profileDetail(ctx, stamp);
      say(`\nprofile written to ${file}\n\n${formatProfileSummary(summary)}`);
      const report: BenchReport = {
        startedAt,
        command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
        machine,
        options,
        build,
        runs: [],
        workers: { available: false, reason: 'not run (--profile)' },
        scale: [],
        skipped,
        targets: [],
        profile: summary,
        profiledMeasurement: measurement,
      };
      writeResults(root, stamp, report, options);
      return;
    }

    let argon2: Argon2Baseline | undefined;
    if (options.only.includes('login')) {
      say("measuring a raw argon2 verify (@node-rs/argon2 called directly, at the servers' priority)...");
      argon2 = await measureArgon2Apart(root);
    }

    const workersSupported = options.workers > 1 && (await serveSupportsWorkers(paths));
    const runs: BackendRun[] = [];
    const workerRuns: BackendRun[] = [];
    for (const dialect of dialects) {
      const run = await benchBackend(ctx, dialect, 1);
      runs.push(run);
      say(`\n${runTitle(run, options)}\n${textTable(RUN_HEADER, runRows(run))}`);
      if (workersSupported) {
        const multi = await benchBackend(ctx, dialect, options.workers);
        workerRuns.push(multi);
        say(`\n${runTitle(multi, options)}\n${textTable(RUN_HEADER, runRows(multi))}`);
      }
    }
    const workers: WorkersRun =
      options.workers <= 1
        ? { available: false, reason: 'not run (--workers 0)' }
        : workersSupported
          ? { available: true, workers: options.workers, runs: workerRuns }
          : { available: false, reason: '`keygate serve --help` has no --workers option' };
    if (!workers.available) say(`\nworkers: not available (${workers.reason})`);

    const scale: ScaleRun[] = [];
    if (options.products > 0 || options.users > 0) {
      for (const run of runs) scale.push(await benchScale(ctx, run.dialect, run));
    }

    const report: BenchReport = {
      startedAt,
      command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
      machine,
      options,
      build,
      ...(argon2 !== undefined && { argon2 }),
      runs,
      workers,
      scale,
      skipped,
      targets: evaluateTargets(runs, workers, scale),
    };
    writeResults(root, stamp, report, options);
  } finally {
    await cleanup();
  }
}

main().catch((error: unknown) => {
  if (wasInterrupted()) return;
  process.stderr.write(
    `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
