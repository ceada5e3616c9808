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
  /**
   * DRF's `has_object_permission`: asked, after `hasPermission`, about the item a detail request
   * (GET, PUT, PATCH, DELETE, and OPTIONS describing PUT) loaded. Absent means allowed.
   */
  hasObjectPermission?(request: PermissionRequest, object: unknown): boolean;
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

/** Whether `object[field]` is the requesting user's id (a user-id column such as `owner`). */
function owns(request: PermissionRequest, object: unknown, field: string): boolean {
  if (request.user === null || typeof object !== 'object' || object === null) return false;
  return (object as Record<string, unknown>)[field] === request.user.id;
}

/** Only the user whose id is in the item's `field` may use it (any authenticated user for lists). */
export function isOwner(field = 'owner'): Permission {
  return {
    hasPermission: (request) => request.user !== null,
    hasObjectPermission: (request, object) => owns(request, object, field),
  };
}

/**
 * DRF tutorial's IsOwnerOrReadOnly: anyone may read an item; only the user whose id is in its
 * `field` may change or delete it. Pair it with IsAuthenticatedOrReadOnly for creation.
 */
export function isOwnerOrReadOnly(field = 'owner'): Permission {
  return {
    hasPermission: () => true,
    hasObjectPermission: (request, object) =>
      SAFE_METHODS.has(request.method) || owns(request, object, field),
  };
}

/**
 * Runs the permissions in order, as DRF's `check_permissions`: a refusal is NotAuthenticated when
 * nobody authenticated, PermissionDenied otherwise.
 */
export function checkPermissions(request: PermissionRequest, permissions: readonly Permission[]): void {
  const refusal = permissionRefusal(request, permissions);
  if (refusal !== null) throw refusal;
}

/** {@link checkPermissions}' refusal, returned rather than thrown (null when every permission allows). */
export function permissionRefusal(
  request: PermissionRequest,
  permissions: readonly Permission[],
): NotAuthenticated | PermissionDenied | null {
  for (const permission of permissions) {
    if (!permission.hasPermission(request)) {
      return request.user === null ? new NotAuthenticated() : new PermissionDenied();
    }
  }
  return null;
}

/**
 * Asks each permission about `object`, as DRF's `check_object_permissions`: a refusal is
 * NotAuthenticated when nobody authenticated, PermissionDenied otherwise.
 */
export function checkObjectPermissions(
  request: PermissionRequest,
  permissions: readonly Permission[],
  object: unknown,
): void {
  for (const permission of permissions) {
    if (permission.hasObjectPermission !== undefined && !permission.hasObjectPermission(request, object)) {
      if (request.user === null) throw new NotAuthenticated();
      throw new PermissionDenied();
    }
  }
}
