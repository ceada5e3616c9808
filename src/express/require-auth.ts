// Express middleware for DRF's permission check: 401 for nobody, 403 for a user a permission refuses.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import {
  checkPermissions,
  IsAuthenticated,
  type Permission,
  type PermissionRequest,
} from '../auth/permissions.js';
import { sendError } from './send-answer.js';
import { challengeOf } from './token-authentication.js';

/**
 * DRF's `permission_classes` for an Express route: runs `permissions` in order (IsAuthenticated when
 * none is given) on the user {@link tokenAuthentication} found. A refusal of an anonymous request
 * is DRF's 401 `{"detail":"Authentication credentials were not provided."}` with
 * `WWW-Authenticate: Token`; of an authenticated user, 403 `{"detail":"You do not have permission
 * to perform this action."}`. A permission is `{ hasPermission(request): boolean }` and is given the
 * Express request. Without tokenAuthentication() before it, the request goes to the app's error
 * handler: that is a wiring mistake, never an anonymous pass.
 *
 * @example
 * ```ts
 * app.delete('/things/:id', requireAuth(IsAdminUser), handler);
 * ```
 */
export function requireAuth(...permissions: Permission[]): RequestHandler {
  const checks = permissions.length > 0 ? permissions : [IsAuthenticated];
  return function keygateRequireAuth(req: Request, res: Response, next: NextFunction): void {
    const challenge = challengeOf(req);
    if (challenge === undefined || req.user === undefined) {
      next(
        new Error(
          'keygate: requireAuth() runs after tokenAuthentication(), which did not run on this request',
        ),
      );
      return;
    }
    try {
      // The user is set (null or a User): the Express request is a PermissionRequest.
      checkPermissions(req as Request & PermissionRequest, checks);
    } catch (error) {
      sendError(req, res, next, error, { challenge, varyAccept: true });
      return;
    }
    next();
  };
}
