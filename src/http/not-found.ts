// Requests no route matches, answered as Django does: an API view's for another method, APPEND_SLASH's 301, or the 404 page.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { NoRouteMatches } from '../errors.js';
import { appendSlashTarget } from './append-slash.js';
import { errorHandler } from './error-handler.js';
import { sendRedirect } from './redirect.js';
import { answerUnroutedMethod } from './unrouted-methods.js';

/**
 * Fastify's not-found handler: a request no route matched, as Django's CommonMiddleware and URL
 * resolver answer it: APPEND_SLASH's 301 when the path with a final `/` is a route's, else the
 * 404 page. Answered here rather than thrown, so a failure while sending it reaches errorHandler
 * again.
 */
export function notFoundHandler(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const slashed = appendSlashTarget(request);
  if (slashed !== null) return sendRedirect(reply, 301, slashed);
  errorHandler(new NoRouteMatches(), request, reply);
  return reply;
}

async function answerNotFound(
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply | undefined> {
  if (!request.is404) return undefined;
  // A method Fastify routes nowhere (TRACE, FOO) at an API view's URL is that view's (DRF's 405).
  if (!(await answerUnroutedMethod(request, reply))) notFoundHandler(request, reply);
  return reply;
}

/**
 * Answers requests no route matched in an app-wide onRequest hook, before Fastify reads a body:
 * Django resolves the URL before anything parses the body, so neither a malformed body nor a
 * missing Content-Type (which Fastify demands of QUERY) answers first, and an API view answering
 * another method authenticates before it parses, as its own routes do. Registered after the
 * session plugin, whose cookies SessionAuthentication reads.
 */
export const notFoundPlugin = fp(
  function notFound(app: FastifyInstance, _options: unknown, done: () => void) {
    app.addHook('onRequest', answerNotFound);
    done();
  },
  { name: 'keygate-not-found', fastify: '5.x', dependencies: ['keygate-sessions'] },
);
