// The scale run: keygate's reads on a generated large database, next to the small database's figures.
import { generateData } from './generate.js';
import { measure, type Target } from './measure.js';
import { stopProcess, type RunningProcess } from './processes.js';
import type { BackendRun, Dialect, ScaleRun } from './results.js';
import {
  benchUserContext,
  captureAll,
  dropDatabase,
  keygateStart,
  prepareDatabase,
  quiet,
  SEED_PRODUCTS,
  seedUser,
  type Context,
} from './run-context.js';
import { freePort } from './servers.js';
import { workloads } from './workloads.js';

/** Detail and first-page list on a generated large database, next to the small database's figures. */
export async function benchScale(ctx: Context, dialect: Dialect, small: BackendRun): Promise<ScaleRun> {
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
    const context = benchUserContext(token, generated.middleProductId ?? 1);
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
