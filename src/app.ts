// buildApp: the Fastify instance with keygate's request pipeline, error handling and routes.
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { TokenAuthentication } from './auth/authentication.js';
import type { AccessPolicy } from './auth/access.js';
import { IsAuthenticated } from './auth/permissions.js';
import { NotFound } from './errors.js';
import { errorHandler, JSON_TYPE } from './http/error-handler.js';
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
    /** The default access policy of API views: Token authentication, authenticated users only. */
    tokenProtected: AccessPolicy;
  }
}

/** Builds the whole application; call `ready()` or `listen()` on the result. */
export function buildApp(keygate: Keygate, options: AppOptions = {}): FastifyInstance {
  const app = Fastify({
    logger: options.logger ?? {
      level: keygate.config.logLevel,
      redact: {
        paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
        censor: '[redacted]',
      },
    },
    // Requests that leave the socket half-open must not hold a worker forever.
    requestTimeout: 30_000,
    bodyLimit: 1_048_576,
  });

  app.decorate('keygate', keygate);
  app.decorate('tokenProtected', {
    authentication: [new TokenAuthentication(keygate.tokens)],
    permissions: [IsAuthenticated],
  });
  app.decorateRequest('user', null);
  app.decorateRequest('auth', null);
  app.decorateRequest('authenticators', null);

  // DRF sends `application/json` without a charset parameter; Fastify always adds one.
  app.addHook('onSend', async (_request, reply, payload) => {
    if (reply.getHeader('content-type') === 'application/json; charset=utf-8') {
      reply.header('content-type', JSON_TYPE);
    }
    return payload;
  });
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler(() => {
    throw new NotFound();
  });
  return app;
}
