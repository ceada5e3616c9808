// The names under which the brute-force counters and the known addresses are stored.
import { createHash, createHmac } from 'node:crypto';

// Longer values (the username is whatever the client sent) are stored as a digest to fit varchar(300).
const MAX_PLAIN_SCOPE_VALUE = 200;

function scope(kind: 'user' | 'addr', value: string): string {
  // A NUL too (a Basic header can carry one): PostgreSQL refuses it in text.
  if (value.length <= MAX_PLAIN_SCOPE_VALUE && !value.includes('\0')) return `${kind}:${value}`;
  return `${kind}#sha256:${createHash('sha256').update(value).digest('hex')}`;
}

/** One unambiguous string for a (username, address) pair, whatever characters either holds. */
function pair(username: string, address: string): string {
  return JSON.stringify([username, address]);
}

/**
 * The counter of a username, exactly as submitted (usernames are case-sensitive): failures from
 * addresses that have never logged in as that user, against LOGIN_FAILURES_PER_USER_TOTAL.
 */
export function userScope(username: string): string {
  return scope('user', username);
}

/** The counter of a client address, whatever the username: LOGIN_FAILURES_PER_ADDRESS. */
export function addressScope(address: string): string {
  return scope('addr', address);
}

/**
 * The counter of one username from one address, against LOGIN_FAILURES_PER_USER. A plain digest:
 * every process must name it alike, with or without SECRET_KEY, and it lives one window only.
 */
export function userAddressScope(username: string, address: string): string {
  return `user+addr:${createHash('sha256').update(pair(username, address)).digest('hex')}`;
}

/** The counter of one device cookie (its random id), against LOGIN_FAILURES_PER_USER. */
export function deviceScope(deviceId: string): string {
  return `device:${deviceId}`;
}

/**
 * How a known (username, address) pair is stored: an HMAC under a key derived from SECRET_KEY, so
 * that the table cannot be read back into who logged in from where by trying addresses.
 */
export function knownAddressDigest(key: string, username: string, address: string): string {
  return createHmac('sha256', key).update(pair(username, address)).digest('hex');
}
