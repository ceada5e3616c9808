// Django's security headers (X-Frame-Options DENY, nosniff, Referrer-Policy same-origin, COOP) via helmet.
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/** Registers the headers every response carries. HSTS belongs to production mode, not here. */
export function registerSecurityHeaders(app: FastifyInstance): void {
  void app.register(helmet, {
    global: true,
    contentSecurityPolicy: false,
    crossOriginEmbedderPolicy: false,
    crossOriginResourcePolicy: false,
    crossOriginOpenerPolicy: { policy: 'same-origin' },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'same-origin' },
    hsts: false,
    originAgentCluster: false,
    xDnsPrefetchControl: false,
    xDownloadOptions: false,
    xPermittedCrossDomainPolicies: false,
    xXssProtection: false,
  });
}
