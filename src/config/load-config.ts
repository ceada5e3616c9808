// Environment -> validated, frozen Config: for the CLI and the server, the only readers of the environment.
import { completeConfig, ENVIRONMENT_NAMING } from './complete-config.js';
import type { ConfigOptions } from './resolve-config.js';
import { defaultValue, definitionOf, SETTING_KEYS, type Config, type SettingKey } from './settings.js';

/** A variable's text; blank counts as unset. */
function pick(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value;
}

/**
 * Validates the environment and returns a frozen Config; throws ConfigError naming the variable.
 * Every setting is checked once at start, never under load. `defaults` (a project's
 * `keygate.config` settings) replace keygate's defaults; a variable that is set still wins.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, defaults: ConfigOptions = {}): Config {
  const values: Record<string, unknown> = {};
  const given = new Set<SettingKey>();
  for (const key of SETTING_KEYS) {
    const { env: name, parser } = definitionOf(key);
    const text = pick(env, name);
    const preset = defaults[key];
    if (text === undefined && preset !== undefined) {
      values[key] = parser.fromValue(preset, key);
      if (values[key] !== null) given.add(key);
    } else if (text === undefined) {
      values[key] = defaultValue(key);
    } else {
      given.add(key);
      values[key] = parser.fromText(text, name);
    }
  }
  return completeConfig(values as Config, given, ENVIRONMENT_NAMING);
}
