// The request pipeline's front half: authenticate in order, then check permissions.
import type { FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import type { Authenticator } from './authentication.js';
import { checkPermissions, type Permission } from './permissions.js';

/** The authentication and permission classes of a view (DRF's view attributes). */
export interface AccessPolicy {
  /** Tried in order; the first that recognises the request sets `request.user` and `request.auth`. */
  readonly authentication: readonly Authenticator[];
  /** All must allow the request. */
  readonly permissions: readonly Permission[];
}

/** Authenticates the request with the first class that recognises it, and sets user/auth. */
export async function authenticate(
  request: FastifyRequest,
  authenticators: readonly Authenticator[],
): Promise<void> {
  request.authenticators = authenticators;
  for (const authenticator of authenticators) {
    const result = await authenticator.authenticate(request);
    if (result !== null) {
      request.user = result.user;
      request.auth = result.auth;
      return;
    }
  }
}

/** A hook running a view's authentication then permission checks (DRF's `initial()`). */
export function accessHook(policy: AccessPolicy): onRequestAsyncHookHandler {
  return async function access(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
    await authenticate(request, policy.authentication);
    checkPermissions(request, policy.permissions);
  };
}
