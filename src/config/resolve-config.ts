// Typed options -> validated, frozen Config, for library use: reads neither process.env nor .env.
import { completeConfig, OPTION_NAMING } from './complete-config.js';
import { ConfigError } from './config-error.js';
import { defaultValue, definitionOf, SETTING_KEYS, type Config, type SettingKey } from './settings.js';

/**
 * keygate's settings as typed options: Config's properties, each optional (left out: its default).
 *
 * @interface
 */
export type ConfigOptions = { readonly [K in SettingKey]?: Config[K] | undefined };

/**
 * Builds a complete, validated, frozen Config from typed options and the defaults, by the same
 * rules as loadConfig; a bad option throws a ConfigError naming it (`port: expected …`). Durations
 * are in milliseconds as in Config. Without `secretKey`, outside production, sessions are signed
 * with a random secret of this process (as when SECRET_KEY is unset).
 *
 * @example
 * const config = resolveConfig({ databaseUrl: 'postgres://app@db/app', tokenPolicy: 'hashed' });
 */
export function resolveConfig(options: ConfigOptions = {}): Config {
  for (const key of Object.keys(options)) {
    if (!(SETTING_KEYS as readonly string[]).includes(key)) {
      throw new ConfigError(key, `not a keygate setting; expected one of ${SETTING_KEYS.join(', ')}`);
    }
  }
  const values: Record<string, unknown> = {};
  const given = new Set<SettingKey>();
  for (const key of SETTING_KEYS) {
    const value = options[key];
    if (value === undefined) {
      values[key] = defaultValue(key);
    } else {
      values[key] = definitionOf(key).parser.fromValue(value, key);
      // null is how an option says "unset" (secretKey: null), as a blank variable does.
      if (values[key] !== null) given.add(key);
    }
  }
  return completeConfig(values as Config, given, OPTION_NAMING);
}
