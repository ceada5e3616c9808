// buildApp: the Fastify instance with keygate's request pipeline, error handling and routes.
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { registerAdmin } from './admin/admin-site.js';
import { keygateApiInfo } from './api-info.js';
import { TokenAuthentication } from './auth/authentication.js';
import { BasicAuthentication } from './auth/basic-authentication.js';
import { SessionAuthentication } from './auth/session-authentication.js';
import { sessionVaryPlugin } from './auth/session-vary.js';
import type { AccessPolicy } from './auth/access.js';
import { AllowAny, IsAuthenticated } from './auth/permissions.js';
import { registerTokenRoutes } from './authtoken/token-routes.js';
import { csrfPlugin } from './csrf/csrf-plugin.js';
import { allowedHostsHook } from './http/allowed-hosts.js';
import { registerBodyParsers } from './http/body-parsers.js';
import { clientErrorHandler } from './http/client-error.js';
import { errorHandler, frameworkErrorHandler } from './http/error-handler.js';
import { registerHealthRoutes } from './http/health-routes.js';
import { httpsOnlyHook } from './http/https-only.js';
import { loggerOptions, requestIdHook, requestLogging } from './http/logging.js';
import { notFoundHandler, notFoundPlugin } from './http/not-found.js';
import { registerOpenApi } from './http/openapi.js';
import { jsonRenderer } from './http/render.js';
import { repercentBrokenUnicode } from './http/repercent.js';
import { originForm } from './http/request-target.js';
import { ApiRouter } from './http/router.js';
import { restoreUnknownMethod } from './http/unknown-method.js';
import { registerSecurityHeaders } from './http/security-headers.js';
import { serverCreationOptions } from './http/server-options.js';
import { browsableApiRenderer } from './html/browsable-api-renderer.js';
import { registerStaticRoutes } from './html/static-routes.js';
import { productResource } from './products/product-resource.js';
import { sessionPlugin } from './sessions/session-plugin.js';
import { registerSessionRoutes } from './sessions/session-routes.js';
import type { Keygate } from './keygate.js';

/** Options for building the app. */
export interface AppOptions {
  /** pino options, or false for no request logs (tests). Defaults to JSON logs at LOG_LEVEL. */
  readonly logger?: FastifyServerOptions['logger'];
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The services this app serves. */
    keygate: Keygate;
    /**
     * The default access policy of API views: Token, then Session authentication (a logged-in
     * browser uses the browsable API; Token first keeps 401 + WWW-Authenticate: Token), and
     * authenticated users only.
     */
    tokenProtected: AccessPolicy;
    /**
     * DRF's DEFAULT_AUTHENTICATION_CLASSES and DEFAULT_PERMISSION_CLASSES, for the views that name
     * none of their own (the API root, the token endpoints): Session, then Basic; anyone.
     */
    defaultAccess: AccessPolicy;
  }
}

/** Builds the whole application; call `ready()` or `listen()` on the result. */
export function buildApp(keygate: Keygate, options: AppOptions = {}): FastifyInstance {
  const { config } = keygate;
  const app = Fastify({
    logger: options.logger ?? loggerOptions(config),
    // X-Forwarded-Proto/-For are believed only from these addresses (proxy-addr matching).
    trustProxy: config.trustedProxies.length > 0 ? [...config.trustedProxies] : false,
    // HTTP or HTTPS, with the deadlines that cut slow and idle clients.
    ...serverCreationOptions(config),
    ...requestLogging(),
    bodyLimit: 1_048_576,
    // Absolute-form targets are reduced to their path before routing (their host is ignored), and
    // escapes that are not UTF-8 become literal text in the path, as Django reads it.
    rewriteUrl: (request) => repercentBrokenUnicode(originForm(request.url ?? '/')),
    // Django's URL patterns have no length limit, so a long lookup reaches its view (401 or 404 as
    // DRF answers): no parameter can outgrow the request line, which Node caps with the headers.
    routerOptions: { maxParamLength: 16_384 },
    // Errors Fastify or Node's parser raise themselves get keygate's JSON and headers, not theirs.
    frameworkErrors: frameworkErrorHandler,
    clientErrorHandler: clientErrorHandler(config.production),
  });
  // Past this many open connections a process closes new ones as it accepts them: slow clients
  // cannot exhaust its file descriptors (the deadlines above free the slots they hold).
  app.server.maxConnections = config.maxConnections;

  // Node answers an Expect other than 100-continue with its own bare 417; Django (behind gunicorn)
  // ignores it and answers the request, and so does keygate.
  app.server.on('checkExpectation', (request, response) => app.server.emit('request', request, response));

  app.decorate('keygate', keygate);
  app.decorate('tokenProtected', {
    authentication: [new TokenAuthentication(keygate.tokens), new SessionAuthentication()],
    permissions: [IsAuthenticated],
  });
  app.decorate('defaultAccess', {
    authentication: [new SessionAuthentication(), new BasicAuthentication(keygate.users, keygate.throttle)],
    permissions: [AllowAny],
  });
  app.decorateRequest('user', null);
  app.decorateRequest('auth', null);
  app.decorateRequest('authenticators', null);
  app.decorateRequest('negotiated', null);

  app.setErrorHandler(errorHandler);
  // Each route's error handler is keygate's too, so that the next one in Fastify's chain (which
  // gets an error raised while the first one's answer is sent) is keygate's, not Fastify's own.
  app.addHook('onRoute', (route) => {
    route.errorHandler ??= errorHandler;
  });
  app.addHook('onSend', requestIdHook);
  // A method Node's parser refused (FOO) was routed under a stand-in: see http/unknown-method.ts.
  app.addHook('onRequest', restoreUnknownMethod);
  app.addHook('onRequest', allowedHostsHook(config.allowedHosts));
  if (config.production) app.addHook('onRequest', httpsOnlyHook);
  registerSecurityHeaders(app, config.production);
  registerBodyParsers(app);
  registerOpenApi(app, keygateApiInfo());
  void app.register(sessionPlugin);
  void app.register(csrfPlugin);
  void app.register(sessionVaryPlugin);
  // URLs no route matches: another method's API view (DRF's 405), APPEND_SLASH or the 404 page.
  void app.register(notFoundPlugin);

  // DRF's order: JSON first, so `*/*` and no Accept get JSON; browsers asking for HTML get the page.
  const renderers = [jsonRenderer, browsableApiRenderer];
  new ApiRouter()
    .register(productResource(keygate.database, app.tokenProtected))
    .install(app, renderers, app.defaultAccess);
  registerTokenRoutes(app);
  registerSessionRoutes(app);
  registerAdmin(app);
  registerStaticRoutes(app);
  registerHealthRoutes(app);
  // Django's APPEND_SLASH redirect, else its 404 page.
  app.setNotFoundHandler(notFoundHandler);
  return app;
}
