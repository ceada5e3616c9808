// Express middleware for DRF's TokenAuthentication: `Authorization: Token <key>` sets req.user and req.auth.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { authenticateTokenHeader } from '../auth/authentication.js';
import type { Token } from '../authtoken/token.js';
import type { Keygate } from '../keygate.js';
import type { User } from '../users/user.js';
import { sendError } from './send-answer.js';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- Express's own way to add request fields.
  namespace Express {
    interface Request {
      /**
       * DRF's `request.user`: the user the token belongs to, null for an anonymous request. Set by
       * keygate's `tokenAuthentication()`; undefined on routes it does not run on.
       */
      user?: User | null;
      /** DRF's `request.auth`: the token that authenticated the request, null when none did. */
      auth?: Token | null;
    }
  }
}

/** Options of {@link tokenAuthentication}. */
export interface TokenAuthenticationOptions {
  /**
   * The scheme word of the `Authorization` header and of the `WWW-Authenticate` challenge
   * (DRF's `TokenAuthentication.keyword`); matched case-insensitively. Default `Token`.
   */
  readonly keyword?: string;
}

// Deliberate per-request mark (an entry goes with its request): the challenge of the
// authentication that ran, for the 401s of the permission check after it.
const challenges = new WeakMap<Request, string>();

/** The WWW-Authenticate challenge of the tokenAuthentication() that ran on `req`, if one did. */
export function challengeOf(req: Request): string | undefined {
  return challenges.get(req);
}

/**
 * DRF's TokenAuthentication as Express middleware. With `Authorization: Token <key>` of an active
 * user, `req.user` is that user and `req.auth` the token; with no `Authorization` header or another
 * scheme, both are null and the request goes on (a route that needs a user refuses it with
 * {@link requireAuth}). A malformed `Token` header, an unknown key or an inactive user's key is
 * answered here with DRF's exact 401 (`{"detail":"Invalid token."}`, `WWW-Authenticate: Token`),
 * as DRF refuses bad credentials on every view, public ones too. The key never reaches a log or an
 * error.
 *
 * @example
 * ```ts
 * app.use(tokenAuthentication(keygate));
 * app.get('/me', requireAuth(), (req, res) => res.json({ username: req.user?.username }));
 * ```
 */
export function tokenAuthentication(
  keygate: Pick<Keygate, 'tokens' | 'database'>,
  options: TokenAuthenticationOptions = {},
): RequestHandler {
  const keyword = options.keyword ?? 'Token';
  return async function keygateTokenAuthentication(
    req: Request,
    res: Response,
    next: NextFunction,
  ): Promise<void> {
    challenges.set(req, keyword);
    req.user = null;
    req.auth = null;
    try {
      const authenticated = await authenticateTokenHeader(keygate.tokens, req.headers.authorization, keyword);
      if (authenticated !== null) {
        req.user = authenticated.user;
        req.auth = authenticated.auth;
      }
    } catch (error) {
      sendError(req, res, next, error, {
        challenge: keyword,
        varyAccept: true,
        unavailable: (fault) => keygate.database.isUnavailable(fault),
      });
      return;
    }
    next();
  };
}
