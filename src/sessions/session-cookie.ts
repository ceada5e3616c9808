// The session cookie: Django's name and lifetime, HttpOnly, SameSite=Lax, Secure in production.
import type { CookieSerializeOptions } from '@fastify/cookie';

/** Django's SESSION_COOKIE_NAME. */
export const SESSION_COOKIE = 'sessionid';

/** Django's SESSION_COOKIE_AGE: two weeks, in seconds. */
export const SESSION_AGE_SECONDS = 14 * 24 * 60 * 60;

/** The attributes the session cookie is set with (and cleared with: the path must match). */
export function sessionCookieOptions(production: boolean): CookieSerializeOptions {
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: production,
    maxAge: SESSION_AGE_SECONDS,
    signed: true,
  };
}
