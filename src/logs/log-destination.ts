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
  // Lines not yet handed to SonicBoom: joined into one chunk of whole lines (at most
  // MAX_WRITE_BYTES) per write. SonicBoom appends each write to a string whose UTF-8 length it
  // measures again every time, which copied up to 4 KiB per log line.
  #pending: string[] = [];
  #pendingBytes = 0;
  // Bytes handed to SonicBoom and not yet written; with the pending ones, at most #maxBuffered.
  #held = 0;
  readonly #maxBuffered: number;
  readonly #timer: NodeJS.Timeout;

  constructor(options: LogDestinationOptions = {}) {
    this.format = options.format ?? 'json';
    this.#boom = pino.destination({
      dest: options.fd ?? 1,
      sync: false,
      minLength: MIN_WRITE_BYTES,
      maxWrite: MAX_WRITE_BYTES,
      // A full pipe is retried every 100 ms, until close() has waited as long as it may.
      retryEAGAIN: () => !this.#givingUp,
    });
    this.#maxBuffered = options.maxBufferedBytes ?? MAX_BUFFERED_BYTES;
    this.#boom.on('write', (bytes: number) => {
      this.#held -= bytes;
    });
    this.#timer = setInterval(() => this.flush(), FLUSH_INTERVAL_MS).unref();
    waiting.add(this);
    // pino stops writing on EPIPE (the reader is gone); any other write error stops the logs here.
    // Either way the server runs on: a log line is never worth a crash.
    this.#boom.on('error', () => this.#fail());
  }

  /** pino's destination contract: one JSON line, newline included. */
  write(line: string): void {
    this.writeText(this.format === 'text' ? textLine(line) : line);
  }

  /** Writes `text` as it is (a banner, for a person), in order with the log lines. */
  writeText(text: string): void {
    if (this.#failed) return;
    if (this.#synchronous) {
      this.#boom.write(text);
      this.#flushSync();
      return;
    }
    const bytes = Buffer.byteLength(text);
    // The bound is kept line by line, so what is written is every line up to it, in order.
    if (this.#held + this.#pendingBytes + bytes > this.#maxBuffered) {
      if (this.#dropped++ === 0) setTimeout(() => this.#reportDropped(), DROP_REPORT_MS).unref();
      return;
    }
    if (this.#pendingBytes > 0 && this.#pendingBytes + bytes > MAX_WRITE_BYTES) this.#release();
    this.#pending.push(text);
    this.#pendingBytes += bytes;
    if (this.#pendingBytes >= MIN_WRITE_BYTES) this.#release();
  }

  /** Hands the pending lines to SonicBoom as one chunk. */
  #release(): void {
    if (this.#pending.length === 0) return;
    const chunk = this.#pending.length === 1 ? this.#pending[0]! : this.#pending.join('');
    this.#held += this.#pendingBytes;
    this.#pending = [];
    this.#pendingBytes = 0;
    if (!this.#failed) this.#boom.write(chunk);
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
    this.#release();
    this.#boom.flush(cb);
  }

  /**
   * Writes out every line waiting, then makes every later line synchronous, so that nothing is left
   * to write when the process exits: resolves once done, or after `timeoutMs` if stdout accepts
   * nothing (then what still waits is dropped, and later lines too). Call before process.exit.
   */
  close(timeoutMs = 2000): Promise<void> {
    clearInterval(this.#timer);
    this.#release();
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

  /** Writes everything waiting, synchronously (the process is exiting). */
  flushSync(): void {
    if (this.#failed) return;
    this.#release();
    this.#flushSync();
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
    clearInterval(this.#timer);
    this.#pending = [];
    this.#pendingBytes = 0;
    waiting.delete(this);
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

// The destinations whose pending lines are written out when the process exits: pino does the same
// for what SonicBoom holds, and runs after this listener (registered later).
const waiting = new Set<LogDestination>();
process.on('exit', () => {
  for (const destination of waiting) destination.flushSync();
});
