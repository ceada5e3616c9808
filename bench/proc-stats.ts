// Server CPU and memory from /proc: utime+stime deltas and sampled VmRSS, over a process and its children.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** Kernel clock ticks per second (the unit of utime/stime). */
export const CLOCK_TICKS = (() => {
  const out = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
  const ticks = Number(out.stdout?.trim());
  return Number.isInteger(ticks) && ticks > 0 ? ticks : 100;
})();

interface StatFields {
  readonly ppid: number;
  readonly ticks: number;
}

function readStat(pid: number): StatFields | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name (field 2) may hold spaces and parentheses: split after the last ')'.
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // rest[0] is field 3 (state): field n is rest[n - 3]; ppid = 4, utime = 14, stime = 15.
  return { ppid: Number(rest[1]), ticks: Number(rest[11]) + Number(rest[12]) };
}

/** `pid` and every live descendant (a server's worker processes). */
export function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readStat(Number(name));
    if (stat === null) continue;
    const siblings = children.get(stat.ppid) ?? [];
    siblings.push(Number(name));
    children.set(stat.ppid, siblings);
  }
  const tree: number[] = [];
  const queue = [pid];
  // Bounded: each pid is visited once, and /proc lists finitely many.
  while (queue.length > 0 && tree.length < 10_000) {
    const next = queue.shift()!;
    if (tree.includes(next)) continue;
    tree.push(next);
    queue.push(...(children.get(next) ?? []));
  }
  return tree;
}

/** Every process whose command name is `name` (e.g. the PostgreSQL server's `postgres` processes). */
export function processesNamed(name: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === name) found.push(Number(entry));
    } catch {
      // Ended while listing.
    }
  }
  return found;
}

/** CPU time (user + system) of the processes, in clock ticks. */
export function cpuTicks(pids: readonly number[]): number {
  return pids.reduce((sum, pid) => sum + (readStat(pid)?.ticks ?? 0), 0);
}

/** Resident memory of the processes, in KiB (VmRSS). */
export function rssKiB(pids: readonly number[]): number {
  let total = 0;
  for (const pid of pids) {
    try {
      const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (match) total += Number(match[1]);
    } catch {
      // The process ended between listing and reading.
    }
  }
  return total;
}

/** What a sampler saw over one measured run. */
export interface ResourceUsage {
  /** CPU used, as % of one core (200 = both cores of this machine busy). */
  readonly cpuPercent: number;
  /** Highest sampled resident memory of the process tree, MiB. */
  readonly maxRssMiB: number;
  /** Processes in the tree (1, or 1 + workers). */
  readonly processes: number;
  /**
   * CPU used by everything else on the machine during the run (not the server, not wrk, not this
   * process), % of one core: other work competing for the two cores, which makes the numbers low.
   */
  readonly backgroundPercent: number;
  /** CPU of the PostgreSQL server processes during the run, % of one core (0 on SQLite). */
  readonly databasePercent: number;
}

/** Samples a process tree's CPU and RSS between `start()` and `stop()`. */
export class ResourceSampler {
  readonly #pid: number;
  readonly #intervalMs: number;
  #timer: NodeJS.Timeout | null = null;
  #startTicks = 0;
  #startedAt = 0;
  #maxRssKiB = 0;
  #pids: number[] = [];
  /** The load generator's processes and the CPU ticks last seen for each (they exit before stop()). */
  readonly #loadTicks = new Map<number, number>();
  #startSystem = { busy: 0, total: 0 };
  #startSelf: NodeJS.CpuUsage = { user: 0, system: 0 };
  #databaseStart = new Map<number, number>();

  constructor(pid: number, intervalMs = 200) {
    this.#pid = pid;
    this.#intervalMs = intervalMs;
  }

  #samples = 0;

  #sample(): void {
    // Listing /proc costs more than reading a few files: refresh the tree every 5th sample only.
    if (this.#samples++ % 5 === 0) this.#pids = processTree(this.#pid);
    this.#maxRssKiB = Math.max(this.#maxRssKiB, rssKiB(this.#pids));
    for (const pid of this.#loadTicks.keys()) {
      const ticks = cpuTicks([pid]);
      if (ticks > 0) this.#loadTicks.set(pid, ticks);
    }
  }

  /** Accounts a load-generator process (wrk), started after `start()`, as not background. */
  watchLoadGenerator(pid: number): void {
    this.#loadTicks.set(pid, 0);
  }

  /** Begins measuring. */
  start(): void {
    this.#sample();
    this.#startTicks = cpuTicks(this.#pids);
    this.#databaseStart = new Map(processesNamed('postgres').map((pid) => [pid, cpuTicks([pid])]));
    this.#startSystem = systemJiffies();
    this.#startSelf = process.cpuUsage();
    this.#startedAt = performance.now();
    this.#timer = setInterval(() => this.#sample(), this.#intervalMs);
  }

  /** Ends measuring and returns the usage. */
  stop(): ResourceUsage {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
    this.#samples = 0;
    this.#sample();
    const seconds = (performance.now() - this.#startedAt) / 1000;
    const serverTicks = cpuTicks(this.#pids) - this.#startTicks;
    const system = systemJiffies();
    const self = process.cpuUsage(this.#startSelf);
    const selfTicks = ((self.user + self.system) / 1e6) * CLOCK_TICKS;
    const loadTicks = [...this.#loadTicks.values()].reduce((a, b) => a + b, 0);
    // PostgreSQL backends opened during the run count from zero.
    const databaseTicks = processesNamed('postgres').reduce(
      (sum, pid) => sum + Math.max(0, cpuTicks([pid]) - (this.#databaseStart.get(pid) ?? 0)),
      0,
    );
    const otherTicks = Math.max(
      0,
      system.busy - this.#startSystem.busy - serverTicks - loadTicks - selfTicks - databaseTicks,
    );
    const percentOfCore = (ticks: number): number =>
      seconds > 0 ? (ticks / CLOCK_TICKS / seconds) * 100 : 0;
    return {
      cpuPercent: percentOfCore(serverTicks),
      maxRssMiB: this.#maxRssKiB / 1024,
      processes: this.#pids.length,
      backgroundPercent: percentOfCore(otherTicks),
      databasePercent: percentOfCore(databaseTicks),
    };
  }
}

function systemJiffies(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  const fields = line.trim().split(/\s+/).slice(1, 9).map(Number);
  const total = fields.reduce((a, b) => a + b, 0);
  // idle (4th) and iowait (5th) are the time nobody computed.
  return { busy: total - (fields[3] ?? 0) - (fields[4] ?? 0), total };
}

/** Share of the whole machine's CPU (all cores) busy over the next `ms`, in %. */
export async function machineBusyPercent(ms = 1000): Promise<number> {
  const before = systemJiffies();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const after = systemJiffies();
  const total = after.total - before.total;
  return total > 0 ? ((after.busy - before.busy) / total) * 100 : 0;
}

/**
 * Waits (at most `maxSeconds`) until the machine is quiet: less than `thresholdPercent` of all
 * cores busy over one second. Returns the last busy share seen, to be reported with the numbers.
 */
export async function waitForQuiet(maxSeconds: number, thresholdPercent = 10): Promise<number> {
  const deadline = performance.now() + maxSeconds * 1000;
  let busy = await machineBusyPercent();
  while (busy >= thresholdPercent && performance.now() < deadline) busy = await machineBusyPercent();
  return busy;
}
