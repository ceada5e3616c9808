// Where the admin is mounted: the site root each admin route carries in its config, so the shared
// page helpers (links, redirects, the messages cookie) follow the host's choice of prefix.
import type { FastifyRequest, RouteOptions } from 'fastify';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The root of the admin site that registered the route, e.g. `/admin/`. */
    adminRoot?: string;
  }
}

/** The admin's root unless the host chooses another. */
export const DEFAULT_ADMIN_ROOT = '/admin/';

/** A root is an absolute path of one or more plain segments, with both slashes: `/backoffice/`. */
const ROOT_PATTERN = /^\/(?:[A-Za-z0-9._~-]+\/)+$/;

/** `root`, checked; a malformed one fails at start-up, not on a request. */
export function checkAdminRoot(root: string): string {
  if (!ROOT_PATTERN.test(root) || root.split('/').some((segment) => segment === '.' || segment === '..')) {
    throw new TypeError(`admin root must be a path like '/admin/' (got ${JSON.stringify(root)})`);
  }
  return root;
}

/** An onRoute hook that marks every route of the admin's plugin with its root. */
export function markAdminRoot(root: string): (route: RouteOptions) => void {
  return (route) => {
    route.config = { ...route.config, adminRoot: root };
  };
}

/** The root of the admin site answering `request` (a route of the admin's plugin). */
export function adminRootOf(request: FastifyRequest): string {
  const root = request.routeOptions.config.adminRoot;
  if (root === undefined) throw new Error('admin page outside the admin site');
  return root;
}
