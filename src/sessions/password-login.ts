// A password login from a page (the browsable API's and the admin's): the shared brute-force limit
// with the browser's device cookie, Django's messages, a warning in the log for each failure, and
// the session started (and a new device cookie set) on success.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Throttled } from '../errors.js';
import { DEVICE_COOKIE, deviceCookieOptions } from '../throttle/device-cookie.js';
import type { User } from '../users/user.js';
import type { LoginInput } from './login-form.js';

/** How a login ended: logged in, or the message to show above the form (and its status code). */
export type LoginOutcome =
  { readonly user: User } | { readonly user: null; readonly status: 200 | 429; readonly error: string };

/** Where a login comes from, for its failure messages. */
export interface LoginKind {
  /** The log line of a failure, e.g. "failed admin login". */
  readonly logMessage: string;
  /** The message shown for wrong credentials (or an account `accept` refuses). */
  readonly invalid: string;
  /** Which valid, active accounts may log in here (the admin: staff only). A refusal counts as a failure. */
  readonly accept?: (user: User) => boolean;
}

/**
 * Checks `input` through `keygate.throttle.guard` (reserved in its counters before any hashing; a
 * valid device cookie for the username gives the browser its own budget) and, on success, sets a
 * new device cookie, starts a new session and records the login. A locked-out login sets the
 * Retry-After header on `reply`.
 */
export async function passwordLogin(
  request: FastifyRequest,
  reply: FastifyReply,
  input: LoginInput,
  kind: LoginKind,
): Promise<LoginOutcome> {
  const { users, throttle, config } = request.server.keygate;
  let user: User | null;
  try {
    const attempt = {
      username: input.username,
      address: request.ip,
      deviceCookie: request.cookies[DEVICE_COOKIE],
    };
    user = await throttle.guard(attempt, async () => {
      const found = await users.authenticate(input.username, input.password);
      return found !== null && (kind.accept?.(found) ?? true) ? found : null;
    });
  } catch (error) {
    if (!(error instanceof Throttled)) throw error;
    void reply.headers(error.headers);
    const seconds = error.headers['retry-after'];
    return {
      user: null,
      status: 429,
      error: `Too many failed login attempts. Try again in ${seconds} seconds.`,
    };
  }
  if (user === null) {
    request.log.warn({ username: input.username, address: request.ip }, kind.logMessage);
    return { user: null, status: 200, error: kind.invalid };
  }
  // A new device cookie on every success (OWASP): this browser keeps its own budget for this username.
  void reply.setCookie(
    DEVICE_COOKIE,
    throttle.devices.issue(input.username),
    deviceCookieOptions(config.production),
  );
  await request.server.sessions.start(request, reply, user);
  await users.touchLastLogin(user);
  return { user };
}
