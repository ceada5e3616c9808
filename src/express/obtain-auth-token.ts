// Express handlers for DRF's ObtainAuthToken (`/gettoken/`) and the seed's CustomAuthToken (`/customtoken/`).
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { MethodNotAllowed } from '../errors.js';
import { obtainToken, TOKEN_RESPONSES } from '../authtoken/obtain-token.js';
import type { Keygate } from '../keygate.js';
import { requestData } from './request-data.js';
import { sendError, sendJson } from './send-answer.js';

/** A failed login, as {@link ObtainAuthTokenOptions.onFailedLogin} is told of it (never the password). */
export interface FailedLogin {
  /** The username that was tried (it may not exist). */
  readonly username: string;
  /** The client address (`req.ip`, which follows Express's `trust proxy`). */
  readonly address: string;
}

/** Options of {@link obtainAuthToken}. */
export interface ObtainAuthTokenOptions {
  /**
   * The 200 body: `token` (default) is DRF's `{"token":"<key>"}`; `custom` is the seed's
   * CustomAuthToken, `{"Token":"<key>","user_id":2,"email":"alice@example.com"}`.
   */
  readonly response?: 'token' | 'custom';
  /** Called for each wrong username/password (to log it); the password is never passed. */
  readonly onFailedLogin?: (failure: FailedLogin) => void;
}

// A 200 carries a key: no cache (browser, proxy) may keep it; errors get the header too, harmlessly.
const NO_STORE = Object.freeze({ 'cache-control': 'no-store' });

/**
 * DRF's ObtainAuthToken as an Express handler, for `app.post('/gettoken/', ...)`: a username and
 * password in a JSON or urlencoded body, the user's token out, with keygate's exact answers (400
 * `{"username":["This field is required."]}`, `{"non_field_errors":["Unable to log in with provided
 * credentials."]}`, a malformed JSON body's `{"detail":"JSON parse error - ..."}`, 415 for other
 * media types, 413 past 1 MiB) and its brute-force limit (429 with `Retry-After`, counted per
 * username and per `req.ip`: set Express's `trust proxy` behind a proxy). Every answer has
 * `Cache-Control: no-store`. The key comes from the token service (under TOKEN_POLICY `drf` the
 * user's one token). Any method but POST is 405.
 *
 * @example
 * ```ts
 * app.post('/gettoken/', obtainAuthToken(keygate));
 * app.post('/customtoken/', obtainAuthToken(keygate, { response: 'custom' }));
 * ```
 */
export function obtainAuthToken(
  keygate: Pick<Keygate, 'users' | 'tokens' | 'throttle' | 'database'>,
  options: ObtainAuthTokenOptions = {},
): RequestHandler {
  const respond = TOKEN_RESPONSES[options.response ?? 'token'];
  const { onFailedLogin } = options;
  return async function keygateObtainAuthToken(
    req: Request,
    res: Response,
    next: NextFunction,
  ): Promise<void> {
    try {
      if (req.method !== 'POST') throw new MethodNotAllowed(req.method, 'POST');
      const { user, key } = await obtainToken(keygate, {
        data: await requestData(req, res),
        address: req.ip ?? req.socket.remoteAddress ?? '',
        ...(onFailedLogin && { onFailure: onFailedLogin }),
      });
      sendJson(res, 200, respond(user, key), { headers: NO_STORE });
    } catch (error) {
      sendError(req, res, next, error, {
        headers: NO_STORE,
        unavailable: (fault) => keygate.database.isUnavailable(fault),
      });
    }
  };
}
