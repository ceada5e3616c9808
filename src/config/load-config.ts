// Environment -> validated, frozen Config: for the CLI and the server, the only readers of the environment.
import { completeConfig, ENVIRONMENT_NAMING } from './complete-config.js';
import { defaultValue, definitionOf, SETTING_KEYS, type Config, type SettingKey } from './settings.js';

/** A variable's text; blank counts as unset. */
function pick(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value;
}

/**
 * Validates the environment and returns a frozen Config; throws ConfigError naming the variable.
 * Every setting is checked once at start, never under load.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const values: Record<string, unknown> = {};
  const given = new Set<SettingKey>();
  for (const key of SETTING_KEYS) {
    const { env: name, parser } = definitionOf(key);
    const text = pick(env, name);
    if (text === undefined) {
      values[key] = defaultValue(key);
    } else {
      given.add(key);
      values[key] = parser.fromText(text, name);
    }
  }
  return completeConfig(values as Config, given, ENVIRONMENT_NAMING);
}
