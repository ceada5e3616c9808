// keygate's configuration: the settings table and everything derived from it.
export { ConfigError } from './config-error.js';
export { configWarnings } from './config-warnings.js';
export { loadDotEnv } from './dotenv.js';
export { renderEnvExample } from './env-example.js';
export { loadConfig } from './load-config.js';
export { resolveConfig, type ConfigOptions } from './resolve-config.js';
export { SETTINGS, type SettingDoc } from './settings-docs.js';
export {
  LOG_FORMATS,
  LOG_LEVELS,
  SETTING_DEFINITIONS,
  SETTING_KEYS,
  type Config,
  type LogFormat,
  type LogLevel,
  type SettingDefinition,
  type SettingKey,
  type TokenPolicy,
} from './settings.js';
