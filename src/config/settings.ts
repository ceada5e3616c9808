// The settings table: each setting's variable, option, parser, default and help, defined once.
// Config, loadConfig, resolveConfig, `keygate --help`, .env.example and their tests derive from it.
import type { PasswordValidatorSpec } from '../users/password-validators.js';
import { ConfigError } from './config-error.js';
import { passwordValidatorsParser } from './password-validators-parser.js';
import { checkProductionSecret, secretKeyParser } from './secret-key.js';
import {
  booleanParser,
  databaseUrlParser,
  hostListParser,
  hostParser,
  integerParser,
  nullable,
  pathParser,
  portParser,
  productionParser,
  proxyListParser,
  redisUrlParser,
  secondsParser,
  wordParser,
  type SettingParser,
} from './setting-parsers.js';

/** Which token policy the server runs (DESIGN.md "The token model"). */
export type TokenPolicy = 'drf' | 'hashed';

/** pino log levels accepted by LOG_LEVEL. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
/** One of LOG_LEVELS. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** How log lines are written, accepted by LOG_FORMAT (see logFormat). */
export const LOG_FORMATS = ['auto', 'json', 'text'] as const;
/** One of LOG_FORMATS. */
export type LogFormat = (typeof LOG_FORMATS)[number];

/** The default of a setting that has none to write in the environment: its value, and how docs show it. */
export interface UnsetDefault<V> {
  readonly value: V;
  readonly shown: '(unset)' | '(none)';
}

/** What production mode asks beyond the usual rules. */
export interface ProductionRule<V> {
  /** The default does not do: the setting must be given; the message says why. */
  readonly required?: string;
  /** A stricter check of the value; throws a ConfigError naming the setting. */
  check?(value: V, name: string): void;
}

/** One setting, defined once. */
export interface SettingDefinition<V> {
  /** The environment variable (`PORT`); the table's key is the option and Config property (`port`). */
  readonly env: string;
  /** One line for `keygate --help` and `.env.example`. */
  readonly help: string;
  /** The default as the environment spells it (read by `parser` like a given value), or an unset one. */
  readonly default: string | UnsetDefault<V>;
  /** Reads environment text and checks typed options. */
  readonly parser: SettingParser<V>;
  readonly production?: ProductionRule<V>;
}

/** Types a table entry (the value type is inferred from its parser). */
function setting<V>(definition: SettingDefinition<V>): SettingDefinition<V> {
  return Object.freeze(definition);
}

const unset = { value: null, shown: '(unset)' } as const;
const HOSTS_IN_PRODUCTION = 'production mode requires the exact host names served (no "*")';

/** Every setting keygate has, in the order they are documented; keyed by option (Config property). */
export const SETTING_DEFINITIONS = Object.freeze({
  /** Where the data lives: `sqlite:<path>` or `postgres://user@host:port/database`. */
  databaseUrl: setting({
    env: 'DATABASE_URL',
    default: 'sqlite:data/keygate.sqlite3',
    help: 'sqlite:<path> (embedded, created on first start) or postgres://user@host:port/db',
    parser: databaseUrlParser,
  }),
  /** The address the HTTP server listens on. */
  host: setting({
    env: 'HOST',
    default: '127.0.0.1',
    help: 'address the HTTP server listens on',
    parser: hostParser,
  }),
  /** The TCP port the HTTP server listens on (0: any free port). */
  port: setting({
    env: 'PORT',
    default: '8000',
    help: 'TCP port the HTTP server listens on (0-65535)',
    parser: portParser,
  }),
  /** Signs sessions, CSRF tokens and device cookies; null: a random secret per process (development only). */
  secretKey: setting<string | null>({
    env: 'SECRET_KEY',
    default: unset,
    help: 'secret for signing sessions and CSRF tokens; at least 32 characters when set (production: 5+ distinct, 50+ advised)',
    parser: secretKeyParser,
    production: {
      required: 'production mode requires a secret of 32+ characters',
      check: checkProductionSecret,
    },
  }),
  /** Host header values served: names, `.example.com` for subdomains, `*` for any. */
  allowedHosts: setting({
    env: 'ALLOWED_HOSTS',
    default: 'localhost,127.0.0.1,[::1]',
    help: 'comma-separated Host header values served; ".example.com" matches subdomains; "*" any',
    parser: hostListParser,
    production: {
      required: HOSTS_IN_PRODUCTION,
      check(hosts: readonly string[], name: string) {
        if (hosts.includes('*')) throw new ConfigError(name, HOSTS_IN_PRODUCTION);
      },
    },
  }),
  /** Which token policy the server runs. */
  tokenPolicy: setting<TokenPolicy>({
    env: 'TOKEN_POLICY',
    default: 'drf',
    help: 'drf (one stored 40-hex key per user, as DRF) or hashed (named per-device tokens, digest only)',
    parser: wordParser(['drf', 'hashed']),
  }),
  /** Create a token for every new user in the same transaction (DRF's post_save receiver). */
  autoCreateToken: setting({
    env: 'AUTO_CREATE_TOKEN',
    default: 'true',
    help: 'create a token for every new user in the same transaction (the post_save signal)',
    parser: booleanParser,
  }),
  /** The pino log level. */
  logLevel: setting<LogLevel>({
    env: 'LOG_LEVEL',
    default: 'info',
    help: `one of ${LOG_LEVELS.join(', ')}`,
    parser: wordParser(LOG_LEVELS),
  }),
  /**
   * How log lines are written: `json` (one JSON object a line, for machines), `text` (a start-up
   * banner and one short line a request, for a person, as Django's runserver), or `auto`: text when
   * stdout is a terminal outside production, JSON otherwise. Production always logs JSON.
   */
  logFormat: setting<LogFormat>({
    env: 'LOG_FORMAT',
    default: 'auto',
    help: 'auto (readable lines when stdout is a terminal outside production, JSON lines otherwise), json or text; production always logs JSON',
    parser: wordParser(LOG_FORMATS),
    production: {
      check(format: LogFormat, name: string) {
        if (format === 'text') {
          throw new ConfigError(name, 'production mode always logs JSON lines: use json or auto');
        }
      },
    },
  }),
  /** Production mode: HTTPS enforced, HSTS, Secure cookies, and a safe configuration required. */
  production: setting({
    env: 'KEYGATE_ENV',
    default: 'development',
    help: 'production: HTTPS enforced, HSTS, Secure cookies; refuses to start with an unsafe configuration',
    parser: productionParser,
  }),
  /** Proxy addresses (IPs or CIDRs) whose X-Forwarded-Proto/-For are believed. Empty: none. */
  trustedProxies: setting<readonly string[]>({
    env: 'TRUSTED_PROXIES',
    default: { value: Object.freeze([]), shown: '(none)' },
    help: 'comma-separated proxy IPs/CIDRs whose X-Forwarded-Proto and X-Forwarded-For are honoured',
    parser: proxyListParser,
  }),
  /** TLS terminated by keygate itself: the PEM certificate file (with tlsKeyFile, or neither). */
  tlsCertFile: setting<string | null>({
    env: 'TLS_CERT_FILE',
    default: unset,
    help: 'PEM certificate: keygate terminates TLS itself (also --tls-cert)',
    parser: nullable(pathParser),
  }),
  /** The PEM private key file for tlsCertFile. */
  tlsKeyFile: setting<string | null>({
    env: 'TLS_KEY_FILE',
    default: unset,
    help: 'PEM private key for TLS_CERT_FILE (also --tls-key)',
    parser: nullable(pathParser),
  }),
  /** PostgreSQL connections per process. */
  databasePoolSize: setting({
    env: 'DATABASE_POOL_SIZE',
    default: '10',
    help: 'PostgreSQL connections per process (1-200)',
    parser: integerParser(1, 200),
  }),
  /** How long a token lookup is reused in a process (0: never); see TokenCache. */
  tokenCacheMs: setting({
    env: 'TOKEN_CACHE_MS',
    default: '1000',
    help: 'ms a token lookup is reused in a process (0-1000, 0: off); changes in this process and, on PostgreSQL, from anywhere end it at once',
    parser: integerParser(0, 1000),
  }),
  /**
   * Brute-force limits on password logins, failures allowed per window (0 turns a limit off): per
   * username per client (address, or browser device cookie).
   */
  loginFailuresPerUser: setting({
    env: 'LOGIN_FAILURES_PER_USER',
    default: '10',
    help: 'failed password logins per username per client (address, or browser device cookie) per window before 429 (0: no limit)',
    parser: integerParser(0, 1_000_000),
  }),
  /** Failures allowed per window per username from addresses that have never logged in as it (0: no limit). */
  loginFailuresPerUserTotal: setting({
    env: 'LOGIN_FAILURES_PER_USER_TOTAL',
    default: '100',
    help: 'failed password logins per username per window from addresses that never logged in as it, before they get 429 (0: no limit)',
    parser: integerParser(0, 1_000_000),
  }),
  /** Failures allowed per window per client address, whatever the username (0: no limit). */
  loginFailuresPerAddress: setting({
    env: 'LOGIN_FAILURES_PER_ADDRESS',
    default: '50',
    help: 'failed password logins per client address per window before 429 (0: no limit)',
    parser: integerParser(0, 1_000_000),
  }),
  /** Seconds the login failure counters cover. */
  loginFailureWindowSeconds: setting({
    env: 'LOGIN_FAILURE_WINDOW',
    default: '900',
    help: 'seconds the login failure counters cover',
    parser: integerParser(1, 86_400 * 30),
  }),
  /** Redis for the login failure counters instead of the database; null keeps them in the database. */
  redisUrl: setting<string | null>({
    env: 'REDIS_URL',
    default: unset,
    help: 'redis:// or rediss:// URL: keep the login failure counters in Redis instead of the database',
    parser: nullable(redisUrlParser),
  }),
  /** The rules every new password must pass, in order (Django's AUTH_PASSWORD_VALIDATORS). */
  passwordValidators: setting<readonly PasswordValidatorSpec[]>({
    env: 'PASSWORD_VALIDATORS',
    default: 'UserAttributeSimilarity,MinimumLength,Common,Numeric',
    help: "Django's password validators every new password must pass, in order; MinimumLength:N sets the length (default 8), UserAttributeSimilarity:0.1-1 the similarity refused (default 0.7); none: no checks",
    parser: passwordValidatorsParser,
  }),
  /** How long a client has to send a request's headers (and, over TLS, to complete the handshake), in ms. */
  headersTimeoutMs: setting({
    env: 'HEADERS_TIMEOUT',
    default: '10',
    help: 'seconds a client has to send its request headers (and to finish a TLS handshake); at most REQUEST_TIMEOUT',
    parser: secondsParser,
  }),
  /** How long a client has to send a whole request, body included, in ms. */
  requestTimeoutMs: setting({
    env: 'REQUEST_TIMEOUT',
    default: '30',
    help: 'seconds a client has to send a whole request, body included (1-3600)',
    parser: secondsParser,
  }),
  /** How long an idle keep-alive connection is kept open between requests, in ms. */
  keepAliveTimeoutMs: setting({
    env: 'KEEP_ALIVE_TIMEOUT',
    default: '5',
    help: 'seconds an idle keep-alive connection stays open (1-3600); behind a proxy that reuses connections, above its idle timeout',
    parser: secondsParser,
  }),
  /** Connections a server process holds at once; past it, new ones are closed as they are accepted. */
  maxConnections: setting({
    env: 'MAX_CONNECTIONS',
    default: '1024',
    help: 'connections each server process holds at once; past it new ones are closed on accept (keep under ulimit -n)',
    parser: integerParser(1, 1_000_000),
  }),
});

/** A Config property, which is also an option of resolveConfig and a key of SETTING_DEFINITIONS. */
export type SettingKey = keyof typeof SETTING_DEFINITIONS;

type ValueOf<D> = D extends SettingDefinition<infer V> ? V : never;

/**
 * The whole runtime configuration, frozen after validation; one property per setting.
 *
 * @interface
 */
export type Config = { readonly [K in SettingKey]: ValueOf<(typeof SETTING_DEFINITIONS)[K]> };

/** The settings' keys in table order. */
export const SETTING_KEYS = Object.freeze(Object.keys(SETTING_DEFINITIONS) as SettingKey[]);

/** A setting's definition, typed loosely for code that walks the whole table. */
export function definitionOf(key: SettingKey): SettingDefinition<unknown> {
  return SETTING_DEFINITIONS[key];
}

/** The value a setting has when it is not given. */
export function defaultValue(key: SettingKey): unknown {
  const { env, default: fallback, parser } = definitionOf(key);
  return typeof fallback === 'string' ? parser.fromText(fallback, env) : fallback.value;
}
