// DRF's SessionAuthentication: the browser's login session, with CSRF enforced on unsafe methods.
import type { FastifyRequest } from 'fastify';
import type { Authenticated, Authenticator } from './authentication.js';
import type {} from './session-vary.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);

/**
 * Authenticates by the `sessionid` cookie (see `app.sessions`). No cookie, an unknown, expired or
 * logged-out session, or an inactive user are all "not my scheme" (null): like Django, a dead
 * session is simply anonymous. An unsafe method must then pass the CSRF check, which runs once
 * the body is parsed (a form may carry the token), before the handler. Token-authenticated and
 * anonymous requests never reach this point, so they never need a CSRF token.
 */
export class SessionAuthentication implements Authenticator {
  /** The user of the request's live session (`auth` is null), or null: never throws for a bad cookie. */
  async authenticate(request: FastifyRequest): Promise<Authenticated | null> {
    // An app without the plugin's sessions has no session to read: nobody is logged in.
    if (!request.server.hasDecorator('sessions')) return null;
    // DRF reads `request._request.user` here, which reads the session: the answer varies by Cookie.
    request.sessionAccessed = true;
    const session = await request.server.sessions.load(request);
    if (session === null || !session.user.isActive) return null;
    if (!SAFE_METHODS.has(request.method)) request.csrfRequired = true;
    return { user: session.user, auth: null };
  }

  /** None: a view whose first class is Session answers 403, not 401 (DRF). */
  authenticateHeader(): undefined {
    return undefined;
  }
}
