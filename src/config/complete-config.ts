// The checks that span settings (TLS pair, timeouts, production mode), run once every value is read.
import { existsSync } from 'node:fs';
import { ConfigError } from './config-error.js';
import { definitionOf, SETTING_KEYS, type Config, type SettingKey } from './settings.js';

/** Where the values came from, so that messages name settings the way their reader wrote them. */
export interface SettingNaming {
  /** The environment variable (`TLS_CERT_FILE`) or the option (`tlsCertFile`). */
  readonly nameOf: (key: SettingKey) => string;
  /** The environment's names, which `keygate serve` also takes as flags. */
  readonly source: 'environment' | 'options';
}

/** Names settings by their environment variables (loadConfig). */
export const ENVIRONMENT_NAMING: SettingNaming = {
  nameOf: (key) => definitionOf(key).env,
  source: 'environment',
};

/** Names settings by their option, which is their Config property (resolveConfig). */
export const OPTION_NAMING: SettingNaming = { nameOf: (key) => key, source: 'options' };

function checkTls(config: Config, { nameOf }: SettingNaming): void {
  const { tlsCertFile, tlsKeyFile } = config;
  if ((tlsCertFile === null) !== (tlsKeyFile === null)) {
    throw new ConfigError(
      nameOf(tlsCertFile === null ? 'tlsCertFile' : 'tlsKeyFile'),
      'TLS needs both a certificate and a key',
    );
  }
  for (const key of ['tlsCertFile', 'tlsKeyFile'] as const) {
    const file = config[key];
    if (file !== null && !existsSync(file)) throw new ConfigError(nameOf(key), `no such file: ${file}`);
  }
}

function checkTimeouts(config: Config, { nameOf, source }: SettingNaming): void {
  // Node's HTTP server refuses to start otherwise; say which setting, at start.
  if (config.headersTimeoutMs > config.requestTimeoutMs) {
    const limit =
      source === 'environment'
        ? `${config.requestTimeoutMs / 1000} seconds`
        : `${config.requestTimeoutMs} ms`;
    throw new ConfigError(
      nameOf('headersTimeoutMs'),
      `must not be longer than ${nameOf('requestTimeoutMs')} (${limit})`,
    );
  }
}

/**
 * Production mode refuses to start rather than run unsafely: it needs a secret that is not
 * obviously weak, an explicit host list, and HTTPS (keygate's own TLS, or a trusted proxy that
 * terminates it).
 */
function checkProduction(config: Config, given: ReadonlySet<SettingKey>, naming: SettingNaming): void {
  const { nameOf } = naming;
  for (const key of SETTING_KEYS) {
    const rule = definitionOf(key).production;
    if (rule === undefined) continue;
    if (rule.required !== undefined && !given.has(key)) throw new ConfigError(nameOf(key), rule.required);
    rule.check?.(config[key], nameOf(key));
  }
  if (config.tlsCertFile === null && config.trustedProxies.length === 0) {
    const flags = naming.source === 'environment' ? ' (or --tls-cert/--tls-key)' : '';
    throw new ConfigError(
      nameOf('tlsCertFile'),
      `production mode requires HTTPS: set ${nameOf('tlsCertFile')} and ${nameOf('tlsKeyFile')}${flags}, or ${nameOf('trustedProxies')} for a proxy that terminates TLS`,
    );
  }
}

/**
 * Checks what no single setting can check, then freezes: `values` holds every setting, `given`
 * those that were set (the rest hold their defaults).
 */
export function completeConfig(
  values: Config,
  given: ReadonlySet<SettingKey>,
  naming: SettingNaming,
): Config {
  checkTls(values, naming);
  checkTimeouts(values, naming);
  if (values.production) checkProduction(values, given, naming);
  return Object.freeze(values);
}
