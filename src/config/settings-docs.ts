// The settings as documentation lists them: variable, default and meaning, read off the table.
import { definitionOf, SETTING_KEYS, type SettingKey } from './settings.js';

/** One documented setting: its variable, default and meaning (used by `.env.example` and `--help`). */
export interface SettingDoc {
  /** The environment variable. */
  readonly name: string;
  /** The option of resolveConfig and property of Config. */
  readonly option: SettingKey;
  /** As the environment spells it, or `(unset)`/`(none)`. */
  readonly default: string;
  readonly description: string;
}

/** Every environment variable keygate reads, in the order they are documented. */
export const SETTINGS: readonly SettingDoc[] = Object.freeze(
  SETTING_KEYS.map((key) => {
    const { env, default: fallback, help } = definitionOf(key);
    return Object.freeze({
      name: env,
      option: key,
      default: typeof fallback === 'string' ? fallback : fallback.shown,
      description: help,
    });
  }),
);
