// Brute-force limits for every password login: failures counted per username and per client address.
import { createHash } from 'node:crypto';
import type { Config } from '../config.js';
import { Throttled } from '../errors.js';
import type { LoginFailureStore } from './login-failure-store.js';

/** The limits a throttle enforces; a limit of 0 turns that counter off. */
export interface LoginLimits {
  readonly perUser: number;
  readonly perAddress: number;
  readonly windowSeconds: number;
}

/** What a throttle needs; `now`, `pruneEvery` and `random` exist for tests. */
export interface LoginThrottleDeps extends LoginLimits {
  /** Where the counters live: the database's repository, or Redis. */
  readonly failures: LoginFailureStore;
  /** The clock, in epoch milliseconds. */
  readonly now?: () => number;
  /** About one recorded failure in this many also deletes expired counters; 0 never does. */
  readonly pruneEvery?: number;
  readonly random?: () => number;
}

/**
 * The brute-force guard shared by every password login (token endpoints, session login, admin
 * login). Callers validate the input first (malformed requests are not failures), then either use
 * `guard`, or call `check` before verifying the password and `recordFailure`/`recordSuccess` after.
 */
export interface LoginThrottle {
  readonly limits: LoginLimits;
  /** Throws Throttled (429, Retry-After) when the username's or the address's counter is full. */
  check(username: string, address: string): Promise<void>;
  /** Counts a failed login against the username and the address. */
  recordFailure(username: string, address: string): Promise<void>;
  /** Clears the username's counter after a successful login (the address's counter stays). */
  recordSuccess(username: string): Promise<void>;
  /**
   * check, then `verify` (the password check), then counts its outcome: null is a failure. Returns
   * what `verify` returned. A throttled attempt never reaches `verify`, so it costs no hashing.
   */
  guard<T>(username: string, address: string, verify: () => Promise<T | null>): Promise<T | null>;
  /** Deletes counters whose window has ended; returns how many. */
  pruneExpired(): Promise<number>;
}

/** The limits the configuration sets. */
export function loginLimits(config: Config): LoginLimits {
  return {
    perUser: config.loginFailuresPerUser,
    perAddress: config.loginFailuresPerAddress,
    windowSeconds: config.loginFailureWindowSeconds,
  };
}

// Longer values (the username is whatever the client sent) are stored as a digest to fit varchar(300).
const MAX_PLAIN_SCOPE_VALUE = 200;

function scope(kind: 'user' | 'addr', value: string): string {
  if (value.length <= MAX_PLAIN_SCOPE_VALUE) return `${kind}:${value}`;
  return `${kind}#sha256:${createHash('sha256').update(value).digest('hex')}`;
}

/** The counter key of a username, exactly as submitted (usernames are case-sensitive). */
export function userScope(username: string): string {
  return scope('user', username);
}

/** The counter key of a client address. */
export function addressScope(address: string): string {
  return scope('addr', address);
}

interface Counter {
  readonly scope: string;
  readonly limit: number;
}

/** Creates the throttle. */
export function createLoginThrottle(deps: LoginThrottleDeps): LoginThrottle {
  const { failures, perUser, perAddress, windowSeconds } = deps;
  const now = deps.now ?? Date.now;
  const random = deps.random ?? Math.random;
  const pruneEvery = deps.pruneEvery ?? 100;
  const windowMs = windowSeconds * 1000;

  function counters(username: string, address: string): Counter[] {
    const list: Counter[] = [];
    if (perUser > 0) list.push({ scope: userScope(username), limit: perUser });
    if (perAddress > 0 && address !== '') list.push({ scope: addressScope(address), limit: perAddress });
    return list;
  }

  /** Throws Throttled past a limit; otherwise says whether the username has a live counter. */
  async function inspect(username: string, address: string): Promise<{ userCounted: boolean }> {
    const active = counters(username, address);
    const rows = await failures.read(active.map((c) => c.scope));
    const at = now();
    const user = userScope(username);
    let userCounted = false;
    let waitMs = 0;
    for (const row of rows) {
      const windowEnds = row.windowStarted + windowMs;
      if (windowEnds <= at) continue;
      if (row.scope === user) userCounted = true;
      const limit = active.find((c) => c.scope === row.scope)?.limit ?? 0;
      if (row.failures >= limit) waitMs = Math.max(waitMs, windowEnds - at);
    }
    if (waitMs > 0) {
      // Whole seconds until the window that tripped ends: at least 1, never past one window.
      throw new Throttled(Math.min(windowSeconds, Math.max(1, Math.ceil(waitMs / 1000))));
    }
    return { userCounted };
  }

  async function pruneExpired(): Promise<number> {
    return failures.prune(now() - windowMs);
  }

  async function recordFailure(username: string, address: string): Promise<void> {
    const at = now();
    await Promise.all(counters(username, address).map((c) => failures.increment(c.scope, at, at - windowMs)));
    if (pruneEvery > 0 && random() * pruneEvery < 1) {
      // Housekeeping only: losing a prune (a conflict, a busy database) must not fail the login answer.
      await pruneExpired().catch(() => 0);
    }
  }

  async function recordSuccess(username: string): Promise<void> {
    await failures.clear(userScope(username));
  }

  return {
    limits: Object.freeze({ perUser, perAddress, windowSeconds }),
    async check(username, address) {
      await inspect(username, address);
    },
    recordFailure,
    recordSuccess,
    async guard<T>(username: string, address: string, verify: () => Promise<T | null>): Promise<T | null> {
      const { userCounted } = await inspect(username, address);
      const result = await verify();
      if (result === null) await recordFailure(username, address);
      // A success only writes when there is a counter to clear.
      else if (userCounted) await recordSuccess(username);
      return result;
    },
    pruneExpired,
  };
}
