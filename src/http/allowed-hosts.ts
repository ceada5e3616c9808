// Django's ALLOWED_HOSTS: a request for a Host keygate does not serve is a 400 before anything else.
import type { FastifyReply, FastifyRequest } from 'fastify';

// Django's host_validation_re: a name or a bracketed IPv6 address, then an optional port.
const HOST_PATTERN = /^([a-z0-9.-]+|\[[a-f0-9]*:[a-f0-9.:]+\])(:\d+)?$/;

/** Django's page for a 400, byte for byte. */
const BAD_REQUEST_PAGE =
  '\n<!doctype html>\n<html lang="en">\n<head>\n  <title>Bad Request (400)</title>\n</head>\n<body>\n  <h1>Bad Request (400)</h1><p></p>\n</body>\n</html>\n';

/** The host part of a Host header (lower-cased, port removed), or null when it is malformed. */
export function hostOf(header: string | undefined): string | null {
  if (header === undefined) return null;
  const value = header.toLowerCase();
  const match = HOST_PATTERN.exec(value);
  if (!match) return null;
  const host = match[1]!;
  return host.endsWith('.') ? host.slice(0, -1) : host;
}

/** Django's `validate_host`: exact names, `.example.com` for a domain and its subdomains, `*` for any. */
export function isAllowedHost(host: string, allowed: readonly string[]): boolean {
  return allowed.some(
    (pattern) =>
      pattern === '*' ||
      pattern === host ||
      (pattern.startsWith('.') && (host.endsWith(pattern) || host === pattern.slice(1))),
  );
}

// Deliberate cache: the verdict per Host header value, so the check is one Map lookup per request.
// Bounded (cleared when full) because the header is chosen by the client.
const VERDICT_CACHE_SIZE = 256;

/** An onRequest hook answering 400 for a missing, malformed or unlisted Host. */
export function allowedHostsHook(allowed: readonly string[]) {
  const verdicts = new Map<string, boolean>();
  const isAllowed = (header: string | undefined): boolean => {
    if (header === undefined) return false;
    let verdict = verdicts.get(header);
    if (verdict === undefined) {
      const host = hostOf(header);
      verdict = host !== null && isAllowedHost(host, allowed);
      if (verdicts.size >= VERDICT_CACHE_SIZE) verdicts.clear();
      verdicts.set(header, verdict);
    }
    return verdict;
  };
  return function checkHost(
    request: FastifyRequest,
    reply: FastifyReply,
    done: (error?: Error) => void,
  ): void {
    if (isAllowed(request.headers.host)) {
      done();
      return;
    }
    request.log.warn({ host: request.headers.host }, 'invalid HTTP_HOST header');
    void reply.code(400).type('text/html; charset=utf-8').send(BAD_REQUEST_PAGE);
  };
}
