// OWASP's device cookie: proof that this browser has logged in as a username before, so its login
// attempts get their own budget instead of sharing the username's lockout with every stranger.
import { randomBytes } from 'node:crypto';
import { Signer, type CookieSerializeOptions } from '@fastify/cookie';

/** The cookie's name. */
export const DEVICE_COOKIE = 'keygate_device';

/** How long a browser stays trusted after its last successful login: one year, in seconds. */
export const DEVICE_COOKIE_AGE_SECONDS = 365 * 24 * 60 * 60;

// 128 random bits, base64url: the device's id, and the name of its counter.
const NONCE_BYTES = 16;
const NONCE = /^[A-Za-z0-9_-]{22}$/;

/** The attributes the device cookie is set with: HttpOnly, SameSite=Lax, a year, Secure in production. */
export function deviceCookieOptions(production: boolean): CookieSerializeOptions {
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: production,
    maxAge: DEVICE_COOKIE_AGE_SECONDS,
  };
}

/** Issues and checks device cookies. */
export interface DeviceCookies {
  /** A new cookie value for `username`: the username and a random id, signed. Nothing in it is secret. */
  issue(username: string): string;
  /**
   * The device id of `value` when it is a cookie this server signed for exactly `username`; null
   * for anything else (absent, malformed, forged, or issued for another username).
   */
  deviceOf(value: string | undefined, username: string): string | null;
}

/**
 * Device cookies signed with `secret` (HMAC-SHA256 through @fastify/cookie's Signer, which compares
 * signatures in constant time). The value is `<username, base64url>.<id>.<signature>`.
 */
export function createDeviceCookies(secret: string): DeviceCookies {
  const signer = new Signer(secret, 'sha256');
  return {
    issue(username) {
      const nonce = randomBytes(NONCE_BYTES).toString('base64url');
      return signer.sign(`${Buffer.from(username, 'utf8').toString('base64url')}.${nonce}`);
    },
    deviceOf(value, username) {
      if (value === undefined || value.length > 1024) return null;
      const { valid, value: payload } = signer.unsign(value);
      if (!valid || payload === null) return null;
      const parts = payload.split('.');
      if (parts.length !== 2) return null;
      const [name, nonce] = parts as [string, string];
      if (!NONCE.test(nonce)) return null;
      // Usernames are not secret: a plain comparison, exact (usernames are case-sensitive).
      return Buffer.from(name, 'base64url').toString('utf8') === username ? nonce : null;
    },
  };
}
