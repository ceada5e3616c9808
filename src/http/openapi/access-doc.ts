// What a view's authentication and permission classes mean for its operations: security and 401/403.
import type { AccessPolicy } from '../../auth/access.js';
import { TokenAuthentication } from '../../auth/authentication.js';
import { BasicAuthentication, INVALID_BASIC_CREDENTIALS } from '../../auth/basic-authentication.js';
import { AllowAny, IsAuthenticated, IsAuthenticatedOrReadOnly } from '../../auth/permissions.js';
import { SessionAuthentication } from '../../auth/session-authentication.js';
import { SESSION_COOKIE } from '../../sessions/session-cookie.js';
import {
  AuthenticationFailed,
  CsrfFailed,
  NotAuthenticated,
  PermissionDenied,
  Throttled,
} from '../../errors.js';
import { ErrorSchema } from '../error-schemas.js';
import type { ResponseDoc } from './response-doc.js';

/** The security scheme that token-protected operations name in their `security`. */
export const TOKEN_AUTH_SCHEME = 'TokenAuth';

/** The security scheme of the browser's login session (the browsable API's). */
export const SESSION_AUTH_SCHEME = 'SessionAuth';

/** `components.securitySchemes`: one per authentication class an operation may name. */
export const SECURITY_SCHEMES = {
  [TOKEN_AUTH_SCHEME]: {
    type: 'apiKey',
    in: 'header',
    name: 'Authorization',
    description: 'The header value is `Token <key>`, e.g. `Token 9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b`.',
  },
  [SESSION_AUTH_SCHEME]: {
    type: 'apiKey',
    in: 'cookie',
    name: SESSION_COOKIE,
    description:
      'The session of a user logged in at `/auth/login/` (the browsable API). Unsafe methods must ' +
      "also send the CSRF token of the browsable API's forms in the `X-CSRFToken` header.",
  },
} as const;

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The login limits' Retry-After: whole seconds until a login is checked again. */
export const RETRY_AFTER = {
  description: 'Seconds until a login is checked again.',
  schema: { type: 'integer', minimum: 1 },
} as const;

/** Permission classes whose only refusal is "not authenticated" (on some methods or all). */
const AUTHENTICATION_ONLY: ReadonlySet<unknown> = new Set([IsAuthenticated, IsAuthenticatedOrReadOnly]);

/** What the view's classes can answer on one method, and the credentials it names. */
export interface AccessDoc {
  /** The operation's `security`: `[]` when anonymous requests are allowed. */
  readonly security: readonly Record<string, readonly string[]>[];
  readonly responses: Readonly<Record<number, ResponseDoc>>;
}

/** Whether the permissions let an anonymous request through on `method`. */
function anonymousAllowed(access: AccessPolicy, method: string): boolean {
  return access.permissions.every(
    (permission) =>
      permission === AllowAny || (permission === IsAuthenticatedOrReadOnly && !UNSAFE_METHODS.has(method)),
  );
}

/** The schemes of the authentication classes that can authenticate a request, in their order. */
function schemesOf(access: AccessPolicy): string[] {
  return access.authentication.flatMap((authenticator) => {
    if (authenticator instanceof TokenAuthentication) return [TOKEN_AUTH_SCHEME];
    if (authenticator instanceof SessionAuthentication) return [SESSION_AUTH_SCHEME];
    // A class the document has no scheme for (such as Basic) still shapes the 401/403 below.
    return [];
  });
}

/** A body AuthenticationFailed sends for wrong credentials of the view's classes. */
function failureExample(access: AccessPolicy): unknown {
  if (access.authentication.some((a) => a instanceof TokenAuthentication)) {
    return new AuthenticationFailed('Invalid token.').body;
  }
  if (access.authentication.some((a) => a instanceof BasicAuthentication)) {
    return new AuthenticationFailed(INVALID_BASIC_CREDENTIALS).body;
  }
  return new AuthenticationFailed().body;
}

/**
 * DRF's rules, as api-view.ts and error-handler.ts apply them: NotAuthenticated (no credentials,
 * where the permissions need some) and AuthenticationFailed (credentials of a class's scheme that
 * are wrong; every class but Session can raise it) are 401 with the first class's
 * `WWW-Authenticate`, or 403 when the first class has none; the CSRF check of session-authenticated
 * unsafe requests, and permissions that can refuse a known user, are 403. Basic authentication
 * checks a password, under the login limits: past them, a 429.
 */
export function accessDoc(access: AccessPolicy, method: string): AccessDoc {
  const anonymous = anonymousAllowed(access, method);
  const schemes = schemesOf(access);
  const security = anonymous ? [] : schemes.map((scheme) => ({ [scheme]: [] }));
  const failing = access.authentication.filter((a) => !(a instanceof SessionAuthentication));
  const challenge = access.authentication[0]?.authenticateHeader();
  const refusesUnknown = !anonymous || failing.length > 0;
  // Which credentials can be refused, in words.
  const refusal = anonymous
    ? `credentials that are sent and wrong (${failing.map((a) => a.constructor.name).join(', ')})`
    : 'no credentials, or credentials that are wrong';
  const refusalExample = anonymous ? failureExample(access) : new NotAuthenticated().body;

  const responses: Record<number, ResponseDoc> = {};
  const forbidden: string[] = [];
  let example: unknown;
  if (refusesUnknown && challenge !== undefined) {
    responses[401] = {
      description: `${refusal.charAt(0).toUpperCase()}${refusal.slice(1)}.`,
      schema: ErrorSchema,
      example: refusalExample,
      headers: {
        'WWW-Authenticate': {
          description: 'The scheme to authenticate with.',
          schema: { type: 'string', const: challenge },
        },
      },
    };
  } else if (refusesUnknown) {
    forbidden.push(refusal);
    example = refusalExample;
  }
  if (UNSAFE_METHODS.has(method) && access.authentication.some((a) => a instanceof SessionAuthentication)) {
    forbidden.push('a session-authenticated request that fails the CSRF check (`CSRF Failed: ...`)');
    example ??= new CsrfFailed('CSRF token missing.').body;
  }
  if (
    access.permissions.some((permission) => permission !== AllowAny && !AUTHENTICATION_ONLY.has(permission))
  ) {
    forbidden.push('a user who may not do this');
    example ??= new PermissionDenied().body;
  }
  if (forbidden.length > 0) {
    responses[403] = { description: `Refused: ${forbidden.join('; or ')}.`, schema: ErrorSchema, example };
  }
  if (access.authentication.some((a) => a instanceof BasicAuthentication)) {
    responses[429] = {
      description:
        'Too many failed password logins for the username of an `Authorization: Basic` header, or ' +
        'from this address: the password is not checked.',
      schema: ErrorSchema,
      example: new Throttled(60).body,
      headers: { 'Retry-After': RETRY_AFTER },
    };
  }
  return { security, responses };
}
