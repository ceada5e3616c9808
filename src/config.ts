// Environment -> validated, frozen Config. Every setting is checked once at start, never under load.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

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
    description: 'secret for signing sessions and CSRF tokens; at least 32 characters when set',
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

  return Object.freeze({
    databaseUrl: parseDatabaseUrl(pick(env, 'DATABASE_URL') ?? 'sqlite:data/keygate.sqlite3'),
    host,
    port: parsePort(pick(env, 'PORT') ?? '8000'),
    secretKey,
    allowedHosts: Object.freeze(parseAllowedHosts(pick(env, 'ALLOWED_HOSTS') ?? 'localhost,127.0.0.1,[::1]')),
    tokenPolicy: policy,
    autoCreateToken: parseBoolean('AUTO_CREATE_TOKEN', pick(env, 'AUTO_CREATE_TOKEN') ?? 'true'),
    logLevel: logLevel as LogLevel,
  });
}

/** Loads `.env` from the working directory into process.env (variables already set win). */
export function loadDotEnv(path = resolve('.env')): void {
  if (existsSync(path)) process.loadEnvFile(path);
}
