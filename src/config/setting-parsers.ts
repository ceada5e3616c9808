// How a setting's value is read: from environment text or as a typed option, by the same rules.
import { isIP } from 'node:net';
import { ConfigError } from './config-error.js';

/**
 * Reads one setting. Both ways apply the same rules and throw a ConfigError naming the setting:
 * environment text (never blank: blank counts as unset) and a typed option (resolveConfig).
 */
export interface SettingParser<V> {
  /** The value that environment text spells. */
  readonly fromText: (text: string, name: string) => V;
  /** A typed option value, checked and normalised as its text would be. */
  readonly fromValue: (value: unknown, name: string) => V;
}

/** A value as an error message shows it (never used for secrets). */
export function shown(value: unknown): string {
  if (
    typeof value === 'string' ||
    typeof value === 'number' ||
    typeof value === 'boolean' ||
    value === null
  ) {
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object' || typeof value === 'function') return `a ${typeof value}`;
  if (typeof value === 'bigint') return `${value}n`;
  return typeof value === 'symbol' ? value.toString() : 'undefined';
}

/** `a or b`, or `one of a, b, c`. */
export function choices(words: readonly string[]): string {
  return words.length === 2 ? `${words[0]} or ${words[1]}` : `one of ${words.join(', ')}`;
}

function expectString(value: unknown, name: string): string {
  if (typeof value !== 'string') throw new ConfigError(name, `expected a string, got ${shown(value)}`);
  return value;
}

/** A setting whose option is a string read exactly as its environment text is. */
export function textParser<V>(fromText: (text: string, name: string) => V): SettingParser<V> {
  return { fromText, fromValue: (value, name) => fromText(expectString(value, name), name) };
}

/** Also accepts null as an option: the value of the setting left unset. */
export function nullable<V>(parser: SettingParser<V>): SettingParser<V | null> {
  return {
    fromText: (text, name) => parser.fromText(text, name),
    fromValue: (value, name) => (value === null ? null : parser.fromValue(value, name)),
  };
}

/** A list option: an array of strings, each checked as an entry of the comma-separated text. */
function listParser(
  check: (entries: string[], name: string) => readonly string[],
): SettingParser<readonly string[]> {
  return {
    fromText: (text, name) => check(text.split(','), name),
    fromValue: (value, name) => {
      if (!Array.isArray(value) || !value.every((entry) => typeof entry === 'string')) {
        throw new ConfigError(name, `expected an array of strings, got ${shown(value)}`);
      }
      return check(value, name);
    },
  };
}

const TRUE_WORDS = new Set(['1', 'true', 'yes', 'on']);
const FALSE_WORDS = new Set(['0', 'false', 'no', 'off']);

/** true/false; the environment also spells them 1/0, yes/no, on/off, in any case. */
export const booleanParser: SettingParser<boolean> = {
  fromText(text, name) {
    const value = text.trim().toLowerCase();
    if (TRUE_WORDS.has(value)) return true;
    if (FALSE_WORDS.has(value)) return false;
    throw new ConfigError(name, `expected true or false, got ${JSON.stringify(text)}`);
  },
  fromValue(value, name) {
    if (typeof value === 'boolean') return value;
    throw new ConfigError(name, `expected true or false, got ${shown(value)}`);
  },
};

/** One of a few words; the environment's spelling is case-insensitive. */
export function wordParser<W extends string>(words: readonly W[]): SettingParser<W> {
  const check = (word: unknown, name: string): W => {
    if (!(words as readonly unknown[]).includes(word)) {
      throw new ConfigError(name, `expected ${choices(words)}, got ${shown(word)}`);
    }
    return word as W;
  };
  return { fromText: (text, name) => check(text.trim().toLowerCase(), name), fromValue: check };
}

/** Production mode: `KEYGATE_ENV=production|development`, or the option `production: true|false`. */
export const productionParser: SettingParser<boolean> = {
  fromText(text, name) {
    const value = text.trim().toLowerCase();
    if (value === 'production') return true;
    if (value === 'development') return false;
    throw new ConfigError(name, `expected development or production, got ${JSON.stringify(text)}`);
  },
  fromValue: booleanParser.fromValue,
};

/** A whole number from `min` to `max`. */
export function integerParser(min: number, max: number): SettingParser<number> {
  const fail = (name: string, got: string): never => {
    throw new ConfigError(name, `expected a whole number from ${min} to ${max}, got ${got}`);
  };
  return {
    fromText(text, name) {
      const value = text.trim();
      if (!/^\d{1,9}$/.test(value) || Number(value) < min || Number(value) > max) {
        return fail(name, JSON.stringify(text));
      }
      return Number(value);
    },
    fromValue(value, name) {
      if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
        return fail(name, shown(value));
      }
      return value;
    },
  };
}

/** A duration of 1 second to an hour: whole seconds in the environment, milliseconds as an option. */
export const secondsParser: SettingParser<number> = {
  fromText: (text, name) => integerParser(1, 3600).fromText(text, name) * 1000,
  fromValue(value, name) {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1000 || value > 3_600_000) {
      throw new ConfigError(
        name,
        `expected a whole number of milliseconds from 1000 to 3600000, got ${shown(value)}`,
      );
    }
    return value;
  },
};

/** A TCP port, 0-65535 (0: any free port). */
export const portParser: SettingParser<number> = {
  fromText(text, name) {
    if (!/^\d{1,5}$/.test(text.trim()))
      throw new ConfigError(name, `expected a number 0-65535, got ${JSON.stringify(text)}`);
    const port = Number(text.trim());
    if (port > 65535) throw new ConfigError(name, `expected a number 0-65535, got ${text}`);
    return port;
  },
  fromValue(value, name) {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 65535) {
      throw new ConfigError(name, `expected a number 0-65535, got ${shown(value)}`);
    }
    return value;
  },
};

/** A listen address: a host name or an IPv4/IPv6 address. */
export const hostParser = textParser((text, name) => {
  const host = text.trim();
  if (!/^[A-Za-z0-9.:-]+$/.test(host)) throw new ConfigError(name, `not an address: ${JSON.stringify(host)}`);
  return host;
});

/** `sqlite:<path>` or `postgres://…`; never repeated in a message, since it may hold a password. */
export const databaseUrlParser = textParser((text, name) => {
  const value = text.trim();
  if (/^postgres(ql)?:\/\/[^\s]+$/.test(value)) return value;
  if (/^sqlite:.+/.test(value)) return value;
  throw new ConfigError(name, 'expected sqlite:<path> or postgres://user@host:port/database');
});

/** `redis://…` or `rediss://…`; never repeated in a message, since it may hold a password. */
export const redisUrlParser = textParser((text, name) => {
  const value = text.trim();
  if (!/^rediss?:\/\/[^\s]+$/.test(value)) {
    throw new ConfigError(name, 'expected redis://[user:password@]host[:port][/db] or rediss://...');
  }
  try {
    new URL(value);
  } catch {
    throw new ConfigError(name, 'not a valid URL');
  }
  return value;
});

/** A file path (whether the file exists is checked with the whole configuration). */
export const pathParser = textParser((text) => text.trim());

/** Host header values: names, `.suffix` for subdomains, `[IPv6]`, or `*`; lower-cased, at least one. */
export const hostListParser = listParser((entries, name) => {
  const hosts = entries.map((h) => h.trim().toLowerCase()).filter((h) => h.length > 0);
  if (hosts.length === 0) throw new ConfigError(name, 'expected at least one host name');
  for (const host of hosts) {
    if (!/^(\*|\.?[a-z0-9.-]+|\[[0-9a-f:.]+\])$/.test(host)) {
      throw new ConfigError(name, `not a host name: ${JSON.stringify(host)}`);
    }
  }
  return Object.freeze(hosts);
});

/**
 * An IPv4 or IPv6 address, optionally with a /prefix of 1-32 or 1-128 bits: exactly what proxy-addr
 * (Fastify's trustProxy) accepts, so a bad entry fails at start and not in buildApp.
 */
function isProxyEntry(entry: string): boolean {
  const slash = entry.indexOf('/');
  const version = isIP(slash === -1 ? entry : entry.slice(0, slash));
  if (version === 0) return false;
  if (slash === -1) return true;
  const prefix = entry.slice(slash + 1);
  return /^\d{1,3}$/.test(prefix) && Number(prefix) >= 1 && Number(prefix) <= (version === 4 ? 32 : 128);
}

/** Proxy addresses and CIDR ranges; may be empty. */
export const proxyListParser = listParser((entries, name) => {
  const proxies = entries.map((p) => p.trim()).filter((p) => p.length > 0);
  for (const entry of proxies) {
    if (!isProxyEntry(entry))
      throw new ConfigError(name, `not an IP address or CIDR: ${JSON.stringify(entry)}`);
  }
  return Object.freeze(proxies);
});
