// Headers for keygate's own HTML pages: a strict Content-Security-Policy and no caching.
import type { FastifyReply } from 'fastify';

/**
 * Only keygate's own stylesheet and script run (no inline code, so an injected tag cannot
 * execute even if escaping ever failed); forms post only to keygate; no framing.
 */
export const HTML_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Marks a reply as one of keygate's HTML pages: CSP, and never cached (it carries a CSRF token). */
export function htmlPageHeaders(reply: FastifyReply): FastifyReply {
  return reply.header('content-security-policy', HTML_CSP).header('cache-control', 'no-store, private');
}

/** The Content-Type of keygate's HTML. */
export const HTML_TYPE = 'text/html; charset=utf-8';
