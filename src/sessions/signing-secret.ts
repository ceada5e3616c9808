// The secrets that sign cookies and CSRF tokens, derived from SECRET_KEY (or one random per process).
import { createHmac, randomBytes } from 'node:crypto';
import type { Config } from '../config/index.js';

// Development without SECRET_KEY: fixed for the life of the process (every app built in it agrees),
// so signed cookies do not survive a restart and differ between `--workers` processes.
const PROCESS_SECRET = randomBytes(32).toString('base64url');

/** What a derived key is for; each use gets its own key (Django's salted HMACs). */
export type SecretPurpose = 'cookie-signing' | 'csrf-tokens' | 'device-cookies' | 'known-addresses';

/** The key for `purpose`: an HMAC of SECRET_KEY (else this process's random secret) and the purpose. */
export function derivedSecret(config: Config, purpose: SecretPurpose): string {
  return createHmac('sha256', config.secretKey ?? PROCESS_SECRET)
    .update(`keygate.${purpose}`)
    .digest('base64url');
}
