// Session keys: 32 random bytes in the cookie, only their SHA-256 digest in the database.
import { createHash, randomBytes } from 'node:crypto';

/** The length of a session key as the cookie carries it (32 bytes, base64url). */
export const SESSION_KEY_LENGTH = 43;
const KEY_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** A new session key: 256 bits from the system's CSPRNG. */
export function newSessionKey(): string {
  return randomBytes(32).toString('base64url');
}

/** Whether a cookie value has the shape of a session key (checked before any query). */
export function isSessionKey(value: string): boolean {
  return KEY_PATTERN.test(value);
}

/** The row id of a session key: its SHA-256 hex digest. */
export function sessionDigest(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}
