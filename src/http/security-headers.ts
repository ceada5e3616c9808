// Django's security headers (X-Frame-Options DENY, nosniff, Referrer-Policy same-origin, COOP) on every response.
import type { FastifyInstance } from 'fastify';

/** What Django's SecurityMiddleware and XFrameOptionsMiddleware add. HSTS is added in production mode. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'cross-origin-opener-policy': 'same-origin',
  'referrer-policy': 'same-origin',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
});

/** The HSTS value sent in production mode. */
export const HSTS = 'max-age=31536000';

/**
 * Registers the headers every response carries. They are added when the response is sent (not when
 * the request arrives) so that answers given before any route runs, such as the ALLOWED_HOSTS 400,
 * carry them too; a value a route set itself is kept.
 */
export function registerSecurityHeaders(app: FastifyInstance, production: boolean): void {
  const headers = Object.entries(SECURITY_HEADERS);
  app.addHook('onSend', (request, reply, payload, done) => {
    for (const [name, value] of headers) {
      if (!reply.hasHeader(name)) void reply.header(name, value);
    }
    // Browsers honour HSTS only from HTTPS responses; one year, as Django's deployment checklist advises.
    if (production && request.protocol === 'https') void reply.header('strict-transport-security', HSTS);
    done(null, payload);
  });
}
