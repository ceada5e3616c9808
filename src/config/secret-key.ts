// SECRET_KEY's rules: 32+ characters always; in production 5+ distinct, and a warning under 50.
import { ConfigError } from './config-error.js';
import type { SettingParser } from './setting-parsers.js';

/**
 * Django's deployment check security.W009 asks for a SECRET_KEY of at least 50 characters with at
 * least 5 distinct ones. Production refuses fewer distinct characters (`xxxx…`, `abab…`: not a
 * secret whatever its length) and warns under the length.
 */
const SECRET_KEY_MIN_LENGTH = 32;
const SECRET_KEY_MIN_DISTINCT = 5;
/** The length under which production mode warns (configWarnings). */
export const SECRET_KEY_ADVISED_LENGTH = 50;
/** How to make a good secret, quoted by every message about a weak one. */
export const SECRET_KEY_ADVICE = 'generate one with `openssl rand -base64 48`';

function checkLength(text: string, name: string): string {
  if (text.length < SECRET_KEY_MIN_LENGTH) {
    throw new ConfigError(name, `must be at least ${SECRET_KEY_MIN_LENGTH} characters long`);
  }
  return text;
}

/** The secret, checked for length only (null: unset); the value is never repeated in a message. */
export const secretKeyParser: SettingParser<string | null> = {
  fromText: checkLength,
  fromValue(value, name) {
    if (value === null) return null;
    if (typeof value !== 'string') {
      throw new ConfigError(
        name,
        `expected a string of at least ${SECRET_KEY_MIN_LENGTH} characters, or null`,
      );
    }
    return checkLength(value, name);
  },
};

/** What production mode asks of a secret that is set: not obviously weak. */
export function checkProductionSecret(secretKey: string | null, name: string): void {
  if (secretKey !== null && new Set(secretKey).size < SECRET_KEY_MIN_DISTINCT) {
    throw new ConfigError(
      name,
      `has fewer than ${SECRET_KEY_MIN_DISTINCT} distinct characters, so it is no secret; ${SECRET_KEY_ADVICE}`,
    );
  }
}
