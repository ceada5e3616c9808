// A crash is logged and every log line before it written out before the process exits.
import type { LogDestination } from './log-destination.js';

/** How long a crashing process waits for stdout to take its last log lines. */
export const CRASH_FLUSH_MS = 2000;

/** The one logger method a crash needs (pino's and Fastify's loggers have it). */
export interface FatalLogger {
  fatal(fields: object, message: string): void;
}

/**
 * On an uncaught exception, or a promise rejection nobody handles (which Node raises as one): logs
 * it at `fatal` with its stack, writes out every log line still waiting in `logs` (for at most
 * `flushMs`), then exits with status 1. Without this the process would die with the buffered lines
 * and the error unlogged. A second error while the lines are written is logged too.
 */
export function exitOnCrash(log: FatalLogger, logs: LogDestination, flushMs = CRASH_FLUSH_MS): void {
  let crashing = false;
  process.on('uncaughtException', (error, origin) => {
    log.fatal(
      { err: error },
      origin === 'unhandledRejection' ? 'unhandled promise rejection' : 'uncaught exception',
    );
    if (crashing) return;
    crashing = true;
    void logs.close(flushMs).finally(() => process.exit(1));
  });
}
