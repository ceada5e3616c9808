// buildApp: the Fastify instance with keygate's request pipeline, error handling and routes.
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { allowedHostsHook } from './http/allowed-hosts.js';
import { clientErrorHandler } from './http/client-error.js';
import { errorHandler, frameworkErrorHandler } from './http/error-handler.js';
import { httpsOnlyHook } from './http/https-only.js';
import { loggerOptions, requestIdHook, requestLogging } from './http/logging.js';
import { LogDestination } from './logs/log-destination.js';
import { requestLineWriter } from './logs/request-line.js';
import { repercentBrokenUnicode } from './http/repercent.js';
import { originForm } from './http/request-target.js';
import { restoreUnknownMethod } from './http/unknown-method.js';
import { registerSecurityHeaders } from './http/security-headers.js';
import { serverCreationOptions } from './http/server-options.js';
import { keygateApiInfo } from './api-info.js';
import { productAdmin } from './products/product-admin.js';
import { productModel } from './products/product-model.js';
import type { OpenApiOptions } from './http/openapi.js';
import type { ProjectResources } from './project/project-config.js';
import { isModel } from './model/define-model.js';
import type { Keygate } from './keygate.js';
import { keygatePlugin } from './plugin/keygate-plugin.js';

/** Options for building the app. */
export interface AppOptions {
  /**
   * pino options, or false for no request logs (tests). Defaults to JSON lines at LOG_LEVEL on
   * stdout, buffered and written asynchronously (see LogDestination).
   */
  readonly logger?: FastifyServerOptions['logger'];
  /** Where keygate's own logger writes when `logger` is not given; default a new LogDestination on stdout. */
  readonly logs?: LogDestination;
  /** More routes, served with keygate's own (see the plugin's `routes` option). */
  readonly routes?: (scope: FastifyInstance) => void;
  /** Where the admin site is mounted; default `/admin/`. */
  readonly adminRoot?: string;
  /**
   * The API resources (a project's keygate.config), served instead of the seed's Product API and
   * its admin section. Default: the seed's products.
   */
  readonly resources?: ProjectResources;
  /** The OpenAPI document's `info` and the /docs title (a project's); default keygate's own. */
  readonly docs?: OpenApiOptions;
}

/** Builds the whole application; call `ready()` or `listen()` on the result. */
export function buildApp(keygate: Keygate, options: AppOptions = {}): FastifyInstance {
  const { config } = keygate;
  const logs = options.logger === undefined ? (options.logs ?? new LogDestination()) : null;
  const app = Fastify({
    logger: logs === null ? options.logger : { ...loggerOptions(config, logs.format), stream: logs },
    // X-Forwarded-Proto/-For are believed only from these addresses (proxy-addr matching).
    trustProxy: config.trustedProxies.length > 0 ? [...config.trustedProxies] : false,
    // HTTP or HTTPS, with the deadlines that cut slow and idle clients.
    ...serverCreationOptions(config),
    ...requestLogging(logs === null ? null : requestLineWriter(logs, logs.format)),
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

  // Errors raised in the server-wide hooks below (a disallowed Host) are answered as keygate's.
  app.setErrorHandler(errorHandler);
  app.addHook('onRoute', (route) => {
    route.errorHandler ??= errorHandler;
  });
  app.addHook('onSend', requestIdHook);
  // A method Node's parser refused (FOO) was routed under a stand-in: see http/unknown-method.ts.
  app.addHook('onRequest', restoreUnknownMethod);
  app.addHook('onRequest', allowedHostsHook(config.allowedHosts));
  if (config.production) app.addHook('onRequest', httpsOnlyHook);
  registerSecurityHeaders(app, config.production);

  // keygate's own site: the seed's Product API (or a project's resources) with every feature of
  // the plugin a host registers.
  const seed = options.resources === undefined;
  void app.register(keygatePlugin, {
    keygate,
    api: { resources: options.resources ?? [productModel] },
    tokenEndpoints: true,
    sessions: true,
    browsableApi: true,
    admin: {
      root: options.adminRoot,
      sections: seed ? [productAdmin] : (options.resources ?? []).filter(isModel),
    },
    docs: options.docs ?? keygateApiInfo(),
    health: true,
    notFound: true,
    routes: options.routes,
  });
  return app;
}
