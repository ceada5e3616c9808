// Command-line flags of `npm run bench`.
import { parseArgs } from 'node:util';
import { SETTINGS } from '../src/config/index.js';
import { DEFAULT_PG_ADMIN_URL } from './postgres.js';
import { WORKLOAD_IDS, type WorkloadId } from './workloads.js';

/** How a benchmark run is configured. */
export interface BenchOptions {
  /** Seconds of each measured wrk run. */
  readonly duration: number;
  /** Seconds of the warm-up run before each measurement. */
  readonly warmup: number;
  readonly connections: number;
  readonly threads: number;
  /** PostgreSQL: 'auto' runs it when a server answers. */
  readonly pg: 'auto' | 'on' | 'off';
  readonly pgUrl: string;
  /** Processes for the multi-process run (0: skip it). */
  readonly workers: number;
  /** Scale run sizes (0 and 0: no scale run). */
  readonly products: number;
  readonly users: number;
  /** Only profile the detail workload under `node --cpu-prof`. */
  readonly profile: boolean;
  readonly build: boolean;
  readonly only: readonly WorkloadId[];
  /** Keep the temporary directory (databases, logs) for inspection. */
  readonly keep: boolean;
  /** Before each workload, wait at most this long for the machine to be quiet (other processes idle). */
  readonly quietWait: number;
  /** Settings for every keygate process (`--set NAME=VALUE`), e.g. TOKEN_CACHE_MS=0. */
  readonly settings: Readonly<Record<string, string>>;
  /** Niceness of the servers and wrk (`--priority N` gives -N: ahead of other work on a shared machine). */
  readonly nice: number;
}

/** The usage text. */
export const USAGE = `usage: npm run bench -- [flags]

  --duration S        seconds per measured run (default 10)
  --warmup S          seconds of warm-up before each run (default 2)
  --quick             smoke run: 3 s runs, 1 s warm-ups
  --pg / --no-pg      PostgreSQL too (default: when ${DEFAULT_PG_ADMIN_URL} answers)
  --pg-url URL        maintenance database URL of the PostgreSQL server to use
  --workers N         also run \`keygate serve --workers N\` (default 2; 0 skips)
  --products N        scale run: N products ...
  --users N           ... and N users with tokens (numbers next to the small database)
  --only a,b          workloads to run: ${WORKLOAD_IDS.join(', ')}
  --profile           profile the detail workload with node --cpu-prof and summarise it
  --no-build          do not run \`npm run build\` first
  --keep              keep the temporary directory (databases, server logs)
  --quiet-wait S      before each workload wait up to S s for the machine to be idle (default 60;
                      the share of CPU other processes used is reported as "bg CPU %")
  --set NAME=VALUE    a keygate setting for every server of the run (repeatable; e.g.
                      TOKEN_CACHE_MS=0 measures without the token cache); the rest are defaults
  --priority N        run the servers and wrk at niceness -N (0-20; e.g. 10 puts them ahead of other
                      work on a shared machine; needs root; default 0)
`;

function count(name: string, raw: string | undefined, fallback: number, min = 0): number {
  if (raw === undefined) return fallback;
  const value = Number(raw.replace(/_/g, ''));
  if (!Number.isInteger(value) || value < min || value > (name === 'priority' ? 20 : 100_000_000)) {
    throw new Error(`--${name}: expected a whole number >= ${min}, got ${raw}`);
  }
  return value;
}

/** Parses `argv` (without node and the script). */
export function parseOptions(argv: readonly string[]): BenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      duration: { type: 'string' },
      warmup: { type: 'string' },
      quick: { type: 'boolean', default: false },
      pg: { type: 'boolean' },
      'no-pg': { type: 'boolean' },
      'pg-url': { type: 'string', default: DEFAULT_PG_ADMIN_URL },
      workers: { type: 'string' },
      products: { type: 'string' },
      users: { type: 'string' },
      only: { type: 'string' },
      profile: { type: 'boolean', default: false },
      'no-build': { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
      'quiet-wait': { type: 'string' },
      priority: { type: 'string' },
      set: { type: 'string', multiple: true, default: [] },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  if (values.pg === true && values['no-pg'] === true)
    throw new Error('--pg and --no-pg contradict each other');
  const only = (values.only ?? WORKLOAD_IDS.join(','))
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  for (const id of only) {
    if (!(WORKLOAD_IDS as readonly string[]).includes(id)) {
      throw new Error(`--only: unknown workload ${id} (known: ${WORKLOAD_IDS.join(', ')})`);
    }
  }
  const settings: Record<string, string> = {};
  for (const pair of values.set) {
    const match = /^([A-Z][A-Z0-9_]*)=(.*)$/s.exec(pair);
    if (match === null || !SETTINGS.some((s) => s.name === match[1])) {
      throw new Error(`--set: expected NAME=VALUE with a keygate setting's name, got ${pair}`);
    }
    if (match[1] === 'DATABASE_URL') throw new Error('--set: the bench chooses DATABASE_URL itself');
    settings[match[1]!] = match[2]!;
  }
  return {
    settings,
    duration: count('duration', values.duration, values.quick ? 3 : 10, 1),
    warmup: count('warmup', values.warmup, values.quick ? 1 : 2, 0),
    connections: 32,
    threads: 1,
    pg: values.pg === true ? 'on' : values['no-pg'] === true ? 'off' : 'auto',
    pgUrl: values['pg-url'],
    workers: count('workers', values.workers, 2),
    products: count('products', values.products, 0),
    users: count('users', values.users, 0),
    profile: values.profile,
    build: !values['no-build'],
    only: WORKLOAD_IDS.filter((id) => only.includes(id)),
    keep: values.keep,
    quietWait: count('quiet-wait', values['quiet-wait'], 60),
    nice: -count('priority', values.priority, 0),
  };
}
