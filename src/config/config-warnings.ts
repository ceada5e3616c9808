// What a configuration allows but advises against, printed by `keygate serve` at start.
import { SECRET_KEY_ADVICE, SECRET_KEY_ADVISED_LENGTH } from './secret-key.js';
import type { Config } from './settings.js';

/**
 * What is allowed but unwise in `config`, one line each, naming the variable (`SECRET_KEY: …`):
 * printed by `keygate serve` when it starts. Never contains a secret.
 */
export function configWarnings(config: Config): string[] {
  const warnings: string[] = [];
  // Counted in characters (code points), as Django counts them.
  const length = config.secretKey === null ? 0 : [...config.secretKey].length;
  if (config.production && config.secretKey !== null && length < SECRET_KEY_ADVISED_LENGTH) {
    warnings.push(
      `SECRET_KEY: is ${length} characters long; production wants at least ${SECRET_KEY_ADVISED_LENGTH} random characters (Django's security.W009): ${SECRET_KEY_ADVICE}`,
    );
  }
  return warnings;
}
