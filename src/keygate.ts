// Wires configuration, database, repositories, services and built-in listeners into one object.
import { registerAutoCreateToken } from './authtoken/token-signals.js';
import { TokenCache } from './authtoken/token-cache.js';
import { createTokenRepository } from './authtoken/token-repository.js';
import { createTokenService, type TokenService } from './authtoken/token-service.js';
import type { Config } from './config/index.js';
import { openDatabase, type KeygateDatabase } from './db/database.js';
import { createSessionRepository, type SessionRepository } from './sessions/session-repository.js';
import { registerSessionInvalidation } from './sessions/session-signals.js';
import { derivedSecret } from './sessions/signing-secret.js';
import { EventBus } from './signals/event-bus.js';
import { createDeviceCookies } from './throttle/device-cookie.js';
import { createLoginFailureRepository } from './throttle/login-failure-repository.js';
import type { LoginFailureStore } from './throttle/login-failure-store.js';
import { createLoginThrottle, loginLimits, type LoginThrottle } from './throttle/login-throttle.js';
import { createRedisFailureStore } from './throttle/redis-failure-store.js';
import { createPasswordValidators } from './users/password-validators.js';
import { createUserRepository } from './users/user-repository.js';
import { createUserService, type UserService } from './users/user-service.js';

/** Everything a route or command needs, built once per process. */
export interface Keygate {
  readonly config: Config;
  readonly database: KeygateDatabase;
  /** Applications add their own listeners here (Django's `@receiver`). */
  readonly events: EventBus;
  readonly users: UserService;
  readonly tokens: TokenService;
  /** The deliberate cache of token lookups behind `tokens.authenticate` (TOKEN_CACHE_MS). */
  readonly tokenCache: TokenCache;
  /**
   * Brute-force limits for every password login: counters and known addresses shared by all
   * processes, in Redis when REDIS_URL is set, else in the database.
   */
  readonly throttle: LoginThrottle;
  /** Browser sessions (the HTTP side is `app.sessions`); shared by all processes through the database. */
  readonly sessions: SessionRepository;
  close(): Promise<void>;
}

/** Opens the database and builds the services; migrations are the caller's decision. */
export function openKeygate(config: Config): Keygate {
  const database = openDatabase(config.databaseUrl, { poolSize: config.databasePoolSize });
  const events = new EventBus();
  const userRepository = createUserRepository(database.db);
  const tokenRepository = createTokenRepository(database);
  const users = createUserService({
    database,
    users: userRepository,
    events,
    passwordValidators: createPasswordValidators(config.passwordValidators),
  });
  const tokenCache = new TokenCache(database, { ttlMs: config.tokenCacheMs });
  const tokens = createTokenService({
    database,
    cache: tokenCache,
    tokens: tokenRepository,
    users: userRepository,
    events,
    policy: config.tokenPolicy,
  });
  // The Redis client connects on the first login attempt, so commands that never log in never dial it.
  const failures: LoginFailureStore =
    config.redisUrl === null
      ? createLoginFailureRepository(database.db)
      : createRedisFailureStore(config.redisUrl);
  const throttle = createLoginThrottle({
    failures,
    ...loginLimits(config),
    devices: createDeviceCookies(derivedSecret(config, 'device-cookies')),
    knownAddressKey: derivedSecret(config, 'known-addresses'),
  });
  const sessions = createSessionRepository(database.db);
  if (config.autoCreateToken) registerAutoCreateToken(events, tokens);
  registerSessionInvalidation(events, sessions);
  async function close(): Promise<void> {
    try {
      await tokenCache.close();
      await failures.close();
    } finally {
      await database.close();
    }
  }
  return { config, database, events, users, tokens, tokenCache, throttle, sessions, close };
}
