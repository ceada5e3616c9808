// Redirect responses as Django's HttpResponseRedirect sends them: the Location encoded by iri_to_uri.
import type { FastifyReply } from 'fastify';
import { iriToUri } from './iri-to-uri.js';

/**
 * Sends a redirect to `location` (a path, or an absolute URL keygate built itself). The target is
 * encoded with iri_to_uri, as Django does for every redirect: a `next` outside Latin-1 can no
 * longer make Node refuse the header (a 500), and Latin-1 characters no longer go out as raw
 * bytes. Existing %-escapes are kept. Like Django's, the body is empty HTML.
 */
export function sendRedirect(reply: FastifyReply, status: 301 | 302, location: string): FastifyReply {
  return reply.code(status).header('location', iriToUri(location)).type('text/html; charset=utf-8').send('');
}
