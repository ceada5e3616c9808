// May this request proceed: DRF's permission classes, and the check that runs them in order.
import { NotAuthenticated, PermissionDenied } from '../errors.js';
import type { User } from '../users/user.js';

/**
 * What a permission looks at: the method and who authenticated. Fastify's and Express's requests
 * both have this shape once keygate's authentication ran.
 */
export interface PermissionRequest {
  /** The HTTP method, upper-case (`GET`, `POST`, ...). */
  readonly method: string;
  /** The authenticated user, or null for an anonymous request. */
  readonly user: User | null;
}

/**
 * DRF's BasePermission, for the view as a whole. Write your own as a plain object.
 *
 * @example
 * const IsSuperuser: Permission = { hasPermission: (request) => request.user?.isSuperuser === true };
 */
export interface Permission {
  /** True when the request may proceed; a refusal is a 401 for an anonymous request, else a 403. */
  hasPermission(request: PermissionRequest): boolean;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Anyone, authenticated or not. */
export const AllowAny: Permission = { hasPermission: () => true };

/** Only authenticated users. */
export const IsAuthenticated: Permission = { hasPermission: (request) => request.user !== null };

/** Only staff users (Django's `is_staff`). */
export const IsAdminUser: Permission = { hasPermission: (request) => request.user?.isStaff === true };

/** Anyone may read; only authenticated users may write. */
export const IsAuthenticatedOrReadOnly: Permission = {
  hasPermission: (request) => SAFE_METHODS.has(request.method) || request.user !== null,
};

/**
 * Runs the permissions in order, as DRF's `check_permissions`: a refusal is NotAuthenticated when
 * nobody authenticated, PermissionDenied otherwise.
 */
export function checkPermissions(request: PermissionRequest, permissions: readonly Permission[]): void {
  for (const permission of permissions) {
    if (!permission.hasPermission(request)) {
      if (request.user === null) throw new NotAuthenticated();
      throw new PermissionDenied();
    }
  }
}
