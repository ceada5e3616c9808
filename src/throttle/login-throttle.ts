// Brute-force limits for every password login: each attempt reserves a place in its counters before
// the password is checked, so concurrent guesses can never check more passwords than the limits allow.
import type { Config } from '../config/index.js';
import { Throttled } from '../errors.js';
import type { DeviceCookies } from './device-cookie.js';
import type { LoginFailureStore } from './login-failure-store.js';
import {
  addressScope,
  deviceScope,
  knownAddressDigest,
  userAddressScope,
  userScope,
} from './login-scopes.js';

export { addressScope, deviceScope, userAddressScope, userScope } from './login-scopes.js';

/** The limits a throttle enforces, failures per window; a limit of 0 turns that counter off. */
export interface LoginLimits {
  /** Per username per client: per address, or per device cookie (LOGIN_FAILURES_PER_USER). */
  readonly perUser: number;
  /** Per username, from addresses that have never logged in as it (LOGIN_FAILURES_PER_USER_TOTAL). */
  readonly perUserTotal: number;
  /** Per client address, whatever the username (LOGIN_FAILURES_PER_ADDRESS). */
  readonly perAddress: number;
  readonly windowSeconds: number;
}

/** How long an address that logged in as a user stays known for that user: 30 days. */
export const KNOWN_ADDRESS_MS = 30 * 24 * 60 * 60 * 1000;

// A known address is written again on a login only once this much of its time has passed, so that
// a client logging in often does not write on every login.
const KNOWN_ADDRESS_REFRESH_MS = 24 * 60 * 60 * 1000;

/** What a throttle needs; `now`, `pruneEvery` and `random` exist for tests. */
export interface LoginThrottleDeps extends LoginLimits {
  /** Where the counters and known addresses live: the database's repository, or Redis. */
  readonly failures: LoginFailureStore;
  /** Checks the device cookies browsers send and issues new ones. */
  readonly devices: DeviceCookies;
  /** The HMAC key that names known addresses in the store (derived from SECRET_KEY). */
  readonly knownAddressKey: string;
  /** The clock, in epoch milliseconds. */
  readonly now?: () => number;
  /** About one failed login in this many also deletes expired counters; 0 never does. */
  readonly pruneEvery?: number;
  readonly random?: () => number;
}

/** One password login attempt, as the throttle sees it. */
export interface LoginAttempt {
  /** The username exactly as submitted. */
  readonly username: string;
  /** The client's address (`request.ip`). */
  readonly address: string;
  /** The device cookie a browser sent with a page login, unchecked; API logins send none. */
  readonly deviceCookie?: string | undefined;
}

/**
 * The brute-force guard shared by every password login (token endpoints, session login, admin
 * login). Callers validate the input first (malformed requests are not attempts), then `guard` it.
 */
export interface LoginThrottle {
  readonly limits: LoginLimits;
  /** Device cookies: the page logins set `devices.issue(username)` after each success. */
  readonly devices: DeviceCookies;
  /**
   * Reserves the attempt in each of its counters — throwing Throttled (429, Retry-After) when one
   * is past its limit, after giving back what it reserved — then runs `verify` (the password
   * check) and settles: a failure (null) keeps its reservations; a success clears the client's own
   * counter, gives back its place in the shared ones, and remembers the address as known for the
   * username. Returns what `verify` returned. A refused attempt never reaches `verify`, so it
   * costs no hashing.
   */
  guard<T>(attempt: LoginAttempt, verify: () => Promise<T | null>): Promise<T | null>;
  /** Deletes counters whose window has ended and known addresses past their time; returns how many. */
  pruneExpired(): Promise<number>;
}

/** The limits the configuration sets. */
export function loginLimits(config: Config): LoginLimits {
  return {
    perUser: config.loginFailuresPerUser,
    perUserTotal: config.loginFailuresPerUserTotal,
    perAddress: config.loginFailuresPerAddress,
    windowSeconds: config.loginFailureWindowSeconds,
  };
}

/** A counter an attempt is counted in, and what a success does to it. */
interface Counter {
  readonly scope: string;
  readonly limit: number;
  /** `clear`: the client's own counter, forgotten on success. `release`: shared, given back. */
  readonly onSuccess: 'clear' | 'release';
}

/** A place an attempt holds in a counter: the window its increment counted in. */
interface Reservation {
  readonly counter: Counter;
  readonly windowStarted: number;
}

/** Creates the throttle. */
export function createLoginThrottle(deps: LoginThrottleDeps): LoginThrottle {
  const { failures, devices, knownAddressKey, perUser, perUserTotal, perAddress, windowSeconds } = deps;
  const now = deps.now ?? Date.now;
  const random = deps.random ?? Math.random;
  const pruneEvery = deps.pruneEvery ?? 100;
  const windowMs = windowSeconds * 1000;

  /**
   * The counters an attempt is counted in whoever its client is: a browser's device cookie valid
   * for this username is its own budget, and nothing else (strangers' failures, the username's or
   * the address's, do not lock it out; the cookie cannot be forged, and is only ever issued after
   * the right password). Any other client: the username at this address, and the address.
   */
  function clientCounters(attempt: LoginAttempt): { counters: Counter[]; trustedDevice: boolean } {
    const { username, address } = attempt;
    const counters: Counter[] = [];
    const device = devices.deviceOf(attempt.deviceCookie, username);
    if (device !== null) {
      if (perUser > 0) counters.push({ scope: deviceScope(device), limit: perUser, onSuccess: 'clear' });
      return { counters, trustedDevice: true };
    }
    if (perUser > 0) {
      counters.push({ scope: userAddressScope(username, address), limit: perUser, onSuccess: 'clear' });
    }
    if (perAddress > 0 && address !== '') {
      counters.push({ scope: addressScope(address), limit: perAddress, onSuccess: 'release' });
    }
    return { counters, trustedDevice: false };
  }

  /** Gives back reservations (a refused or failed-to-run attempt must not keep pushing counters). */
  async function giveBack(reservations: readonly Reservation[]): Promise<void> {
    await Promise.all(reservations.map((r) => failures.release(r.counter.scope, r.windowStarted)));
  }

  /**
   * Counts the attempt in each of `counters`, one atomic increment each (at once: none waits for
   * another); the count each increment returns decides. When one is past its limit, or the store
   * fails, gives back every reservation taken, `held` ones included, and throws (Throttled, with
   * the longest wait of the counters that refused).
   */
  async function reserve(
    counters: readonly Counter[],
    at: number,
    held: readonly Reservation[] = [],
  ): Promise<Reservation[]> {
    const results = await Promise.allSettled(
      counters.map((counter) => failures.increment(counter.scope, at, at - windowMs)),
    );
    const taken = [...held];
    let failed: PromiseRejectedResult | null = null;
    let refusedFor: number | null = null;
    for (const [i, result] of results.entries()) {
      if (result.status === 'rejected') {
        failed ??= result;
        continue;
      }
      const counter = counters[i]!;
      const { failures: count, windowStarted } = result.value;
      taken.push({ counter, windowStarted });
      if (count > counter.limit) refusedFor = Math.max(refusedFor ?? 0, windowStarted + windowMs - at);
    }
    if (failed === null && refusedFor === null) return taken;
    // Best effort: when the store itself failed, the original error is the one to report.
    await giveBack(taken).catch(() => undefined);
    if (failed !== null) throw failed.reason;
    // Whole seconds until the window that refused ends: at least 1, never past one window.
    throw new Throttled(Math.min(windowSeconds, Math.max(1, Math.ceil((refusedFor ?? 0) / 1000))));
  }

  /**
   * Reserves the attempt: its client's counters while the known-address record is read (neither
   * waits for the other), then — for a client without a device cookie, from an address that has
   * never logged in as this username — the username's ceiling. Returns the reservations and the
   * known-address record (digest null when there is no ceiling: all a known address is spared).
   */
  async function reserveAttempt(attempt: LoginAttempt, at: number) {
    const { username, address } = attempt;
    const knownDigest = perUserTotal > 0 ? knownAddressDigest(knownAddressKey, username, address) : null;
    const { counters, trustedDevice } = clientCounters(attempt);
    const [known, first] = await Promise.allSettled([
      knownDigest === null ? null : failures.knownUntil(knownDigest),
      reserve(counters, at),
    ]);
    if (first.status === 'rejected') throw first.reason;
    if (known.status === 'rejected') {
      await giveBack(first.value).catch(() => undefined);
      throw known.reason;
    }
    const knownUntil = known.value;
    if (knownDigest === null || trustedDevice || (knownUntil !== null && knownUntil > at)) {
      return { reservations: first.value, knownDigest, knownUntil };
    }
    const ceiling: Counter = { scope: userScope(username), limit: perUserTotal, onSuccess: 'release' };
    return { reservations: await reserve([ceiling], at, first.value), knownDigest, knownUntil };
  }

  async function pruneExpired(): Promise<number> {
    const at = now();
    return failures.prune(at - windowMs, at);
  }

  return {
    limits: Object.freeze({ perUser, perUserTotal, perAddress, windowSeconds }),
    devices,
    async guard<T>(attempt: LoginAttempt, verify: () => Promise<T | null>): Promise<T | null> {
      const at = now();
      const { reservations, knownDigest, knownUntil } = await reserveAttempt(attempt, at);
      let result: T | null;
      try {
        result = await verify();
      } catch (error) {
        // The check did not finish (the database went away): no guess was answered.
        await giveBack(reservations).catch(() => undefined);
        throw error;
      }
      if (result === null) {
        if (pruneEvery > 0 && random() * pruneEvery < 1) {
          // Housekeeping only: losing a prune (a conflict, a busy database) must not fail the answer.
          await pruneExpired().catch(() => 0);
        }
        return null;
      }
      const settled: Promise<void>[] = reservations.map((r) =>
        r.counter.onSuccess === 'clear'
          ? failures.clear(r.counter.scope)
          : failures.release(r.counter.scope, r.windowStarted),
      );
      const stale = knownUntil === null || knownUntil - at < KNOWN_ADDRESS_MS - KNOWN_ADDRESS_REFRESH_MS;
      if (knownDigest !== null && stale) {
        settled.push(failures.remember(knownDigest, at + KNOWN_ADDRESS_MS, at));
      }
      await Promise.all(settled);
      return result;
    },
    pruneExpired,
  };
}
