// DRF's `initial()` for a host's own routes: authenticate, check permissions, answer a refusal.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { accessHook, type AccessPolicy } from '../auth/access.js';
import type { Authenticator } from '../auth/authentication.js';
import type { Permission } from '../auth/permissions.js';
import { errorHandler } from '../http/error-handler.js';

/**
 * Which authentication and permission classes a route uses (DRF's view attributes): the options of
 * `app.authenticate()`, the `onRequest` (or `preHandler`) hook the {@link keygatePlugin} adds to the app.
 *
 * @example
 * // Anyone may read; writing needs a token (or a session, when the plugin's `sessions` are on).
 * app.route({
 *   method: ['GET', 'POST'],
 *   url: '/notes/',
 *   onRequest: app.authenticate({ permissions: [IsAuthenticatedOrReadOnly] }),
 *   handler: notes,
 * });
 * // Staff only, by token alone.
 * app.get('/reports/', {
 *   onRequest: app.authenticate({
 *     authentication: [new TokenAuthentication(app.keygate.tokens)],
 *     permissions: [IsAdminUser],
 *   }),
 * }, reports);
 */
export interface AuthenticateOptions {
  /** Tried in order; the first that recognises the request sets `request.user` and `request.auth`. */
  readonly authentication?: readonly Authenticator[];
  /** All must allow the request. Default `[IsAuthenticated]`; `[AllowAny]` lets anonymous requests in. */
  readonly permissions?: readonly Permission[];
}

/** A Fastify `preHandler` (or `onRequest`) hook, as `app.authenticate()` returns. */
export type AccessPreHandler = (
  request: FastifyRequest,
  reply: FastifyReply,
) => Promise<FastifyReply | undefined>;

/**
 * A hook that authenticates the request and checks its permissions. A refusal is answered here, in
 * DRF's words and status (401 with `WWW-Authenticate: Token`, or 403), whatever the host's own error
 * handler does; so is a database that cannot be reached (503).
 */
export function accessPreHandler(policy: AccessPolicy): AccessPreHandler {
  const access = accessHook(policy);
  return async function keygateAccess(request, reply) {
    try {
      await access.call(request.server, request, reply);
      return undefined;
    } catch (error) {
      errorHandler(error as Parameters<typeof errorHandler>[0], request, reply);
      return reply;
    }
  };
}
