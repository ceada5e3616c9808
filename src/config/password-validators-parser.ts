// PASSWORD_VALIDATORS: Django's validator names with their options, as text or as typed specs.
import type { PasswordValidatorSpec } from '../users/password-validators.js';
import { ConfigError } from './config-error.js';
import { shown, type SettingParser } from './setting-parsers.js';

const VALIDATOR_NAMES = ['UserAttributeSimilarity', 'MinimumLength', 'Common', 'Numeric'] as const;
type ValidatorName = (typeof VALIDATOR_NAMES)[number];

/** Django's bounds: a minimum length of 1-1024; a max_similarity of at least 0.1 (above 1 refuses nothing). */
const isMinLength = (n: number): boolean => Number.isInteger(n) && n >= 1 && n <= 1024;
const isSimilarity = (n: number): boolean => n >= 0.1 && n <= 1;

/** One text entry: a name, case-insensitive, and for two of them an option after a colon. */
function specFromText(entry: string, setting: string): PasswordValidatorSpec {
  const fail = (why: string): never => {
    throw new ConfigError(setting, `${JSON.stringify(entry)}: ${why}`);
  };
  const colon = entry.indexOf(':');
  const word = (colon === -1 ? entry : entry.slice(0, colon)).trim().toLowerCase();
  const option = colon === -1 ? null : entry.slice(colon + 1).trim();
  const name = VALIDATOR_NAMES.find((n) => n.toLowerCase() === word);
  if (name === undefined) return fail(`expected one of ${VALIDATOR_NAMES.join(', ')} (or none)`);
  if (name === 'MinimumLength') {
    if (option === null) return { name, minLength: 8 };
    if (!/^\d{1,4}$/.test(option) || !isMinLength(Number(option))) {
      return fail('expected MinimumLength:N with N from 1 to 1024');
    }
    return { name, minLength: Number(option) };
  }
  if (name === 'UserAttributeSimilarity') {
    if (option === null) return { name, maxSimilarity: 0.7 };
    if (!/^(0|1)(\.\d{1,6})?$/.test(option) || !isSimilarity(Number(option))) {
      return fail('expected UserAttributeSimilarity:S with S from 0.1 to 1');
    }
    return { name, maxSimilarity: Number(option) };
  }
  if (option !== null) return fail(`${name} takes no option`);
  return { name };
}

/** One typed spec, e.g. `{ name: 'MinimumLength', minLength: 12 }`, checked by the same bounds. */
function specFromValue(value: unknown, setting: string): PasswordValidatorSpec {
  const fail = (why: string): never => {
    throw new ConfigError(setting, why);
  };
  if (typeof value !== 'object' || value === null) {
    return fail(`expected validator specs such as { name: 'Common' }, got ${shown(value)}`);
  }
  const spec = value as { name?: unknown; minLength?: unknown; maxSimilarity?: unknown };
  const name = VALIDATOR_NAMES.find((n) => n === spec.name);
  if (name === undefined) return fail(`expected name to be one of ${VALIDATOR_NAMES.join(', ')}`);
  if (name === 'MinimumLength') {
    const minLength = spec.minLength ?? 8;
    if (typeof minLength !== 'number' || !isMinLength(minLength)) {
      return fail(`MinimumLength: expected minLength from 1 to 1024, got ${shown(minLength)}`);
    }
    return { name, minLength };
  }
  if (name === 'UserAttributeSimilarity') {
    const maxSimilarity = spec.maxSimilarity ?? 0.7;
    if (typeof maxSimilarity !== 'number' || !isSimilarity(maxSimilarity)) {
      return fail(
        `UserAttributeSimilarity: expected maxSimilarity from 0.1 to 1, got ${shown(maxSimilarity)}`,
      );
    }
    return { name, maxSimilarity };
  }
  return { name };
}

function frozenSpecs(specs: PasswordValidatorSpec[], setting: string): readonly PasswordValidatorSpec[] {
  const seen = new Set<ValidatorName>();
  for (const spec of specs) {
    if (seen.has(spec.name)) throw new ConfigError(setting, `${spec.name} is listed twice`);
    seen.add(spec.name);
  }
  return Object.freeze(specs.map((spec) => Object.freeze(spec)));
}

/** Django's AUTH_PASSWORD_VALIDATORS: comma-separated names (`none`: no checks), or an array of specs. */
export const passwordValidatorsParser: SettingParser<readonly PasswordValidatorSpec[]> = {
  fromText(text, name) {
    if (text.trim().toLowerCase() === 'none') return Object.freeze([]);
    const entries = text
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry.length > 0);
    if (entries.length === 0) {
      throw new ConfigError(name, 'expected validator names, or none for no checks');
    }
    return frozenSpecs(
      entries.map((entry) => specFromText(entry, name)),
      name,
    );
  },
  fromValue(value, name) {
    if (!Array.isArray(value)) {
      throw new ConfigError(
        name,
        `expected an array of validator specs ([] for no checks), got ${shown(value)}`,
      );
    }
    return frozenSpecs(
      value.map((entry: unknown) => specFromValue(entry, name)),
      name,
    );
  },
};
