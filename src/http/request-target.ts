// The request target as keygate routes and links it: always origin-form (a path and its query).

// RFC 9112 §3.2.2 absolute-form: `http://authority/path?query`, scheme case-insensitive.
const ABSOLUTE_FORM = /^https?:\/\/[^/?#]*/i;

/**
 * Fastify's `rewriteUrl`: an absolute-form target (`GET http://evil.example/product_api`) becomes
 * its origin-form (`/product_api`; `/` when it has no path), so routing, logs, redirects and links
 * all see a path, never a client-chosen authority. Origin-form and asterisk-form (`OPTIONS *`)
 * targets are kept; anything else is left for the router to refuse.
 *
 * The authority is dropped, not used as the host. RFC 9112 tells an origin server to prefer it to
 * the Host header, but keygate answers as Django does: Django (behind gunicorn or uvicorn) routes
 * by the path and takes the host from the Host header alone, which ALLOWED_HOSTS validates. A
 * client that follows RFC 9112 sends a Host identical to the authority anyway, so the two differ
 * only for a broken or hostile client; taking the host from one place keeps one check on it, and
 * an unvalidated authority can never reach a Location header or a pagination link.
 */
export function originForm(url: string): string {
  if (url.charCodeAt(0) === 0x2f) return url; // '/': origin-form, nearly every request
  const authority = ABSOLUTE_FORM.exec(url);
  if (authority === null) return url;
  const rest = url.slice(authority[0].length);
  return rest.startsWith('/') ? rest : `/${rest}`;
}
