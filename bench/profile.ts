// Summarises a V8 .cpuprofile (node --cpu-prof): top self-time functions, time by package, top inclusive.
// Standalone: node --import tsx bench/profile.ts <file.cpuprofile> [--top 15]
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: readonly number[];
}

/** The parts of a .cpuprofile this summary reads. */
export interface CpuProfile {
  /** Microseconds on the monotonic clock (the one `process.hrtime` reads). */
  readonly startTime: number;
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** One line of a summary. */
export interface ProfileEntry {
  readonly name: string;
  readonly where: string;
  readonly ms: number;
  /** Share of the busy (non-idle) time. */
  readonly percent: number;
}

/** A profile, summarised. */
export interface ProfileSummary {
  readonly totalMs: number;
  readonly idleMs: number;
  readonly busyMs: number;
  readonly topSelf: readonly ProfileEntry[];
  readonly topInclusive: readonly ProfileEntry[];
  readonly byPackage: readonly ProfileEntry[];
}

const SPECIAL = new Set(['(idle)', '(program)', '(garbage collector)', '(root)']);

/** A short location: `keygate src/x.ts:12`, `fastify lib/route.js:40`, `node:internal/...:3`. */
function location(frame: CallFrame): string {
  if (frame.url === '') return SPECIAL.has(frame.functionName) ? '' : '(native)';
  const line = frame.lineNumber >= 0 ? `:${frame.lineNumber + 1}` : '';
  if (frame.url.startsWith('node:')) return `${frame.url}${line}`;
  const path = frame.url.replace(/^file:\/\//, '');
  const inModules = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(path);
  if (inModules) return `${inModules[1]} ${inModules[2]}${line}`;
  const own = /\/((?:dist|src|bench)\/.*)$/.exec(path);
  return `keygate ${own ? own[1] : path}${line}`;
}

/** The package or area a frame belongs to, for the by-package table. */
function area(frame: CallFrame): string {
  if (frame.url === '')
    return SPECIAL.has(frame.functionName) ? frame.functionName : '(native code: V8 builtins, C++)';
  if (frame.url.startsWith('node:')) return 'node: core modules';
  const inModules = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(frame.url);
  if (inModules) return inModules[1]!;
  return 'keygate (dist/ or src/)';
}

function entries(
  totals: Map<string, { name: string; where: string; ms: number }>,
  busyMs: number,
  top: number,
) {
  return [...totals.values()]
    .sort((a, b) => b.ms - a.ms)
    .slice(0, top)
    .map((e) => ({ ...e, percent: busyMs > 0 ? (e.ms / busyMs) * 100 : 0 }));
}

/** A stretch of the monotonic clock, in microseconds (`process.hrtime.bigint() / 1000n`). */
export interface TimeWindow {
  readonly startUs: number;
  readonly endUs: number;
}

/** Summarises a parsed profile; with `window`, only the samples taken inside it (e.g. under load). */
export function summariseProfile(profile: CpuProfile, top = 15, window?: TimeWindow): ProfileSummary {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<number, number>();
  // timeDeltas[i] is the gap before sample i, so sample i lasted until sample i + 1.
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i] ?? 0;
    if (window !== undefined && (at < window.startUs || at > window.endUs)) continue;
    const id = profile.samples[i]!;
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i + 1] ?? 0) / 1000);
  }
  let totalMs = 0;
  let idleMs = 0;
  for (const [id, ms] of self) {
    totalMs += ms;
    if (nodes.get(id)?.callFrame.functionName === '(idle)') idleMs += ms;
  }
  const busyMs = totalMs - idleMs;

  const selfTotals = new Map<string, { name: string; where: string; ms: number }>();
  const packageTotals = new Map<string, { name: string; where: string; ms: number }>();
  for (const [id, ms] of self) {
    const frame = nodes.get(id)!.callFrame;
    if (frame.functionName === '(idle)') continue;
    const name = frame.functionName || '(anonymous)';
    const where = location(frame);
    const key = `${name}\u0000${where}`;
    const entry = selfTotals.get(key) ?? { name, where, ms: 0 };
    entry.ms += ms;
    selfTotals.set(key, entry);
    const pkg = area(frame);
    const pkgEntry = packageTotals.get(pkg) ?? { name: pkg, where: '', ms: 0 };
    pkgEntry.ms += ms;
    packageTotals.set(pkg, pkgEntry);
  }

  // Inclusive time: self time of the subtree, counted once per function even when it recurses.
  const inclusiveTotals = new Map<string, { name: string; where: string; ms: number }>();
  const subtree = new Map<number, number>();
  const subtreeMs = (id: number): number => {
    const cached = subtree.get(id);
    if (cached !== undefined) return cached;
    // Iterative post-order walk: the profile tree can be deeper than the JavaScript stack allows.
    const stack: Array<{ id: number; visited: boolean }> = [{ id, visited: false }];
    while (stack.length > 0) {
      const item = stack.pop()!;
      const node = nodes.get(item.id)!;
      if (item.visited) {
        const sum = (node.children ?? []).reduce((s, c) => s + (subtree.get(c) ?? 0), self.get(item.id) ?? 0);
        subtree.set(item.id, sum);
      } else {
        stack.push({ id: item.id, visited: true });
        for (const child of node.children ?? []) stack.push({ id: child, visited: false });
      }
    }
    return subtree.get(id) ?? 0;
  };
  const root = profile.nodes[0];
  if (root !== undefined) {
    subtreeMs(root.id);
    const active = new Map<string, number>();
    const walk: Array<{ id: number; leaving: boolean }> = [{ id: root.id, leaving: false }];
    while (walk.length > 0) {
      const item = walk.pop()!;
      const frame = nodes.get(item.id)!.callFrame;
      const name = frame.functionName || '(anonymous)';
      const where = location(frame);
      const key = `${name}\u0000${where}`;
      if (item.leaving) {
        active.set(key, (active.get(key) ?? 1) - 1);
        continue;
      }
      if (!SPECIAL.has(frame.functionName) && (active.get(key) ?? 0) === 0) {
        const entry = inclusiveTotals.get(key) ?? { name, where, ms: 0 };
        entry.ms += subtree.get(item.id) ?? 0;
        inclusiveTotals.set(key, entry);
      }
      active.set(key, (active.get(key) ?? 0) + 1);
      walk.push({ id: item.id, leaving: true });
      for (const child of nodes.get(item.id)!.children ?? []) walk.push({ id: child, leaving: false });
    }
  }
  // Entries without a source location (anonymous wrappers of everything) say nothing.
  for (const [key, entry] of inclusiveTotals)
    if (entry.where === '' || entry.where === '(native)') inclusiveTotals.delete(key);

  return {
    totalMs,
    idleMs,
    busyMs,
    topSelf: entries(selfTotals, busyMs, top),
    topInclusive: entries(inclusiveTotals, busyMs, top * 2),
    byPackage: entries(packageTotals, busyMs, 20),
  };
}

/** Reads and summarises a .cpuprofile file. */
export function summariseProfileFile(file: string, top = 15, window?: TimeWindow): ProfileSummary {
  return summariseProfile(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, top, window);
}

function table(title: string, rows: readonly ProfileEntry[]): string {
  const lines = [
    title,
    `${'#'.padStart(3)}  ${'% busy'.padStart(7)}  ${'ms'.padStart(9)}  function  (where)`,
  ];
  rows.forEach((row, i) => {
    lines.push(
      `${String(i + 1).padStart(3)}  ${row.percent.toFixed(1).padStart(7)}  ${row.ms.toFixed(0).padStart(9)}  ${row.name}${row.where ? `  (${row.where})` : ''}`,
    );
  });
  return lines.join('\n');
}

/** The summary as text tables. */
export function formatProfileSummary(summary: ProfileSummary): string {
  return [
    `profile: ${(summary.totalMs / 1000).toFixed(1)} s sampled, ${(summary.busyMs / 1000).toFixed(1)} s busy, ${(summary.idleMs / 1000).toFixed(1)} s idle; percentages are of busy time`,
    '',
    table(`Top ${summary.topSelf.length} functions by self time`, summary.topSelf),
    '',
    table('Time by package (self time)', summary.byPackage),
    '',
    table(`Top ${summary.topInclusive.length} functions by inclusive time`, summary.topInclusive),
  ].join('\n');
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values, positionals } = parseArgs({
    options: { top: { type: 'string', default: '15' } },
    allowPositionals: true,
  });
  const file = positionals[0];
  if (file === undefined) {
    process.stderr.write('usage: profile.ts <file.cpuprofile> [--top 15]\n');
    process.exit(2);
  }
  process.stdout.write(`${formatProfileSummary(summariseProfileFile(file, Number(values.top)))}\n`);
}
