// Headers for keygate's own HTML pages: a strict Content-Security-Policy and no caching.
import type { FastifyReply } from 'fastify';

/**
 * keygate's Content-Security-Policy: only keygate's own stylesheet and script run (no inline code,
 * so an injected tag cannot execute even if escaping ever failed); requests and forms go only to
 * keygate; no framing. `styleHashes` allow named inline styles a page cannot avoid ('sha256-...').
 */
export function contentSecurityPolicy(styleHashes: readonly string[] = []): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    ["style-src 'self'", ...styleHashes].join(' '),
    "img-src 'self' data:",
    "connect-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The policy of keygate's own HTML pages (the browsable API, the admin). */
export const HTML_CSP = contentSecurityPolicy();

/** Marks a reply as one of keygate's HTML pages: CSP, and never cached (it carries a CSRF token). */
export function htmlPageHeaders(reply: FastifyReply): FastifyReply {
  return reply.header('content-security-policy', HTML_CSP).header('cache-control', 'no-store, private');
}

/** The Content-Type of keygate's HTML. */
export const HTML_TYPE = 'text/html; charset=utf-8';
