// keygate for Express 5 (`keygate/express`): DRF's token authentication, permission check and token endpoint.
export { tokenAuthentication, type TokenAuthenticationOptions } from './token-authentication.js';
export { requireAuth } from './require-auth.js';
export { obtainAuthToken, type FailedLogin, type ObtainAuthTokenOptions } from './obtain-auth-token.js';
