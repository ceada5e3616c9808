// The brute-force counters in Redis (REDIS_URL): one hash per scope that expires with its window, and
// one key per known address that expires when it is forgotten.
import { createClient } from 'redis';
import { ServiceUnavailable } from '../errors.js';
import type { FailureCount, LoginFailureStore, StoredFailureCount } from './login-failure-store.js';

/** Every counter's key starts with this; the rest is the scope (`user:<name>`, `addr:<ip>`). */
export const REDIS_KEY_PREFIX = 'keygate:login-failures:';

/** The Redis key of a scope's counter. */
export function redisKey(scope: string): string {
  return `${REDIS_KEY_PREFIX}${scope}`;
}

/** Every known address's key starts with this; the rest is its digest. */
export const REDIS_KNOWN_PREFIX = 'keygate:login-known:';

/** The Redis key of a known address. */
export function redisKnownKey(digest: string): string {
  return `${REDIS_KNOWN_PREFIX}${digest}`;
}

/**
 * One failure, atomically (Redis runs a script alone): adds one to a live window, or starts a new one
 * at `now` (failures 1, expiring with the window) when there is none or the stored one began at or
 * before `expiredAt` (a key not yet expired by Redis, as seen by this process's clock). Returns
 * {failures, started}.
 * KEYS[1] the counter; ARGV[1] now, ARGV[2] expiredAt, ARGV[3] the window, all in milliseconds.
 */
const INCREMENT_SCRIPT = `
local started = redis.call('HGET', KEYS[1], 'started')
if started and tonumber(started) > tonumber(ARGV[2]) then
  return {redis.call('HINCRBY', KEYS[1], 'failures', 1), started}
end
redis.call('HSET', KEYS[1], 'failures', 1, 'started', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return {1, ARGV[1]}
`;

/**
 * Takes back one increment, atomically: subtracts one if the counter is still in the window the
 * increment counted in (started ARGV[1]) and above zero; a new window or a cleared counter has
 * nothing of it left.
 */
const RELEASE_SCRIPT = `
local started = redis.call('HGET', KEYS[1], 'started')
if started and tonumber(started) == tonumber(ARGV[1]) then
  local failures = tonumber(redis.call('HGET', KEYS[1], 'failures'))
  if failures and failures > 0 then
    redis.call('HINCRBY', KEYS[1], 'failures', -1)
  end
end
return 0
`;

/**
 * Remembers a known address until ARGV[1] (epoch milliseconds), atomically keeping the later date
 * when two logins race; ARGV[2] is the milliseconds until then (the key's expiry).
 */
const REMEMBER_SCRIPT = `
local stored = tonumber(redis.call('GET', KEYS[1]))
if stored and stored >= tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
`;

/** Bounds on waiting for Redis; past them a login answers 503 rather than hang. */
export interface RedisStoreOptions {
  /** Milliseconds to wait for a connection (the first one, or after an outage). Default 2000. */
  readonly connectTimeoutMs?: number;
  /** Milliseconds one command may take. Default 2000. */
  readonly commandTimeoutMs?: number;
}

/** A Redis failure: the login answers 503 (like an unreachable database); the cause is kept. */
function unavailable(cause: unknown): ServiceUnavailable {
  const error = new ServiceUnavailable();
  error.cause = cause;
  return error;
}

/**
 * Creates the Redis store. Connects on first use, reconnects by itself after an outage, and never
 * queues commands while disconnected: an operation fails fast with ServiceUnavailable instead, so a
 * Redis outage makes logins 503s — never 500s, and never logins without a limit.
 */
export function createRedisFailureStore(url: string, options: RedisStoreOptions = {}): LoginFailureStore {
  const connectTimeoutMs = options.connectTimeoutMs ?? 2000;
  const commandTimeoutMs = options.commandTimeoutMs ?? 2000;
  const client = createClient({
    url,
    disableOfflineQueue: true,
    commandOptions: { timeout: commandTimeoutMs },
    socket: {
      connectTimeout: connectTimeoutMs,
      // Keep trying, at most every 2 s: requests in between answer 503 at once.
      reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, 2000),
    },
  });
  // Connection errors surface to the requests that need Redis (503); without a listener they would
  // crash the process.
  client.on('error', () => {});

  let connecting: Promise<unknown> | null = null;
  let firstConnection: Promise<void> | null = null;
  let closed = false;

  /**
   * Starts the one connection and waits for it at most connectTimeoutMs. Every caller shares this one
   * wait; afterwards the client reconnects by itself and callers fail fast while it is down.
   */
  async function connectOnce(): Promise<void> {
    connecting = client.connect().catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      connecting,
      new Promise((resolve) => {
        timer = setTimeout(resolve, connectTimeoutMs);
      }),
    ]);
    clearTimeout(timer);
  }

  /** The client once it is connected; throws ServiceUnavailable when it is not. */
  async function ready(): Promise<typeof client> {
    if (client.isReady) return client;
    if (closed) throw unavailable(new Error('the Redis store is closed'));
    firstConnection ??= connectOnce();
    await firstConnection;
    if (!client.isReady) {
      throw unavailable(new Error(`Redis is not connected (${client.isOpen ? 'reconnecting' : 'closed'})`));
    }
    return client;
  }

  /** Runs `operation` on a connected client; any Redis failure becomes ServiceUnavailable. */
  async function run<T>(operation: (redis: typeof client) => Promise<T>): Promise<T> {
    const redis = await ready();
    try {
      return await operation(redis);
    } catch (error) {
      throw unavailable(error);
    }
  }

  return {
    async read(scopes: readonly string[]): Promise<StoredFailureCount[]> {
      if (scopes.length === 0) return [];
      const values = await run((redis) =>
        Promise.all(scopes.map((scope) => redis.hmGet(redisKey(scope), ['failures', 'started']))),
      );
      const counts: StoredFailureCount[] = [];
      values.forEach(([failures, started], i) => {
        const scope = scopes[i];
        if (scope === undefined || !failures || !started) return;
        counts.push({ scope, failures: Number(failures), windowStarted: Number(started) });
      });
      return counts;
    },

    async increment(scope: string, now: number, expiredAt: number): Promise<FailureCount> {
      const reply = await run((redis) =>
        redis.eval(INCREMENT_SCRIPT, {
          keys: [redisKey(scope)],
          arguments: [String(now), String(expiredAt), String(Math.max(1, now - expiredAt))],
        }),
      );
      if (!Array.isArray(reply) || reply.length !== 2) {
        throw unavailable(new Error(`unexpected reply from the increment script: ${JSON.stringify(reply)}`));
      }
      return { failures: Number(reply[0]), windowStarted: Number(reply[1]) };
    },

    async release(scope: string, windowStarted: number): Promise<void> {
      await run((redis) =>
        redis.eval(RELEASE_SCRIPT, { keys: [redisKey(scope)], arguments: [String(windowStarted)] }),
      );
    },

    async clear(scope: string): Promise<void> {
      await run((redis) => redis.del(redisKey(scope)));
    },

    async knownUntil(digest: string): Promise<number | null> {
      const value = await run((redis) => redis.get(redisKnownKey(digest)));
      return value === null ? null : Number(value);
    },

    async remember(digest: string, until: number, now: number): Promise<void> {
      const ttl = Math.max(1, until - now);
      await run((redis) =>
        redis.eval(REMEMBER_SCRIPT, {
          keys: [redisKnownKey(digest)],
          arguments: [String(until), String(ttl)],
        }),
      );
    },

    /** Nothing to do: every counter and known address expires by itself (PEXPIRE, SET PX). */
    prune(): Promise<number> {
      return Promise.resolve(0);
    },

    async close(): Promise<void> {
      closed = true;
      if (!client.isOpen) return;
      if (client.isReady) {
        await client.close().catch(() => client.destroy());
      } else {
        client.destroy();
      }
      await connecting;
    },
  };
}
