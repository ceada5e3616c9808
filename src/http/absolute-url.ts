// Django's request.build_absolute_uri(): scheme, the Host header, and the path as requested.
import type { FastifyRequest } from 'fastify';

/**
 * The absolute URL of `path` (default: this request's path and query) on the host the client used.
 * The host is the Host header, which ALLOWED_HOSTS has checked before any route runs; `request.url`
 * is always origin-form (request-target.ts), so an absolute-form target's host never gets in.
 */
export function absoluteUrl(request: FastifyRequest, path: string = request.url): string {
  return `${request.protocol}://${request.headers.host ?? 'localhost'}${path}`;
}
