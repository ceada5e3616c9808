// Wires configuration, database, repositories, services and built-in listeners into one object.
import { registerAutoCreateToken } from './authtoken/token-signals.js';
import { createTokenRepository } from './authtoken/token-repository.js';
import { createTokenService, type TokenService } from './authtoken/token-service.js';
import type { Config } from './config.js';
import { openDatabase, type KeygateDatabase } from './db/database.js';
import { EventBus } from './signals/event-bus.js';
import { createLoginFailureRepository } from './throttle/login-failure-repository.js';
import { createLoginThrottle, loginLimits, type LoginThrottle } from './throttle/login-throttle.js';
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
  /** Brute-force limits for every password login (counters in the database, shared by all processes). */
  readonly throttle: LoginThrottle;
  close(): Promise<void>;
}

/** Opens the database and builds the services; migrations are the caller's decision. */
export function openKeygate(config: Config): Keygate {
  const database = openDatabase(config.databaseUrl, { poolSize: config.databasePoolSize });
  const events = new EventBus();
  const userRepository = createUserRepository(database.db);
  const tokenRepository = createTokenRepository(database);
  const users = createUserService({ database, users: userRepository, events });
  const tokens = createTokenService({
    database,
    tokens: tokenRepository,
    users: userRepository,
    events,
    policy: config.tokenPolicy,
  });
  const throttle = createLoginThrottle({
    failures: createLoginFailureRepository(database.db),
    ...loginLimits(config),
  });
  if (config.autoCreateToken) registerAutoCreateToken(events, tokens);
  return { config, database, events, users, tokens, throttle, close: () => database.close() };
}
