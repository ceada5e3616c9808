// Django's CommonMiddleware APPEND_SLASH: a URL that matches nothing, but would with a final `/`, is redirected there.
import type { FastifyRequest } from 'fastify';

/**
 * Django's APPEND_SLASH target: the request's path with a `/` added, then its query. Built from
 * `request.url`, which is always origin-form (an absolute-form target was reduced to its path
 * before routing, see request-target.ts), so no client-chosen host can reach the Location.
 */
export function slashedTarget(url: string): string {
  const search = url.indexOf('?');
  const path = search === -1 ? url : url.slice(0, search);
  const target = `${path.endsWith('/') ? path : `${path}/`}${search === -1 ? '' : url.slice(search)}`;
  // Django's escape_leading_slashes: `//host/...` would be another site to a browser.
  return target.startsWith('//') ? `/%2F${target.slice(2)}` : target;
}

/**
 * Where CommonMiddleware sends a request no route matched (should_redirect_with_slash): its
 * slashed URL, when its path does not end in `/` and the slashed path is a route's, for any
 * method (Django's is_valid_path resolves the path alone; a catch-all route does not count), or
 * null. The API views redirect their own unslashed URLs before authentication; this is the rest
 * (`/auth/login`, `/admin/products` for staff).
 */
export function appendSlashTarget(request: FastifyRequest): string | null {
  const search = request.url.indexOf('?');
  const path = search === -1 ? request.url : request.url.slice(0, search);
  if (path.endsWith('/')) return null;
  const { server } = request;
  for (const method of server.supportedMethods) {
    const found = server.findRoute({ method, url: `${path}/` });
    if (found !== null && !('*' in (found.params as Record<string, unknown>)))
      return slashedTarget(request.url);
  }
  return null;
}
