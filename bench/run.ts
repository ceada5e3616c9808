// npm run bench: keygate as shipped against a bare node:http server returning the same bytes and a
// Fastify floor doing the reads' least work (floor-server.ts), under wrk.
// Flags: npm run bench -- --help. Results: printed, and written to bench/results/<timestamp>.{json,md}.
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, release, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Argon2Baseline } from './argon2-baseline.js';
import { bodyText, captureResponse, type CannedResponse } from './canned-response.js';
import { FLOOR_WORKLOADS, startFloor, verifyFloor } from './floor.js';
import { generateData } from './generate.js';
import { measure, type Measurement, type Target } from './measure.js';
import { parseOptions, type BenchOptions } from './options.js';
import { createBenchDatabase, dropBenchDatabase, postgresAnswers } from './postgres.js';
import { waitForQuiet } from './proc-stats.js';
import {
  installCleanup,
  runCommand,
  setNiceness,
  stopAll,
  stopProcess,
  wasInterrupted,
  type RunningProcess,
} from './processes.js';
import {
  formatProfileSummary,
  summariseProfileFile,
  type ProfileSummary,
  type TimeWindow,
} from './profile.js';
import {
  evaluateTargets,
  loginLines,
  LEGEND,
  markdownTable,
  noisyMeasurements,
  profiledLine,
  RUN_HEADER,
  runRows,
  runTitle,
  SCALE_HEADER,
  scaleRows,
  scaleTitle,
  TARGET_HEADER,
  targetRows,
  textTable,
  type BackendRun,
  type BenchReport,
  type ScaleRun,
  type WorkersRun,
  type WorkloadResult,
} from './report.js';
import {
  freePort,
  keygateCli,
  serveSupportsWorkers,
  snapshotBuild,
  startBare,
  startKeygate,
  type BenchPaths,
} from './servers.js';
import { workloads, type Workload, type WorkloadContext } from './workloads.js';
import { ensureWrk } from './wrk.js';

type Dialect = 'sqlite' | 'postgres';

const BENCH_USER = 'benchuser';
const BENCH_PASSWORD = 'bench password, long enough';
/** Products created through the API before measuring (the list workload reads 20 of them). */
const SEED_PRODUCTS = 30;

/** What every phase needs. */
interface Context {
  readonly options: BenchOptions;
  readonly paths: BenchPaths;
  readonly log: (line: string) => void;
  /** Set while the benchmark's PostgreSQL database exists, so every exit path drops it. */
  pgDatabaseExists: boolean;
}

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** Waits for the machine to be idle (bounded); warns when it is not. Returns the busy share seen. */
async function quiet(ctx: Context): Promise<number> {
  const busy = await waitForQuiet(ctx.options.quietWait);
  if (busy >= 10)
    ctx.log(`  warning: other processes use ${busy.toFixed(0)}% of the machine's CPU; numbers will be low`);
  return busy;
}

async function prepareDatabase(ctx: Context, dialect: Dialect, label: string): Promise<string> {
  if (dialect === 'sqlite') return `sqlite:${join(ctx.paths.tmp, `${label}.sqlite3`)}`;
  const url = await createBenchDatabase(ctx.options.pgUrl);
  ctx.pgDatabaseExists = true;
  await keygateCli(ctx.paths, url, ['migrate']);
  return url;
}

async function dropDatabase(ctx: Context, dialect: Dialect): Promise<void> {
  if (dialect !== 'postgres' || !ctx.pgDatabaseExists) return;
  await dropBenchDatabase(ctx.options.pgUrl);
  ctx.pgDatabaseExists = false;
}

/** Creates the benchmark user through the CLI and returns its token (DRF's drf_create_token). */
async function seedUser(ctx: Context, databaseUrl: string): Promise<string> {
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
async function seedProducts(baseUrl: string, token: string, count: number): Promise<void> {
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

function keygateStart(ctx: Context, databaseUrl: string, port: number, workers: number) {
  return startKeygate(ctx.paths, {
    databaseUrl,
    port,
    stderrFile: join(ctx.paths.tmp, 'keygate.stderr.log'),
    ...(workers > 1 && { workers }),
  });
}

/** Captures keygate's answer to each workload; a workload keygate cannot serve is marked unavailable. */
async function captureAll(
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

/** The full workload set on one database with 1 or N keygate processes, paired with the bare server. */
async function benchBackend(ctx: Context, dialect: Dialect, workers: number): Promise<BackendRun> {
  const label = `${dialect}-${workers}`;
  ctx.log(`\n== ${dialect}, ${workers} process(es): preparing a fresh database`);
  const databaseUrl = await prepareDatabase(ctx, dialect, label);
  const processes: RunningProcess[] = [];
  try {
    const token = await seedUser(ctx, databaseUrl);
    const kgPort = await freePort();
    const keygate = await keygateStart(ctx, databaseUrl, kgPort, workers);
    processes.push(keygate);
    const kgUrl = `http://127.0.0.1:${kgPort}`;
    await seedProducts(kgUrl, token, SEED_PRODUCTS);
    const context: WorkloadContext = {
      token,
      username: BENCH_USER,
      password: BENCH_PASSWORD,
      detailId: 1,
      patchId: 2,
    };
    const list = workloads(context).filter((w) => ctx.options.only.includes(w.id));
    const { canned, unavailable } = await captureAll(kgUrl, list);
    const responsesFile = join(ctx.paths.tmp, `responses-${label}.json`);
    writeFileSync(responsesFile, JSON.stringify(canned));
    const barePort = await freePort();
    const bare = await startBare(ctx.paths, barePort, responsesFile);
    processes.push(bare);
    const bareTarget: Target = { label: 'bare', baseUrl: `http://127.0.0.1:${barePort}`, process: bare };
    const kgTarget: Target = { label: 'keygate', baseUrl: kgUrl, process: keygate };
    // The Fastify floor on the same database, next to one keygate process (one process itself).
    let floorTarget: Target | undefined;
    if (workers === 1 && list.some((w) => FLOOR_WORKLOADS.has(w.id))) {
      const floorPort = await freePort();
      const floor = await startFloor(ctx.paths, floorPort, databaseUrl, responsesFile);
      processes.push(floor);
      floorTarget = { label: 'floor', baseUrl: `http://127.0.0.1:${floorPort}`, process: floor };
      await verifyFloor(floorTarget.baseUrl, kgUrl, list, canned);
      ctx.log("  Fastify floor: answers keygate's bytes for the detail, the list and the 401");
    }

    const results: WorkloadResult[] = [];
    for (const workload of list) {
      const base = {
        id: workload.id,
        title: workload.title,
        method: workload.request.method,
        path: workload.request.path,
        p99Target: workload.p99Target,
        ...(workload.minRatio !== undefined && { minRatio: workload.minRatio }),
      };
      const reason = unavailable.get(workload.id);
      if (reason !== undefined) {
        ctx.log(`  ${workload.title}: not available (${reason})`);
        results.push({ ...base, available: false, note: reason });
        continue;
      }
      const backgroundBusyPercent = await quiet(ctx);
      ctx.log(`  ${workload.title}: bare...`);
      const bareResult = await measure(bareTarget, workload.request, ctx.options, ctx.paths.tmp);
      let floorResult: Measurement | undefined;
      if (floorTarget !== undefined && FLOOR_WORKLOADS.has(workload.id)) {
        ctx.log(`  ${workload.title}: floor...`);
        floorResult = await measure(floorTarget, workload.request, ctx.options, ctx.paths.tmp);
      }
      ctx.log(`  ${workload.title}: keygate...`);
      const kgResult = await measure(kgTarget, workload.request, ctx.options, ctx.paths.tmp);
      const ratio = kgResult.requestsPerSecond / bareResult.requestsPerSecond;
      const floorRatio = floorResult && kgResult.requestsPerSecond / floorResult.requestsPerSecond;
      ctx.log(
        `    bare ${bareResult.requestsPerSecond.toFixed(0)} req/s, ` +
          (floorResult ? `floor ${floorResult.requestsPerSecond.toFixed(0)} req/s, ` : '') +
          `keygate ${kgResult.requestsPerSecond.toFixed(0)} req/s, ratio ${ratio.toFixed(2)}` +
          (floorRatio !== undefined ? `, ÷ floor ${floorRatio.toFixed(2)}` : ''),
      );
      const expectedNon2xx = workload.expectedStatus >= 400;
      const note =
        !expectedNon2xx && kgResult.non2xx > 0
          ? `keygate answered ${kgResult.non2xx} non-2xx responses`
          : kgResult.socketErrors > 0
            ? `${kgResult.socketErrors} socket errors`
            : undefined;
      if (note !== undefined) ctx.log(`    warning: ${note}`);
      results.push({
        ...base,
        available: true,
        bare: bareResult,
        keygate: kgResult,
        ratio,
        ...(floorResult !== undefined && { floor: floorResult, floorRatio }),
        backgroundBusyPercent,
        ...(note !== undefined && { note }),
      });
    }
    return { dialect, workers, workloads: results };
  } finally {
    for (const p of processes.reverse()) await stopProcess(p, 'SIGTERM', 15_000);
    await dropDatabase(ctx, dialect);
  }
}

/** Detail and first-page list on a generated large database, next to the small database's figures. */
async function benchScale(ctx: Context, dialect: Dialect, small: BackendRun): Promise<ScaleRun> {
  const { products, users } = ctx.options;
  ctx.log(`\n== scale, ${dialect}: generating ${products} products and ${users} users with tokens`);
  const databaseUrl = await prepareDatabase(ctx, dialect, `${dialect}-scale`);
  let keygate: RunningProcess | null = null;
  try {
    const generated = await generateData({
      databaseUrl,
      products: Math.max(products, SEED_PRODUCTS),
      users,
      log: ctx.log,
    });
    ctx.log(`  generated in ${generated.seconds.toFixed(1)} s`);
    const token = generated.sampleUser?.token ?? (await seedUser(ctx, databaseUrl));
    const port = await freePort();
    keygate = await keygateStart(ctx, databaseUrl, port, 1);
    const target: Target = { label: 'keygate', baseUrl: `http://127.0.0.1:${port}`, process: keygate };
    const context: WorkloadContext = {
      token,
      username: BENCH_USER,
      password: BENCH_PASSWORD,
      detailId: generated.middleProductId ?? 1,
      patchId: 2,
    };
    const list = workloads(context).filter((w) => w.id === 'detail' || w.id === 'list');
    await captureAll(target.baseUrl, list);
    const rows = [];
    for (const workload of list) {
      const smallResult = small.workloads.find((w) => w.id === workload.id)?.keygate;
      if (smallResult === undefined) continue;
      await quiet(ctx);
      ctx.log(`  ${workload.title} (${workload.request.path}): keygate...`);
      const scaled = await measure(target, workload.request, ctx.options, ctx.paths.tmp);
      const rpsDiffPercent =
        ((scaled.requestsPerSecond - smallResult.requestsPerSecond) / smallResult.requestsPerSecond) * 100;
      ctx.log(`    ${scaled.requestsPerSecond.toFixed(0)} req/s (${rpsDiffPercent.toFixed(1)}% vs small)`);
      rows.push({
        id: workload.id,
        title: workload.title,
        path: workload.request.path,
        small: smallResult,
        scaled,
        rpsDiffPercent,
        p50DiffPercent: ((scaled.p50Ms - smallResult.p50Ms) / smallResult.p50Ms) * 100,
      });
    }
    return {
      dialect,
      products: Math.max(products, SEED_PRODUCTS),
      users,
      generateSeconds: generated.seconds,
      rows,
    };
  } finally {
    if (keygate !== null) await stopProcess(keygate, 'SIGTERM', 15_000);
    await dropDatabase(ctx, dialect);
  }
}

/** The detail workload under `node --cpu-prof`, summarised. */
async function profileDetail(
  ctx: Context,
  stamp: string,
): Promise<{ summary: ProfileSummary; file: string; measurement: Measurement }> {
  ctx.log('\n== profile: detail workload on SQLite under node --cpu-prof');
  const databaseUrl = await prepareDatabase(ctx, 'sqlite', 'profile');
  const token = await seedUser(ctx, databaseUrl);
  const profileDir = join(ctx.paths.tmp, 'cpu-profile');
  const port = await freePort();
  const keygate = await startKeygate(ctx.paths, {
    databaseUrl,
    port,
    cpuProfileDir: profileDir,
    stderrFile: join(ctx.paths.tmp, 'keygate.stderr.log'),
  });
  const nowUs = (): number => Number(process.hrtime.bigint() / 1000n);
  let window: TimeWindow;
  let measurement: Measurement;
  try {
    const baseUrl = `http://127.0.0.1:${port}`;
    await seedProducts(baseUrl, token, SEED_PRODUCTS);
    await quiet(ctx);
    const [detail] = workloads({
      token,
      username: BENCH_USER,
      password: BENCH_PASSWORD,
      detailId: 1,
      patchId: 2,
    });
    // Only the samples taken under load count: start-up and seeding are left out of the summary.
    const startUs = nowUs();
    measurement = await measure(
      { label: 'keygate', baseUrl, process: keygate },
      detail!.request,
      ctx.options,
      ctx.paths.tmp,
    );
    window = { startUs, endUs: nowUs() };
    ctx.log(
      `  ${measurement.requestsPerSecond.toFixed(0)} req/s, p99 ${measurement.p99Ms.toFixed(2)} ms under the profiler`,
    );
  } finally {
    // SIGTERM: keygate shuts down gracefully and exits, which is when V8 writes the profile.
    await stopProcess(keygate, 'SIGTERM', 20_000);
  }
  const written = readdirSync(profileDir).filter((f) => f.endsWith('.cpuprofile'));
  if (written.length === 0) throw new Error('node --cpu-prof wrote no profile (did keygate exit cleanly?)');
  const kept = join(ctx.paths.root, 'bench/results', `${stamp}-detail.cpuprofile`);
  copyFileSync(join(profileDir, written[0]!), kept);
  return { summary: summariseProfileFile(kept, 15, window), file: kept, measurement };
}

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

function renderReport(report: BenchReport, options: BenchOptions): { text: string; markdown: string } {
  const text: string[] = [];
  const md: string[] = [`# keygate benchmark ${report.startedAt}`, '', `\`${report.command}\``, ''];
  md.push(
    Object.entries(report.machine)
      .map(([k, v]) => `${k}: ${v}`)
      .join(', '),
    '',
  );
  if (!report.build.ok) {
    text.push('warning: `npm run build` reported errors; the JavaScript tsc emitted anyway was benchmarked');
    md.push('**`npm run build` reported errors; the JavaScript tsc emitted anyway was benchmarked.**', '');
  }
  for (const skipped of report.skipped) {
    text.push(skipped);
    md.push(`- ${skipped}`);
  }
  const allRuns = [...report.runs, ...(report.workers.available ? report.workers.runs : [])];
  for (const run of allRuns) {
    text.push('', runTitle(run, options), textTable(RUN_HEADER, runRows(run)));
    md.push('', `## ${runTitle(run, options)}`, '', markdownTable(RUN_HEADER, runRows(run)));
  }
  text.push('', LEGEND);
  md.push('', LEGEND);
  const noisy = noisyMeasurements(allRuns);
  if (noisy.length > 0) {
    const shown = noisy.length > 6 ? [...noisy.slice(0, 6), '...'] : noisy;
    const warning = `warning: other processes used more than 20% of a core during ${noisy.length} measurement(s) (${shown.join(', ')}); rerun on an idle machine`;
    text.push(warning);
    md.push('', `**${warning}**`);
  }
  if (!report.workers.available) {
    text.push('', `workers: not available (${report.workers.reason})`);
    md.push('', `workers: not available (${report.workers.reason})`);
  }
  const login = loginLines(allRuns, report.argon2);
  if (login.length > 0) {
    text.push('', 'Login (POST /gettoken/) against raw argon2', ...login.map((l) => `  ${l}`));
    md.push('', '## Login (POST /gettoken/) against raw argon2', '', ...login.map((l) => `- ${l}`));
  }
  for (const scale of report.scale) {
    text.push('', scaleTitle(scale), textTable(SCALE_HEADER, scaleRows(scale)));
    md.push('', `## ${scaleTitle(scale)}`, '', markdownTable(SCALE_HEADER, scaleRows(scale)));
  }
  if (report.targets.length > 0) {
    text.push('', 'Targets (issue 6)', textTable(TARGET_HEADER, targetRows(report.targets)));
    md.push('', '## Targets (issue 6)', '', markdownTable(TARGET_HEADER, targetRows(report.targets)));
  }
  if (report.profile !== undefined) {
    const line = report.profiledMeasurement ? profiledLine(report.profiledMeasurement) : '';
    text.push('', line, formatProfileSummary(report.profile));
    md.push(
      '',
      '## Profile of the detail workload',
      '',
      line,
      '',
      '```',
      formatProfileSummary(report.profile),
      '```',
    );
  }
  return { text: text.join('\n'), markdown: `${md.join('\n')}\n` };
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

function writeResults(root: string, stamp: string, report: BenchReport, options: BenchOptions): void {
  const { text, markdown } = renderReport(report, options);
  say(`\n==================== results ====================\n${text}`);
  const base = join(root, 'bench/results', stamp);
  writeFileSync(`${base}.json`, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(`${base}.md`, markdown);
  say(`\nwritten: ${base}.json and ${base}.md`);
}

main().catch((error: unknown) => {
  if (wasInterrupted()) return;
  process.stderr.write(
    `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
