// keygate for Express 5 (`keygate/express`): DRF's token authentication, permission check and token endpoint.
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
