// POST /gettoken/ (DRF's obtain_auth_token) and POST /customtoken/ (the seed's CustomAuthToken).
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import type { TSchema } from 'typebox';
import { Throttled } from '../errors.js';
import { registerApiView } from '../http/api-view.js';
import { requestData } from '../http/body-parsers.js';
import { ErrorSchema } from '../http/error-schemas.js';
import { RETRY_AFTER } from '../http/openapi/access-doc.js';
import { documentSchemas } from '../http/openapi/components.js';
import type { OperationDoc } from '../http/openapi/operation-doc.js';
import { viewOperationId } from '../http/openapi/operation-id.js';
import { jsonRenderer } from '../http/render.js';
import {
  AuthTokenRequestSchema,
  AuthTokenSchema,
  AuthTokenValidationErrorSchema,
  CustomAuthTokenSchema,
} from './auth-token-schemas.js';
import { AUTH_TOKEN_FIELDS, INVALID_CREDENTIALS } from './auth-token-serializer.js';
import { TOKEN_RESPONSES, obtainToken, type TokenResponseKind } from './obtain-token.js';

/** ObtainAuthToken's parser_classes, in its order: FormParser, MultiPartParser, JSONParser. */
export const TOKEN_PARSED_MEDIA_TYPES = [
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'application/json',
] as const;

/** One token endpoint: DRF's ObtainAuthToken with its own response body. */
interface TokenView {
  readonly name: string;
  readonly url: string;
  readonly summary: string;
  /** The 200 body for the authenticated user and the key they get. */
  readonly response: TokenResponseKind;
  /** OpenAPI: that body's schema, and what it is. */
  readonly responseSchema: TSchema;
  readonly responseDescription: string;
}

const VIEWS: readonly TokenView[] = [
  {
    name: 'Obtain Auth Token',
    url: '/gettoken/',
    summary: "Exchange a username and password for the user's token",
    response: 'token',
    responseSchema: AuthTokenSchema,
    responseDescription: "The user's token key.",
  },
  {
    name: 'Custom Auth Token',
    url: '/customtoken/',
    summary: "Exchange a username and password for the user's token, id and e-mail",
    response: 'custom',
    responseSchema: CustomAuthTokenSchema,
    responseDescription: "The user's token key, id and e-mail address.",
  },
];

/** Marks an answer as never to be stored by any cache. */
function noStore(_request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void {
  void reply.header('cache-control', 'no-store');
  done();
}

/** The OpenAPI description of a token endpoint's POST (its pipeline's answers are added by the view). */
function postDoc(view: TokenView): OperationDoc {
  return {
    operationId: viewOperationId(view.name),
    summary: view.summary,
    description:
      'Under `TOKEN_POLICY=drf` the same key on every call (created on the first); under `hashed` a new ' +
      'named key each time. Failed logins are limited per username and per client address.',
    tags: ['authtoken'],
    body: AuthTokenRequestSchema,
    usesDatabase: true,
    responses: {
      200: { description: view.responseDescription, schema: view.responseSchema },
      400: {
        description:
          'Fields missing or invalid (messages per field), or credentials that log nobody in ' +
          '(`non_field_errors`: `Unable to log in with provided credentials.`).',
        schema: AuthTokenValidationErrorSchema,
        example: { non_field_errors: [INVALID_CREDENTIALS] },
      },
      429: {
        description: 'Too many failed logins for this username or from this address: not checked.',
        schema: ErrorSchema,
        example: new Throttled(60).body,
        headers: { 'Retry-After': RETRY_AFTER },
      },
    },
  };
}

/**
 * Registers the token endpoints, under `prefix` (`/auth`: `/auth/gettoken/`). Like DRF's
 * ObtainAuthToken they use the default authentication
 * (Session, then Basic: a Token header is ignored, a failing Basic header is a 403, a logged-in
 * browser's POST needs its CSRF token) but never look at who authenticated, allow anyone, render
 * JSON only and parse forms, multipart and JSON. The key comes from the token service: under
 * `drf` the user's one token, under `hashed` a new one.
 * keygate adds the brute-force limit: past it the password is not even checked (429, Retry-After);
 * and `Cache-Control: no-store`, since the answer is a credential.
 */
export function registerTokenRoutes(app: FastifyInstance, prefix = ''): void {
  documentSchemas(app, [AuthTokenSchema, CustomAuthTokenSchema, AuthTokenValidationErrorSchema]);
  // A 200 carries a key: no cache (browser, proxy) may keep it; errors get the header too, harmlessly.
  // Added to these routes' own onRequest hooks as they are registered (API view handlers return
  // data and never see the reply), so no other route pays for it.
  const tokenUrls = new Set(VIEWS.flatMap((view) => [prefix + view.url, prefix + view.url.slice(0, -1)]));
  app.addHook('onRoute', (route) => {
    if (!tokenUrls.has(route.url)) return;
    const own = route.onRequest === undefined ? [] : [route.onRequest].flat();
    route.onRequest = [noStore, ...own];
  });
  for (const view of VIEWS) {
    registerApiView(app, {
      name: view.name,
      url: prefix + view.url,
      // path('gettoken/', ...) in the seed's urls.py: no `.json` suffix routes, unlike the router's views.
      formatSuffixes: false,
      // ObtainAuthToken names no authentication classes: DRF's defaults, Session then Basic.
      access: app.defaultAccess,
      renderers: [jsonRenderer],
      parses: TOKEN_PARSED_MEDIA_TYPES,
      handlers: {
        async POST(request) {
          const { user, key } = await obtainToken(app.keygate, {
            data: requestData(request),
            address: request.ip,
            // Never the password: the redaction list is a second line of defence, not the first.
            onFailure: (failure) => request.log.warn(failure, 'failed login'),
          });
          return { status: 200, data: TOKEN_RESPONSES[view.response](user, key) };
        },
      },
      actions: () => ({ POST: AUTH_TOKEN_FIELDS }),
      schemas: { POST: postDoc(view) },
    });
  }
}
