// Process entry for `keygate serve`: migrations check, listen, graceful shutdown.
import type { FastifyInstance } from 'fastify';
import { buildApp, type AppOptions } from './app.js';
import { watchConnectionCap } from './http/connection-cap.js';
import type { Keygate } from './keygate.js';

/** How long in-flight requests get to finish after SIGTERM/SIGINT before the process exits anyway. */
export const SHUTDOWN_GRACE_MS = 10_000;

/** Where to listen; defaults come from the config. */
export interface ListenOptions {
  readonly host?: string;
  readonly port?: number;
  /** The API resources to serve (a project's); default the seed's products. */
  readonly resources?: AppOptions['resources'];
  /** The OpenAPI document's `info` (a project's); default keygate's own. */
  readonly docs?: AppOptions['docs'];
}

/** Builds the app, listens, and closes everything cleanly on SIGTERM/SIGINT. */
export async function startServer(keygate: Keygate, options: ListenOptions = {}): Promise<FastifyInstance> {
  const app = buildApp(keygate, { resources: options.resources, docs: options.docs });
  watchConnectionCap(app, keygate.config);
  await app.listen({ host: options.host ?? keygate.config.host, port: options.port ?? keygate.config.port });

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      app.log.error('in-flight requests did not finish in time; exiting');
      process.exit(1);
    }, SHUTDOWN_GRACE_MS);
    timer.unref();
    app
      .close()
      .then(() => keygate.close())
      .then(() => {
        app.log.info('stopped');
        process.exit(0);
      })
      .catch((error: unknown) => {
        app.log.error({ err: error }, 'error during shutdown');
        process.exit(1);
      });
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  return app;
}
