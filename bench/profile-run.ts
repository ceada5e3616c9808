// The profile run: the detail workload on SQLite under node --cpu-prof, summarised.
import { copyFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { measure, type Measurement } from './measure.js';
import { stopProcess } from './processes.js';
import { summariseProfileFile, type ProfileSummary, type TimeWindow } from './profile.js';
import {
  benchUserContext,
  prepareDatabase,
  quiet,
  SEED_PRODUCTS,
  seedProducts,
  seedUser,
  type Context,
} from './run-context.js';
import { freePort, startKeygate } from './servers.js';
import { workloads } from './workloads.js';

/** The detail workload under `node --cpu-prof`, summarised. */
export async function profileDetail(
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
    const [detail] = workloads(benchUserContext(token));
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
