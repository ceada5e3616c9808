// What the operator hears about MAX_CONNECTIONS: a cap the process cannot honour, and connections refused at it.
import { readFileSync } from 'node:fs';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { Config } from '../config/index.js';

/** Descriptors a process needs besides its client connections: the listener, logs, database files, pipes. */
const OTHER_DESCRIPTORS = 64;
/** Refused connections are reported at most this often, with their count. */
const DROP_REPORT_MS = 10_000;

/** The soft limit on open files of this process (Node raises it to the hard limit), or null off Linux. */
function openFileLimit(): number | null {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max open files'));
    const soft = line?.slice('Max open files'.length).trim().split(/\s+/)[0];
    return soft === undefined || soft === 'unlimited' ? null : Number(soft);
  } catch {
    return null;
  }
}

/** Warns at start when MAX_CONNECTIONS cannot be reached before the process runs out of descriptors. */
function checkDescriptorLimit(config: Config, log: FastifyBaseLogger): void {
  const limit = openFileLimit();
  const needed = config.maxConnections + config.databasePoolSize + OTHER_DESCRIPTORS;
  if (limit !== null && needed > limit) {
    log.warn(
      { maxConnections: config.maxConnections, openFileLimit: limit },
      'MAX_CONNECTIONS is above what the open file limit (ulimit -n) leaves for connections: lower it, or raise the limit',
    );
  }
}

/**
 * Logs connections the server closed at accept because MAX_CONNECTIONS were open (Node's `drop`
 * event): the first at once, then a count at most every DROP_REPORT_MS, so that a flood of them
 * cannot flood the log too.
 */
function reportDrops(app: FastifyInstance, maxConnections: number): void {
  let dropped = 0;
  let timer: NodeJS.Timeout | null = null;
  const report = (): void => {
    if (dropped === 0) {
      timer = null;
      return;
    }
    app.log.warn({ dropped, maxConnections }, 'connections refused: MAX_CONNECTIONS were open');
    dropped = 0;
    timer = setTimeout(report, DROP_REPORT_MS).unref();
  };
  app.server.on('drop', () => {
    dropped++;
    if (timer === null) report();
  });
}

/** Start-up check and ongoing reports for the connection cap `buildApp` sets on the server. */
export function watchConnectionCap(app: FastifyInstance, config: Config): void {
  checkDescriptorLimit(config, app.log);
  reportDrops(app, config.maxConnections);
}
