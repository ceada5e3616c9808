// Wires configuration, database, repositories, services and built-in listeners into one object.
import { tokenPolicy } from './authtoken/token-policy.js';
import { registerAutoCreateToken, registerTokenDeletionWithUser } from './authtoken/token-signals.js';
import { TokenCache } from './authtoken/token-cache.js';
import { createTokenRepository } from './authtoken/token-repository.js';
import { createTokenService, type TokenService } from './authtoken/token-service.js';
import { authenticateTokenHeader, type Authenticated } from './auth/authentication.js';
import { loadConfig, loadDotEnv, resolveConfig, type Config, type ConfigOptions } from './config/index.js';
import { migrateToLatest, type AppMigrations } from './db/migrate.js';
import type { KeygateDatabase } from './db/keygate-database.js';
import { openDatabase, type DatabaseSource } from './db/open-database.js';
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

/** Everything a route or command needs, built once per process by {@link openKeygate}. */
export interface Keygate {
  /** The validated, frozen settings keygate runs with. */
  readonly config: Config;
  /** The database keygate opened (or was given): a Kysely instance and its dialect. */
  readonly database: KeygateDatabase;
  /** Applications add their own listeners here (Django's `@receiver`). */
  readonly events: EventBus;
  /** Users: create, find, change and delete accounts, check passwords. */
  readonly users: UserService;
  /** Tokens: issue, reset, revoke and authenticate API tokens. */
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
  /**
   * DRF's TokenAuthentication for an `Authorization` header value: the user and token of a valid
   * `Token <key>`; null when the header is missing or of another scheme; for a malformed header, an
   * unknown key or an inactive user, throws {@link AuthenticationFailed} with DRF's exact message.
   */
  authenticate(authorization: string | undefined, keyword?: string): Promise<Authenticated | null>;
  /** The application's own migrations ({@link KeygateOptions.migrations}), applied after keygate's. */
  readonly migrations: AppMigrations;
  /** Applies the pending migrations, keygate's then the application's; returns their names. */
  migrate(): Promise<string[]>;
  /** Closes what keygate opened (a pool or database handle the host passed in stays open). */
  close(): Promise<void>;
}

/** Options of {@link openKeygate}: the database, plus any setting (each has a default). */
export interface KeygateOptions extends Omit<ConfigOptions, 'databaseUrl'> {
  /**
   * `sqlite:<path>` or `postgres://user@host:port/db`; or the host's own `pg.Pool` or better-sqlite3
   * database, which keygate uses and never closes.
   */
  readonly database: DatabaseSource;
  /**
   * The application's own Kysely migrations by name, applied in name order after keygate's by
   * {@link Keygate.migrate} and recorded in keygate's migration table as `app:<name>`; `/readyz`
   * answers 503 while one is pending.
   */
  readonly migrations?: AppMigrations;
}

/**
 * Opens keygate on a database. Nothing is read from the environment: every setting not given takes
 * its default. Run {@link Keygate.migrate} (or `keygate migrate`) before serving, and
 * {@link Keygate.close} when done. A bad option throws a {@link ConfigError} naming it.
 *
 * @example
 * import { openKeygate } from 'keygate';
 *
 * const keygate = openKeygate({ database: 'postgres://app@127.0.0.1:5432/app', tokenPolicy: 'hashed' });
 * await keygate.migrate();
 * const alice = await keygate.users.createUser({ username: 'alice', password: 'correct horse battery staple' });
 * const { key } = await keygate.tokens.issueForLogin(alice);
 * const who = await keygate.authenticate(`Token ${key}`); // { user: alice, auth: <the token> }
 * await keygate.close();
 */
export function openKeygate(options: KeygateOptions): Keygate {
  const { database, migrations, ...settings } = options;
  const databaseUrl = typeof database === 'string' ? database : undefined;
  return createKeygate(resolveConfig({ ...settings, databaseUrl }), database, migrations);
}

/**
 * The options the `keygate` command uses in this working directory: `.env` (variables already set
 * win), then the environment, checked as `keygate serve` checks them. An app that calls
 * `openKeygate(optionsFromEnvironment())` and the CLI run beside it share one database and one set
 * of settings. The only export that reads the environment, and only when called.
 *
 * @example
 * const keygate = openKeygate(optionsFromEnvironment()); // DATABASE_URL, TOKEN_POLICY, ...
 */
export function optionsFromEnvironment(): KeygateOptions {
  loadDotEnv();
  const { databaseUrl, ...settings } = loadConfig(process.env);
  return { ...settings, database: databaseUrl };
}

/** Opens the database and builds the services from a whole Config; migrations are the caller's decision. */
export function createKeygate(
  config: Config,
  source: DatabaseSource = config.databaseUrl,
  migrations: AppMigrations = {},
): Keygate {
  const database = openDatabase(source, { poolSize: config.databasePoolSize });
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
    policy: tokenPolicy(config.tokenPolicy),
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
  registerTokenDeletionWithUser(events, tokens);
  registerSessionInvalidation(events, sessions);
  async function close(): Promise<void> {
    try {
      await tokenCache.close();
      await failures.close();
    } finally {
      await database.close();
    }
  }
  return {
    config,
    database,
    events,
    users,
    tokens,
    tokenCache,
    throttle,
    sessions,
    authenticate: (authorization, keyword) => authenticateTokenHeader(tokens, authorization, keyword),
    migrations,
    migrate: () => migrateToLatest(database, migrations),
    close,
  };
}
