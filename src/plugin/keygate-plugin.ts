// The Fastify plugin a host app registers: keygate's services and request fields on the app, and
// keygate's own routes (token endpoints, browsable API, admin, docs), each switchable.
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import type { AdminSection } from '../admin/admin-section.js';
import { registerAdmin } from '../admin/admin-site.js';
import { tokenAdmin } from '../admin/token-admin.js';
import { userAdmin } from '../admin/user-admin.js';
import type { AccessPolicy } from '../auth/access.js';
import type { Authenticator } from '../auth/authentication.js';
import { TokenAuthentication } from '../auth/authentication.js';
import { BasicAuthentication } from '../auth/basic-authentication.js';
import { AllowAny, IsAuthenticated } from '../auth/permissions.js';
import { SessionAuthentication } from '../auth/session-authentication.js';
import { sessionVaryPlugin } from '../auth/session-vary.js';
import type { Token } from '../authtoken/token.js';
import { registerTokenRoutes } from '../authtoken/token-routes.js';
import { csrfPlugin } from '../csrf/csrf-plugin.js';
import { registerBodyParsers } from '../http/body-parsers.js';
import { errorHandler } from '../http/error-handler.js';
import { registerHealthRoutes } from '../http/health-routes.js';
import { notFoundHandler, notFoundPlugin } from '../http/not-found.js';
import { registerOpenApi, type OpenApiOptions } from '../http/openapi.js';
import { jsonRenderer, type Renderer } from '../http/render.js';
import type { ResourceDefinition } from '../http/resource.js';
import { ApiRouter } from '../http/router.js';
import { isModel, type Model } from '../model/define-model.js';
import { modelAdminSection } from '../model/model-admin-section.js';
import { browsableApiRenderer } from '../html/browsable-api-renderer.js';
import { registerStaticRoutes } from '../html/static-routes.js';
import type { Keygate } from '../keygate.js';
import { sessionPlugin } from '../sessions/session-plugin.js';
import { registerSessionRoutes } from '../sessions/session-routes.js';
import type { User } from '../users/user.js';
import { accessPreHandler, type AuthenticateOptions, type AccessPreHandler } from './access-prehandler.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** keygate's services: users, tokens, events, the database (set by the keygate plugin). */
    keygate: Keygate;
    /**
     * A hook (put it on `onRequest`, so that, as in DRF, a refusal comes before the body is read;
     * `preHandler` works too) running DRF's authentication and permission checks for a host route:
     * by default Token authentication (then Session, where the plugin's `sessions` are on) and
     * `IsAuthenticated`. A refusal is answered with DRF's exact 401 or 403.
     *
     * @example
     * app.get('/me/', { onRequest: app.authenticate() }, (request) => ({ username: request.user!.username }));
     * app.get('/catalog/', { onRequest: app.authenticate({ permissions: [IsAuthenticatedOrReadOnly] }) }, list);
     */
    authenticate(options?: AuthenticateOptions): AccessPreHandler;
    /**
     * The access policy of keygate's own API views: Token, then Session authentication, and
     * authenticated users only.
     */
    tokenProtected: AccessPolicy;
    /**
     * DRF's DEFAULT_AUTHENTICATION_CLASSES and DEFAULT_PERMISSION_CLASSES, for the views that name
     * none of their own (the API root, the token endpoints): Session (when the plugin's sessions are
     * on), then Basic; anyone.
     */
    defaultAccess: AccessPolicy;
  }
  interface FastifyRequest {
    /** DRF's `request.user`: who authenticated the request, or null (anonymous, or not checked). */
    user: User | null;
    /** DRF's `request.auth`: the token that authenticated the request, if any. */
    auth: Token | null;
    /** The authentication classes that ran (null before they do), for WWW-Authenticate. */
    authenticators: readonly Authenticator[] | null;
  }
}

/** A feature that can be switched on, optionally under a URL prefix of its own. */
export type Feature =
  | boolean
  | {
      /** Where the feature's routes go (`/auth` serves `/auth/gettoken/`); default: the app's root. */
      readonly prefix?: string;
    };

/** What the keygate plugin adds to the app. Every feature but the token endpoints is off by default. */
export interface KeygatePluginOptions {
  /** The keygate the app serves, from `openKeygate`; the host closes it (after `app.close()`). */
  readonly keygate: Keygate;
  /** `POST /gettoken/` and `POST /customtoken/` (DRF's ObtainAuthToken). Default on. */
  readonly tokenEndpoints?: Feature;
  /**
   * Browser sessions: session cookies, `SessionAuthentication` after Token in `app.authenticate()`,
   * CSRF checks for session-authenticated writes, and the login/logout pages at `/auth/login/` and
   * `/auth/logout/`. Default off.
   */
  readonly sessions?: boolean;
  /**
   * The browsable API: HTML pages for browsers on keygate's API views (needs `sessions`). Default off.
   */
  readonly browsableApi?: boolean;
  /**
   * The admin site (needs `sessions`): users and tokens, then the app's own `sections`, under `root`
   * (default `/admin/`). Default off.
   */
  readonly admin?:
    | boolean
    | {
        /** The admin's URL prefix; default `/admin/`. */
        readonly root?: string;
        /** The app's own admin sections, listed after users and tokens: models (`defineModel`) or sections. */
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        readonly sections?: readonly (AdminSection | Model<any>)[];
      };
  /**
   * The OpenAPI document at `/openapi.json` and Swagger UI at `/docs`, with the document's `info`
   * (title, version, description, licence). Default off.
   */
  readonly docs?: false | OpenApiOptions;
  /** `/healthz` and `/readyz` for load balancers. Default off. */
  readonly health?: boolean;
  /**
   * API resources (DRF's router: list and detail views of each, and the API root listing them), at
   * the root or under `prefix` (`/api/v1`: `/api/v1/` and `/api/v1/<resource>/`). Default none.
   */
  readonly api?: {
    /** Path segments without a final slash; default none. */
    readonly prefix?: string;
    /** The resources: models (`defineModel`) and resources (`defineResource`). */
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    readonly resources: readonly (ResourceDefinition<any, any> | Model<any>)[];
  };
  /**
   * Answer URLs no route matches as Django does (APPEND_SLASH's 301, DRF's 405 for another method
   * of an API view, the 404 page). For apps that are keygate sites as a whole. Default off.
   */
  readonly notFound?: boolean;
  /**
   * Adds routes of the host's inside keygate's scope, where keygate's error handler, body parsers,
   * sessions and CSRF check apply to them as to keygate's own (for views built on keygate's engine).
   */
  readonly routes?: (scope: FastifyInstance) => void;
}

function enabled(feature: Feature | undefined, byDefault: boolean): boolean {
  return feature === undefined ? byDefault : feature !== false;
}

// A prefix is path segments without a final slash: `/auth`, `/api/v1`.
const PREFIX = /^(?:\/[A-Za-z0-9._~-]+)*$/;

function prefixOf(feature: Feature | undefined): string {
  const prefix = typeof feature === 'object' ? (feature.prefix ?? '') : '';
  if (!PREFIX.test(prefix)) {
    throw new TypeError(
      `keygate: a prefix is path segments without a final slash, such as /auth (got ${JSON.stringify(prefix)})`,
    );
  }
  return prefix;
}

/**
 * keygate's routes, in a scope of their own: their error handler, body parsers, sessions and CSRF
 * checks apply to them (and to the URLs no route matches, when `notFound` is on), not to the host's.
 */
async function keygateRoutes(scope: FastifyInstance, options: KeygatePluginOptions): Promise<void> {
  const sessions = options.sessions === true;
  scope.setErrorHandler(errorHandler);
  // Each route's error handler is keygate's too, so that the next one in Fastify's chain (which
  // gets an error raised while the first one's answer is sent) is keygate's, not Fastify's own.
  scope.addHook('onRoute', (route) => {
    route.errorHandler ??= errorHandler;
  });
  registerBodyParsers(scope);
  if (options.docs !== undefined && options.docs !== false) {
    registerOpenApi(scope, { ...options.docs, prefix: prefixOf(options.docs) });
  }
  if (sessions) {
    await scope.register(sessionPlugin);
    await scope.register(csrfPlugin);
    await scope.register(sessionVaryPlugin);
  }
  // URLs no route matches: another method's API view (DRF's 405), APPEND_SLASH or the 404 page.
  if (options.notFound === true) await scope.register(notFoundPlugin);

  // DRF's order: JSON first, so `*/*` and no Accept get JSON; browsers asking for HTML get the page.
  const renderers: readonly Renderer[] =
    options.browsableApi === true ? [jsonRenderer, browsableApiRenderer] : [jsonRenderer];
  if (options.api !== undefined && options.api.resources.length > 0) {
    const router = new ApiRouter();
    for (const resource of options.api.resources) {
      router.register(isModel(resource) ? resource.resource(options.keygate) : resource);
    }
    router.install(scope, renderers, scope.defaultAccess, prefixOf(options.api));
  }
  if (enabled(options.tokenEndpoints, true)) {
    registerTokenRoutes(scope, prefixOf(options.tokenEndpoints));
  }
  if (sessions) registerSessionRoutes(scope);
  const admin = options.admin ?? false;
  if (admin !== false) {
    const { root, sections = [] } = admin === true ? {} : admin;
    const own = sections.flatMap((section) => {
      if (!isModel(section)) return [section];
      const made = modelAdminSection(section);
      return made === null ? [] : [made];
    });
    registerAdmin(scope, { root, sections: [userAdmin, tokenAdmin, ...own] });
  }
  if (options.browsableApi === true || admin !== false) registerStaticRoutes(scope);
  if (options.health === true) registerHealthRoutes(scope);
  options.routes?.(scope);
  // Django's APPEND_SLASH redirect, else its 404 page.
  if (options.notFound === true) scope.setNotFoundHandler(notFoundHandler);
}

const plugin: FastifyPluginAsync<KeygatePluginOptions> = async (app, options) => {
  const { keygate } = options;
  const needsSessions =
    options.browsableApi === true || (options.admin ?? false) !== false || options.notFound === true;
  if (needsSessions && options.sessions !== true) {
    throw new Error('keygate: the browsable API, the admin and `notFound` need `sessions: true`');
  }
  app.decorate('keygate', keygate);
  const tokenAuthentication = new TokenAuthentication(keygate.tokens);
  const userAuthentication: readonly Authenticator[] =
    options.sessions === true ? [tokenAuthentication, new SessionAuthentication()] : [tokenAuthentication];
  app.decorate('tokenProtected', { authentication: userAuthentication, permissions: [IsAuthenticated] });
  // DRF's default classes, Session then Basic; without sessions, Basic alone.
  const basic = new BasicAuthentication(keygate.users, keygate.throttle);
  app.decorate('defaultAccess', {
    authentication: options.sessions === true ? [new SessionAuthentication(), basic] : [basic],
    permissions: [AllowAny],
  });
  app.decorate('authenticate', (authenticateOptions: AuthenticateOptions = {}) =>
    accessPreHandler({
      authentication: authenticateOptions.authentication ?? userAuthentication,
      permissions: authenticateOptions.permissions ?? [IsAuthenticated],
    }),
  );
  app.decorateRequest('user', null);
  app.decorateRequest('auth', null);
  app.decorateRequest('authenticators', null);
  app.decorateRequest('negotiated', null);
  await app.register(keygateRoutes, options);
};

/**
 * The keygate Fastify plugin (Fastify 5). Register it once, with an open keygate; it decorates the
 * app with `app.keygate` and `app.authenticate()`, the requests with `request.user` and
 * `request.auth`, and serves the features {@link KeygatePluginOptions} switches on. Options:
 * {@link KeygatePluginOptions}; `app.authenticate()` takes {@link AuthenticateOptions}.
 *
 * @example
 * const keygate = openKeygate({ database: 'sqlite:./db.sqlite3' });
 * await keygate.migrate();
 * const app = Fastify();
 * app.addHook('onClose', () => keygate.close());
 * await app.register(keygatePlugin, { keygate, tokenEndpoints: { prefix: '/auth' } });
 * app.get('/me/', { onRequest: app.authenticate() }, (request) => ({ username: request.user!.username }));
 */
export const keygatePlugin = fp(plugin, { name: 'keygate', fastify: '5.x' });
