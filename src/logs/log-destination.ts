// Where keygate serve's log lines go: stdout, buffered and written off the request path, whole lines only.
import pino from 'pino';
import type { LineFormat } from './log-format.js';
import { textLine } from './text-line.js';

/**
 * The most bytes one write to stdout carries: PIPE_BUF on Linux, the size up to which a pipe write is
 * atomic. Several processes (`serve --workers N`) share one stdout; a chunk of whole lines no longer
 * than this can never be split or interleaved with another process's chunk. (A single line longer
 * than this, a rare long stack trace, is written on its own and may be split by the pipe.)
 */
export const MAX_WRITE_BYTES = 4096;
/** Lines are held until this many bytes wait, then written together (one write for many requests). */
export const MIN_WRITE_BYTES = 3072;
/**
 * The most bytes held while stdout does not keep up. Past it new lines are dropped, counted, and
 * reported in a warning line once stdout accepts lines again: a slow or stuck reader costs lost log
 * lines rather than unbounded memory (or, as a synchronous logger would, a stalled server).
 */
export const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;
/** Lines waiting below MIN_WRITE_BYTES are written at least this often, so a quiet server's logs stay current. */
export const FLUSH_INTERVAL_MS = 100;
/** How long after the first dropped line the warning that counts them is written (at most one warning per period). */
export const DROP_REPORT_MS = 1000;

/** Options of a LogDestination. */
export interface LogDestinationOptions {
  /** How lines are written out; pino's JSON lines are turned into text for `text`. Default `json`. */
  readonly format?: LineFormat;
  /** The file descriptor written to; default 1 (stdout). */
  readonly fd?: number;
  /** Default MAX_BUFFERED_BYTES. */
  readonly maxBufferedBytes?: number;
}

// SonicBoom's mode switch: read on every write, so setting it turns later writes synchronous.
interface SyncSwitch {
  sync: boolean;
}

type SonicBoom = ReturnType<typeof pino.destination>;

/**
 * A pino destination (`write(line)`, `flush(cb)`) over pino's own asynchronous SonicBoom: a request
 * never waits for stdout; lines are written in chunks of whole lines (see MAX_WRITE_BYTES); at most
 * MAX_BUFFERED_BYTES wait (see there); a stdout that is closed (EPIPE) or fails only stops the logs.
 * `close()` writes out everything before the process exits; pino also writes what is left when the
 * event loop runs dry (`beforeExit`) and, synchronously, on `exit`. Lines still waiting when the
 * process is killed (SIGKILL, or a signal it does not handle) are lost: at most FLUSH_INTERVAL_MS
 * of them, or the backlog of a stdout that is not keeping up.
 */
export class LogDestination {
  /** How lines are written. */
  readonly format: LineFormat;
  readonly #boom: SonicBoom;
  #dropped = 0;
  #failed = false;
  #givingUp = false;
  #closing: Promise<void> | null = null;
  #synchronous = false;

  constructor(options: LogDestinationOptions = {}) {
    this.format = options.format ?? 'json';
    this.#boom = pino.destination({
      dest: options.fd ?? 1,
      sync: false,
      minLength: MIN_WRITE_BYTES,
      maxWrite: MAX_WRITE_BYTES,
      maxLength: options.maxBufferedBytes ?? MAX_BUFFERED_BYTES,
      periodicFlush: FLUSH_INTERVAL_MS,
      // A full pipe is retried every 100 ms, until close() has waited as long as it may.
      retryEAGAIN: () => !this.#givingUp,
    });
    this.#boom.on('drop', () => {
      if (this.#dropped++ === 0) setTimeout(() => this.#reportDropped(), DROP_REPORT_MS).unref();
    });
    // pino stops writing on EPIPE (the reader is gone); any other write error stops the logs here.
    // Either way the server runs on: a log line is never worth a crash.
    this.#boom.on('error', () => this.#fail());
  }

  /** pino's destination contract: one JSON line, newline included. */
  write(line: string): void {
    if (this.#failed) return;
    this.#boom.write(this.format === 'text' ? textLine(line) : line);
    if (this.#synchronous) this.#flushSync();
  }

  /** Writes `text` as it is (a banner, for a person), in order with the log lines. */
  writeText(text: string): void {
    if (this.#failed) return;
    this.#boom.write(text);
    if (this.#synchronous) this.#flushSync();
  }

  /** Log lines dropped since the last warning about them (stdout did not keep up). */
  get dropped(): number {
    return this.#dropped;
  }

  /** pino's `logger.flush(cb)`: starts writing what waits; `cb` once it has been written. */
  flush(cb?: (error?: Error) => void): void {
    if (this.#failed) {
      cb?.();
      return;
    }
    this.#boom.flush(cb);
  }

  /**
   * Writes out every line waiting, then makes every later line synchronous, so that nothing is left
   * to write when the process exits: resolves once done, or after `timeoutMs` if stdout accepts
   * nothing (then what still waits is dropped, and later lines too). Call before process.exit.
   */
  close(timeoutMs = 2000): Promise<void> {
    this.#closing ??= new Promise<void>((resolve) => {
      if (this.#failed) {
        resolve();
        return;
      }
      const finish = (): void => {
        clearTimeout(timer);
        this.#boom.off('drain', written);
        this.#boom.off('error', finish);
        resolve();
      };
      // 'drain' comes when a write ends with at most MIN_WRITE_BYTES left and no write in flight:
      // from here on, synchronous writes cannot overtake or race an asynchronous one.
      const written = (): void => {
        (this.#boom as unknown as SyncSwitch).sync = true;
        this.#synchronous = true;
        this.#reportDropped();
        this.#flushSync();
        finish();
      };
      const timer = setTimeout(() => {
        this.#givingUp = true;
        this.#fail();
        finish();
      }, timeoutMs);
      this.#boom.on('drain', written);
      this.#boom.once('error', finish);
      // Starts a write unless one is in flight, whose end brings the drain as well.
      this.#boom.flush();
    });
    return this.#closing;
  }

  #flushSync(): void {
    try {
      this.#boom.flushSync();
    } catch {
      this.#fail();
    }
  }

  #fail(): void {
    if (this.#failed) return;
    this.#failed = true;
    // What waits is let go (nothing will write it), the periodic flush stops, and pino's exit hook
    // skips a destroyed stream. SonicBoom's own destroy: on EPIPE pino replaces the instance's with
    // a no-op.
    (Object.getPrototypeOf(this.#boom) as SonicBoom).destroy.call(this.#boom);
  }

  #reportDropped(): void {
    const count = this.#dropped;
    if (count === 0 || this.#failed) return;
    this.#dropped = 0;
    const warning = `${JSON.stringify({
      level: 40,
      time: Date.now(),
      pid: process.pid,
      msg: 'log lines dropped: stdout did not keep up',
      dropped: count,
    })}\n`;
    this.write(warning);
    // Dropped too (the backlog is still full; its drop scheduled the next report): the count stands.
    if (this.#dropped > 0) this.#dropped = count;
  }
}
