// Production mode: credentials never travel over plain HTTP (the seed: "only available over https").
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DetailError } from '../errors.js';

/** Probes a load balancer calls over plain HTTP; they carry no credentials and reveal nothing. */
const PLAIN_HTTP_PATHS = new Set(['/healthz', '/readyz']);

/** A request arrived over plain HTTP where only HTTPS is allowed. */
export class HttpsRequired extends DetailError {
  constructor() {
    super(403, 'https_required', 'HTTPS is required: credentials are not accepted over plain HTTP.');
  }
}

function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

/**
 * An onRequest hook for production mode. HTTPS requests pass (TLS terminated by keygate, or by a
 * trusted proxy that says so in X-Forwarded-Proto). Over plain HTTP, a GET or HEAD without
 * credentials is redirected to the same URL on https; anything carrying credentials (an
 * Authorization header or a cookie) or changing state is refused with 403 before it is read.
 */
export async function httpsOnlyHook(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (request.protocol === 'https' || PLAIN_HTTP_PATHS.has(pathOf(request.url))) return;
  const carriesCredentials =
    request.headers.authorization !== undefined || request.headers.cookie !== undefined;
  if (!carriesCredentials && (request.method === 'GET' || request.method === 'HEAD')) {
    await reply
      .code(301)
      .header('location', `https://${request.headers.host ?? ''}${request.url}`)
      .send();
    return;
  }
  throw new HttpsRequired();
}
