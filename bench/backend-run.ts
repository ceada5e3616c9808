// One database's run: keygate (one or N processes), the bare server and the Fastify floor, under wrk.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FLOOR_WORKLOADS, startFloor, verifyFloor } from './floor.js';
import { measure, type Measurement, type Target } from './measure.js';
import { stopProcess, type RunningProcess } from './processes.js';
import type { BackendRun, Dialect, WorkloadResult } from './results.js';
import {
  benchUserContext,
  captureAll,
  dropDatabase,
  keygateStart,
  prepareDatabase,
  quiet,
  SEED_PRODUCTS,
  seedProducts,
  seedUser,
  type Context,
} from './run-context.js';
import { freePort, startBare } from './servers.js';
import { workloads } from './workloads.js';

/** The full workload set on one database with 1 or N keygate processes, paired with the bare server. */
export async function benchBackend(ctx: Context, dialect: Dialect, workers: number): Promise<BackendRun> {
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
    const context = benchUserContext(token);
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
      ctx.log(
        "  Fastify floor: answers keygate's bytes for the reads and the 401, keygate's shape for the writes",
      );
    }

    const results: WorkloadResult[] = [];
    for (const workload of list) {
      const base = {
        id: workload.id,
        title: workload.title,
        method: workload.request.method,
        path: workload.request.path,
        p99Target: workload.p99Target,
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
