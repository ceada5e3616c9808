// Django's CSRF origin checks: a cross-site Origin (or, over HTTPS, Referer) is refused outright.
import type { FastifyRequest } from 'fastify';

/** The origin this request was addressed to: `https://example.com:8443`. */
export function requestOrigin(request: FastifyRequest): string {
  return `${request.protocol}://${request.headers.host ?? ''}`;
}

function originOf(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.origin === 'null' ? null : parsed.origin;
  } catch {
    return null;
  }
}

/**
 * Django's `_origin_verified` and, over HTTPS without an Origin header, `_check_referer`: the
 * reason to refuse, or null. Browsers send Origin with every cross-site POST, so a forged form
 * from another site fails here even before its token is looked at.
 */
export function originFailure(request: FastifyRequest): string | null {
  const expected = requestOrigin(request).toLowerCase();
  const origin = request.headers.origin;
  if (origin !== undefined) {
    if (origin.toLowerCase() === expected) return null;
    return `Origin checking failed - ${origin} does not match any trusted origins.`;
  }
  if (request.protocol !== 'https') return null;
  const referer = request.headers.referer;
  if (referer === undefined || referer === '') return 'Referer checking failed - no Referer.';
  const refererOrigin = originOf(referer);
  if (refererOrigin === null) return 'Referer checking failed - Referer is malformed.';
  if (!refererOrigin.startsWith('https:')) {
    return 'Referer checking failed - Referer is insecure while host is secure.';
  }
  if (refererOrigin.toLowerCase() !== expected) {
    return `Referer checking failed - ${refererOrigin} does not match any trusted origins.`;
  }
  return null;
}
