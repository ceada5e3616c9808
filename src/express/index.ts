// keygate for Express 5 (`keygate/express`): DRF's token authentication, permission check and token endpoint.
/**
 * keygate for Express 5 apps: the same token authentication, permissions and token endpoint as the
 * Fastify plugin, as Express middleware and a handler.
 *
 * - {@link tokenAuthentication} sets `req.user`/`req.auth` from an `Authorization: Token <key>` header.
 * - {@link requireAuth} answers 401/403 with DRF's bodies unless the permissions allow the request.
 * - {@link obtainAuthToken} is DRF's `obtain_auth_token` view: username and password in, `{"token"}` out.
 *
 * Express is an optional peer dependency: install `express@5` to use this entry.
 *
 * @module keygate/express
 */
export { tokenAuthentication, type TokenAuthenticationOptions } from './token-authentication.js';
export { requireAuth } from './require-auth.js';
export { obtainAuthToken, type FailedLogin, type ObtainAuthTokenOptions } from './obtain-auth-token.js';
// The permission objects requireAuth() takes: the same ones keygate's Fastify side uses.
export {
  AllowAny,
  IsAdminUser,
  IsAuthenticated,
  IsAuthenticatedOrReadOnly,
  type Permission,
  type PermissionRequest,
} from '../auth/permissions.js';
