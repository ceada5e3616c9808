// Where the brute-force counters live: the database (default) or Redis. Every store counts atomically,
// so all processes sharing it agree.

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
   * Counts one failure for `scope` atomically: starts a counter at 1 with its window at `now`, or adds
   * one to the stored counter, or starts a new window at `now` when the stored one began at or before
   * `expiredAt` (that is `now` minus the window). Concurrent increments are never lost.
   */
  increment(scope: string, now: number, expiredAt: number): Promise<FailureCount>;
  /** Forgets the counter of one scope. */
  clear(scope: string): Promise<void>;
  /** Deletes every counter whose window began at or before `expiredAt`; returns how many. */
  prune(expiredAt: number): Promise<number>;
  /** Releases what the store holds open (the database's pool is the Keygate's to close, not the store's). */
  close(): Promise<void>;
}
