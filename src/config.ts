// Environment -> validated, frozen Config. Every setting is checked once at start, never under load.
import { existsSync } from 'node:fs';
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import type { PasswordValidatorSpec } from './users/password-validators.js';

/** Which token policy the server runs (DESIGN.md "The token model"). */
export type TokenPolicy = 'drf' | 'hashed';

/** pino log levels accepted by LOG_LEVEL. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The whole runtime configuration, frozen after validation. */
export interface Config {
  readonly databaseUrl: string;
  readonly host: string;
  readonly port: number;
  readonly secretKey: string | null;
  readonly allowedHosts: readonly string[];
  readonly tokenPolicy: TokenPolicy;
  readonly autoCreateToken: boolean;
  readonly logLevel: LogLevel;
  /** Production mode: HTTPS enforced, HSTS, Secure cookies, and a safe configuration required. */
  readonly production: boolean;
  /** Proxy addresses (IPs or CIDRs) whose X-Forwarded-Proto/-For are believed. Empty: none. */
  readonly trustedProxies: readonly string[];
  /** TLS terminated by keygate itself: PEM file paths, both or neither. */
  readonly tlsCertFile: string | null;
  readonly tlsKeyFile: string | null;
  /** PostgreSQL connections per process. */
  readonly databasePoolSize: number;
  /** How long a token lookup is reused in a process (0: never); see TokenCache. */
  readonly tokenCacheMs: number;
  /**
   * Brute-force limits on password logins, failures allowed per window (0 turns a limit off): per
   * username per client (address, or browser device cookie); per username from addresses that
   * have never logged in as it; per address whatever the username.
   */
  readonly loginFailuresPerUser: number;
  readonly loginFailuresPerUserTotal: number;
  readonly loginFailuresPerAddress: number;
  readonly loginFailureWindowSeconds: number;
  /** Redis for the login failure counters instead of the database; null keeps them in the database. */
  readonly redisUrl: string | null;
  /** The rules every new password must pass, in order (Django's AUTH_PASSWORD_VALIDATORS). */
  readonly passwordValidators: readonly PasswordValidatorSpec[];
  /** How long a client has to send a request's headers (and, over TLS, to complete the handshake). */
  readonly headersTimeoutMs: number;
  /** How long a client has to send a whole request, body included. */
  readonly requestTimeoutMs: number;
  /** How long an idle keep-alive connection is kept open between requests. */
  readonly keepAliveTimeoutMs: number;
  /** Connections a server process holds at once; past it, new ones are closed as they are accepted. */
  readonly maxConnections: number;
}

/** One documented setting: its variable, default and meaning (used by `.env.example` and `--help`). */
export interface SettingDoc {
  readonly name: string;
  readonly default: string;
  readonly description: string;
}

/** Every environment variable keygate reads, in the order they are documented. */
export const SETTINGS: readonly SettingDoc[] = [
  {
    name: 'DATABASE_URL',
    default: 'sqlite:data/keygate.sqlite3',
    description: 'sqlite:<path> (embedded, created on first start) or postgres://user@host:port/db',
  },
  { name: 'HOST', default: '127.0.0.1', description: 'address the HTTP server listens on' },
  { name: 'PORT', default: '8000', description: 'TCP port the HTTP server listens on (0-65535)' },
  {
    name: 'SECRET_KEY',
    default: '(unset)',
    description:
      'secret for signing sessions and CSRF tokens; at least 32 characters when set (production: 5+ distinct, 50+ advised)',
  },
  {
    name: 'ALLOWED_HOSTS',
    default: 'localhost,127.0.0.1,[::1]',
    description: 'comma-separated Host header values served; ".example.com" matches subdomains; "*" any',
  },
  {
    name: 'TOKEN_POLICY',
    default: 'drf',
    description:
      'drf (one stored 40-hex key per user, as DRF) or hashed (named per-device tokens, digest only)',
  },
  {
    name: 'AUTO_CREATE_TOKEN',
    default: 'true',
    description: 'create a token for every new user in the same transaction (the post_save signal)',
  },
  { name: 'LOG_LEVEL', default: 'info', description: `one of ${LOG_LEVELS.join(', ')}` },
  {
    name: 'KEYGATE_ENV',
    default: 'development',
    description:
      'production: HTTPS enforced, HSTS, Secure cookies; refuses to start with an unsafe configuration',
  },
  {
    name: 'TRUSTED_PROXIES',
    default: '(none)',
    description: 'comma-separated proxy IPs/CIDRs whose X-Forwarded-Proto and X-Forwarded-For are honoured',
  },
  {
    name: 'TLS_CERT_FILE',
    default: '(unset)',
    description: 'PEM certificate: keygate terminates TLS itself (also --tls-cert)',
  },
  {
    name: 'TLS_KEY_FILE',
    default: '(unset)',
    description: 'PEM private key for TLS_CERT_FILE (also --tls-key)',
  },
  { name: 'DATABASE_POOL_SIZE', default: '10', description: 'PostgreSQL connections per process (1-200)' },
  {
    name: 'TOKEN_CACHE_MS',
    default: '1000',
    description:
      'ms a token lookup is reused in a process (0-1000, 0: off); changes in this process and, on PostgreSQL, from anywhere end it at once',
  },
  {
    name: 'LOGIN_FAILURES_PER_USER',
    default: '10',
    description:
      'failed password logins per username per client (address, or browser device cookie) per window before 429 (0: no limit)',
  },
  {
    name: 'LOGIN_FAILURES_PER_USER_TOTAL',
    default: '100',
    description:
      'failed password logins per username per window from addresses that never logged in as it, before they get 429 (0: no limit)',
  },
  {
    name: 'LOGIN_FAILURES_PER_ADDRESS',
    default: '50',
    description: 'failed password logins per client address per window before 429 (0: no limit)',
  },
  { name: 'LOGIN_FAILURE_WINDOW', default: '900', description: 'seconds the login failure counters cover' },
  {
    name: 'REDIS_URL',
    default: '(unset)',
    description:
      'redis:// or rediss:// URL: keep the login failure counters in Redis instead of the database',
  },
  {
    name: 'PASSWORD_VALIDATORS',
    default: 'UserAttributeSimilarity,MinimumLength,Common,Numeric',
    description:
      "Django's password validators every new password must pass, in order; MinimumLength:N sets the length (default 8), UserAttributeSimilarity:0.1-1 the similarity refused (default 0.7); none: no checks",
  },
  {
    name: 'HEADERS_TIMEOUT',
    default: '10',
    description:
      'seconds a client has to send its request headers (and to finish a TLS handshake); at most REQUEST_TIMEOUT',
  },
  {
    name: 'REQUEST_TIMEOUT',
    default: '30',
    description: 'seconds a client has to send a whole request, body included (1-3600)',
  },
  {
    name: 'KEEP_ALIVE_TIMEOUT',
    default: '5',
    description:
      'seconds an idle keep-alive connection stays open (1-3600); behind a proxy that reuses connections, above its idle timeout',
  },
  {
    name: 'MAX_CONNECTIONS',
    default: '1024',
    description:
      'connections each server process holds at once; past it new ones are closed on accept (keep under ulimit -n)',
  },
];

/** A setting has a value the server cannot run with; the message names the variable. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

const TRUE_WORDS = new Set(['1', 'true', 'yes', 'on']);
const FALSE_WORDS = new Set(['0', 'false', 'no', 'off']);

function parseBoolean(name: string, raw: string): boolean {
  const value = raw.trim().toLowerCase();
  if (TRUE_WORDS.has(value)) return true;
  if (FALSE_WORDS.has(value)) return false;
  throw new ConfigError(name, `expected true or false, got ${JSON.stringify(raw)}`);
}

function parsePort(raw: string): number {
  if (!/^\d{1,5}$/.test(raw.trim()))
    throw new ConfigError('PORT', `expected a number 0-65535, got ${JSON.stringify(raw)}`);
  const port = Number(raw.trim());
  if (port > 65535) throw new ConfigError('PORT', `expected a number 0-65535, got ${raw}`);
  return port;
}

function parseDatabaseUrl(raw: string): string {
  const value = raw.trim();
  if (/^postgres(ql)?:\/\/[^\s]+$/.test(value)) return value;
  if (/^sqlite:.+/.test(value)) return value;
  throw new ConfigError('DATABASE_URL', 'expected sqlite:<path> or postgres://user@host:port/database');
}

function parseRedisUrl(raw: string | undefined): string | null {
  if (raw === undefined) return null;
  const value = raw.trim();
  if (!/^rediss?:\/\/[^\s]+$/.test(value)) {
    throw new ConfigError('REDIS_URL', 'expected redis://[user:password@]host[:port][/db] or rediss://...');
  }
  try {
    new URL(value);
  } catch {
    throw new ConfigError('REDIS_URL', 'not a valid URL');
  }
  return value;
}

function parseAllowedHosts(raw: string): string[] {
  const hosts = raw
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter((h) => h.length > 0);
  if (hosts.length === 0) throw new ConfigError('ALLOWED_HOSTS', 'expected at least one host name');
  for (const host of hosts) {
    if (!/^(\*|\.?[a-z0-9.-]+|\[[0-9a-f:.]+\])$/.test(host)) {
      throw new ConfigError('ALLOWED_HOSTS', `not a host name: ${JSON.stringify(host)}`);
    }
  }
  return hosts;
}

function pick(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value;
}

function parseInteger(name: string, raw: string, min: number, max: number): number {
  const value = raw.trim();
  if (!/^\d{1,9}$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new ConfigError(name, `expected a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}`);
  }
  return Number(value);
}

/** A whole number of seconds from 1 to an hour, in milliseconds. */
function parseSeconds(env: NodeJS.ProcessEnv, name: string, fallback: string): number {
  return parseInteger(name, pick(env, name) ?? fallback, 1, 3600) * 1000;
}

/**
 * An IPv4 or IPv6 address, optionally with a /prefix of 1-32 or 1-128 bits: exactly what proxy-addr
 * (Fastify's trustProxy) accepts, so a bad entry fails here at start and not in buildApp.
 */
function isProxyEntry(entry: string): boolean {
  const slash = entry.indexOf('/');
  const version = isIP(slash === -1 ? entry : entry.slice(0, slash));
  if (version === 0) return false;
  if (slash === -1) return true;
  const prefix = entry.slice(slash + 1);
  return /^\d{1,3}$/.test(prefix) && Number(prefix) >= 1 && Number(prefix) <= (version === 4 ? 32 : 128);
}

function parseTrustedProxies(raw: string | undefined): string[] {
  if (raw === undefined) return [];
  const entries = raw
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
  for (const entry of entries) {
    if (!isProxyEntry(entry))
      throw new ConfigError('TRUSTED_PROXIES', `not an IP address or CIDR: ${JSON.stringify(entry)}`);
  }
  return entries;
}

const VALIDATOR_NAMES = ['UserAttributeSimilarity', 'MinimumLength', 'Common', 'Numeric'] as const;

/** One PASSWORD_VALIDATORS entry: a name, case-insensitive, and for two of them an option. */
function parsePasswordValidator(entry: string): PasswordValidatorSpec {
  const fail = (why: string): never => {
    throw new ConfigError('PASSWORD_VALIDATORS', `${JSON.stringify(entry)}: ${why}`);
  };
  const colon = entry.indexOf(':');
  const word = (colon === -1 ? entry : entry.slice(0, colon)).trim().toLowerCase();
  const option = colon === -1 ? null : entry.slice(colon + 1).trim();
  const name = VALIDATOR_NAMES.find((n) => n.toLowerCase() === word);
  if (name === undefined) return fail(`expected one of ${VALIDATOR_NAMES.join(', ')} (or none)`);
  if (name === 'MinimumLength') {
    if (option === null) return { name, minLength: 8 };
    if (!/^\d{1,4}$/.test(option) || Number(option) < 1 || Number(option) > 1024) {
      return fail('expected MinimumLength:N with N from 1 to 1024');
    }
    return { name, minLength: Number(option) };
  }
  if (name === 'UserAttributeSimilarity') {
    if (option === null) return { name, maxSimilarity: 0.7 };
    // Django refuses a max_similarity under 0.1; above 1 nothing would ever be refused.
    if (!/^(0|1)(\.\d{1,6})?$/.test(option) || Number(option) < 0.1 || Number(option) > 1) {
      return fail('expected UserAttributeSimilarity:S with S from 0.1 to 1');
    }
    return { name, maxSimilarity: Number(option) };
  }
  if (option !== null) return fail(`${name} takes no option`);
  return { name };
}

function parsePasswordValidators(raw: string): readonly PasswordValidatorSpec[] {
  if (raw.trim().toLowerCase() === 'none') return Object.freeze([]);
  const entries = raw
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  if (entries.length === 0) {
    throw new ConfigError('PASSWORD_VALIDATORS', 'expected validator names, or none for no checks');
  }
  const specs = entries.map(parsePasswordValidator);
  for (const [index, spec] of specs.entries()) {
    if (specs.findIndex((other) => other.name === spec.name) !== index) {
      throw new ConfigError('PASSWORD_VALIDATORS', `${spec.name} is listed twice`);
    }
  }
  return Object.freeze(specs.map((spec) => Object.freeze(spec)));
}

function parseEnvironment(raw: string | undefined): boolean {
  const value = (raw ?? 'development').trim().toLowerCase();
  if (value === 'production') return true;
  if (value === 'development') return false;
  throw new ConfigError('KEYGATE_ENV', `expected development or production, got ${JSON.stringify(raw)}`);
}

/**
 * Django's deployment check security.W009 asks for a SECRET_KEY of at least 50 characters with at
 * least 5 distinct ones. Production refuses fewer distinct characters (`xxxx…`, `abab…`: not a
 * secret whatever its length) and warns under the length.
 */
const SECRET_KEY_MIN_DISTINCT = 5;
const SECRET_KEY_ADVISED_LENGTH = 50;
const SECRET_KEY_ADVICE = 'generate one with `openssl rand -base64 48`';

/**
 * Production mode refuses to start rather than run unsafely: it needs a secret that is not
 * obviously weak, an explicit host list, and HTTPS (keygate's own TLS, or a trusted proxy that
 * terminates it).
 */
function checkProduction(config: Config, env: NodeJS.ProcessEnv): void {
  if (config.secretKey === null)
    throw new ConfigError('SECRET_KEY', 'production mode requires a secret of 32+ characters');
  if (new Set(config.secretKey).size < SECRET_KEY_MIN_DISTINCT) {
    throw new ConfigError(
      'SECRET_KEY',
      `has fewer than ${SECRET_KEY_MIN_DISTINCT} distinct characters, so it is no secret; ${SECRET_KEY_ADVICE}`,
    );
  }
  if (pick(env, 'ALLOWED_HOSTS') === undefined || config.allowedHosts.includes('*')) {
    throw new ConfigError('ALLOWED_HOSTS', 'production mode requires the exact host names served (no "*")');
  }
  if (config.tlsCertFile === null && config.trustedProxies.length === 0) {
    throw new ConfigError(
      'TLS_CERT_FILE',
      'production mode requires HTTPS: set TLS_CERT_FILE and TLS_KEY_FILE (or --tls-cert/--tls-key), or TRUSTED_PROXIES for a proxy that terminates TLS',
    );
  }
}

/** Validates the environment and returns a frozen Config; throws ConfigError naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const secretKey = pick(env, 'SECRET_KEY') ?? null;
  if (secretKey !== null && secretKey.length < 32) {
    throw new ConfigError('SECRET_KEY', 'must be at least 32 characters long');
  }
  const policy = (pick(env, 'TOKEN_POLICY') ?? 'drf').trim().toLowerCase();
  if (policy !== 'drf' && policy !== 'hashed') {
    throw new ConfigError('TOKEN_POLICY', `expected drf or hashed, got ${JSON.stringify(policy)}`);
  }
  const logLevel = (pick(env, 'LOG_LEVEL') ?? 'info').trim().toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    throw new ConfigError(
      'LOG_LEVEL',
      `expected one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(logLevel)}`,
    );
  }
  const host = (pick(env, 'HOST') ?? '127.0.0.1').trim();
  if (!/^[A-Za-z0-9.:-]+$/.test(host))
    throw new ConfigError('HOST', `not an address: ${JSON.stringify(host)}`);

  const tlsCertFile = pick(env, 'TLS_CERT_FILE')?.trim() ?? null;
  const tlsKeyFile = pick(env, 'TLS_KEY_FILE')?.trim() ?? null;
  if ((tlsCertFile === null) !== (tlsKeyFile === null)) {
    throw new ConfigError(
      tlsCertFile === null ? 'TLS_CERT_FILE' : 'TLS_KEY_FILE',
      'TLS needs both a certificate and a key',
    );
  }
  for (const [name, file] of [
    ['TLS_CERT_FILE', tlsCertFile],
    ['TLS_KEY_FILE', tlsKeyFile],
  ] as const) {
    if (file !== null && !existsSync(file)) throw new ConfigError(name, `no such file: ${file}`);
  }

  const config: Config = Object.freeze({
    databaseUrl: parseDatabaseUrl(pick(env, 'DATABASE_URL') ?? 'sqlite:data/keygate.sqlite3'),
    host,
    port: parsePort(pick(env, 'PORT') ?? '8000'),
    secretKey,
    allowedHosts: Object.freeze(parseAllowedHosts(pick(env, 'ALLOWED_HOSTS') ?? 'localhost,127.0.0.1,[::1]')),
    tokenPolicy: policy,
    autoCreateToken: parseBoolean('AUTO_CREATE_TOKEN', pick(env, 'AUTO_CREATE_TOKEN') ?? 'true'),
    logLevel: logLevel as LogLevel,
    production: parseEnvironment(pick(env, 'KEYGATE_ENV')),
    trustedProxies: Object.freeze(parseTrustedProxies(pick(env, 'TRUSTED_PROXIES'))),
    tlsCertFile,
    tlsKeyFile,
    databasePoolSize: parseInteger('DATABASE_POOL_SIZE', pick(env, 'DATABASE_POOL_SIZE') ?? '10', 1, 200),
    tokenCacheMs: parseInteger('TOKEN_CACHE_MS', pick(env, 'TOKEN_CACHE_MS') ?? '1000', 0, 1000),
    loginFailuresPerUser: parseInteger(
      'LOGIN_FAILURES_PER_USER',
      pick(env, 'LOGIN_FAILURES_PER_USER') ?? '10',
      0,
      1_000_000,
    ),
    loginFailuresPerUserTotal: parseInteger(
      'LOGIN_FAILURES_PER_USER_TOTAL',
      pick(env, 'LOGIN_FAILURES_PER_USER_TOTAL') ?? '100',
      0,
      1_000_000,
    ),
    loginFailuresPerAddress: parseInteger(
      'LOGIN_FAILURES_PER_ADDRESS',
      pick(env, 'LOGIN_FAILURES_PER_ADDRESS') ?? '50',
      0,
      1_000_000,
    ),
    loginFailureWindowSeconds: parseInteger(
      'LOGIN_FAILURE_WINDOW',
      pick(env, 'LOGIN_FAILURE_WINDOW') ?? '900',
      1,
      86_400 * 30,
    ),
    redisUrl: parseRedisUrl(pick(env, 'REDIS_URL')),
    passwordValidators: parsePasswordValidators(
      pick(env, 'PASSWORD_VALIDATORS') ?? 'UserAttributeSimilarity,MinimumLength,Common,Numeric',
    ),
    headersTimeoutMs: parseSeconds(env, 'HEADERS_TIMEOUT', '10'),
    requestTimeoutMs: parseSeconds(env, 'REQUEST_TIMEOUT', '30'),
    keepAliveTimeoutMs: parseSeconds(env, 'KEEP_ALIVE_TIMEOUT', '5'),
    maxConnections: parseInteger('MAX_CONNECTIONS', pick(env, 'MAX_CONNECTIONS') ?? '1024', 1, 1_000_000),
  });
  // Node's HTTP server refuses to start otherwise; say which setting, at start.
  if (config.headersTimeoutMs > config.requestTimeoutMs) {
    throw new ConfigError(
      'HEADERS_TIMEOUT',
      `must not be longer than REQUEST_TIMEOUT (${config.requestTimeoutMs / 1000} seconds)`,
    );
  }
  if (config.production) checkProduction(config, env);
  return config;
}

/**
 * What is allowed but unwise in `config`, one line each, naming the variable (`SECRET_KEY: …`):
 * printed by `keygate serve` when it starts. Never contains a secret.
 */
export function configWarnings(config: Config): string[] {
  const warnings: string[] = [];
  // Counted in characters (code points), as Django counts them.
  const length = config.secretKey === null ? 0 : [...config.secretKey].length;
  if (config.production && config.secretKey !== null && length < SECRET_KEY_ADVISED_LENGTH) {
    warnings.push(
      `SECRET_KEY: is ${length} characters long; production wants at least ${SECRET_KEY_ADVISED_LENGTH} random characters (Django's security.W009): ${SECRET_KEY_ADVICE}`,
    );
  }
  return warnings;
}

/** Loads `.env` from the working directory into process.env (variables already set win). */
export function loadDotEnv(path = resolve('.env')): void {
  if (existsSync(path)) process.loadEnvFile(path);
}
