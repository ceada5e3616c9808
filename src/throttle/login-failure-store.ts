// Where the brute-force counters and the known addresses live: the database (default) or Redis. Every
// store changes a counter in one atomic operation, so all processes sharing it agree.

/** A counter as it stands after an increment. */
export interface FailureCount {
  readonly failures: number;
  /** Epoch milliseconds. */
  readonly windowStarted: number;
}

/** A stored counter, as `read` returns it. */
export interface StoredFailureCount extends FailureCount {
  readonly scope: string;
}

/** The storage behind the login throttle. */
export interface LoginFailureStore {
  /** The stored counters for these scopes (expired ones may be included; the caller judges the window). */
  read(scopes: readonly string[]): Promise<StoredFailureCount[]>;
  /**
   * Counts one attempt for `scope` atomically and returns the count it made: starts a counter at 1
   * with its window at `now`, or adds one to the stored counter, or starts a new window at `now` when
   * the stored one began at or before `expiredAt` (that is `now` minus the window). Concurrent
   * increments are never lost, and each sees its own count: that count decides whether the attempt
   * may go on, so N concurrent attempts get the counts 1..N.
   */
  increment(scope: string, now: number, expiredAt: number): Promise<FailureCount>;
  /**
   * Takes back one increment atomically, if the counter is still in the window that increment
   * counted in (`windowStarted`) and above zero; otherwise (a new window, a cleared counter) there is
   * nothing left to take back.
   */
  release(scope: string, windowStarted: number): Promise<void>;
  /** Forgets the counter of one scope. */
  clear(scope: string): Promise<void>;
  /** Until when (epoch milliseconds) the known address `digest` is remembered; null when it is not. */
  knownUntil(digest: string): Promise<number | null>;
  /**
   * Remembers the known address `digest` until `until` (epoch milliseconds; it is `now` at the
   * caller), replacing an earlier date, never a later one.
   */
  remember(digest: string, until: number, now: number): Promise<void>;
  /**
   * Deletes every counter whose window began at or before `expiredAt` and every known address
   * remembered only until `now` or earlier; returns how many.
   */
  prune(expiredAt: number, now: number): Promise<number>;
  /** Releases what the store holds open (the database's pool is the Keygate's to close, not the store's). */
  close(): Promise<void>;
}
