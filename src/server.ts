// Process entry for `keygate serve`: migrations check, listen, graceful shutdown, logs written out.
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { keygateVersion } from './api-info.js';
import { buildApp, type AppOptions } from './app.js';
import { describeDatabase } from './db/database-url.js';
import { watchConnectionCap } from './http/connection-cap.js';
import type { Keygate } from './keygate.js';
import { exitOnCrash } from './logs/exit-on-crash.js';
import { LogDestination } from './logs/log-destination.js';
import type { LineFormat } from './logs/log-format.js';
import { listeningUrl, startBanner } from './logs/start-banner.js';

/** How long in-flight requests get to finish after SIGTERM/SIGINT before the process exits anyway. */
export const SHUTDOWN_GRACE_MS = 10_000;
/** How long an exiting process waits for stdout to take its last log lines. */
export const LOG_CLOSE_MS = 2000;

/** Where to listen; defaults come from the config. */
export interface ListenOptions {
  readonly host?: string;
  readonly port?: number;
  /** The API resources to serve (a project's); default the seed's products. */
  readonly resources?: AppOptions['resources'];
  /** The OpenAPI document's `info` and the /docs title (a project's); default keygate's own. */
  readonly docs?: AppOptions['docs'];
  /** How log lines are written (LOG_FORMAT resolved, see lineFormat); default `json`. */
  readonly logFormat?: LineFormat;
  /** Print the start-up banner once listening, with text logs (not in `--workers` workers). */
  readonly banner?: boolean;
}

/**
 * Builds the app with its logs buffered on stdout, listens, and closes everything cleanly on
 * SIGTERM/SIGINT; every log line, `stopped` last, is written before the process exits, and a crash
 * is logged before it ends the process (see exitOnCrash).
 */
export async function startServer(keygate: Keygate, options: ListenOptions = {}): Promise<FastifyInstance> {
  const { config } = keygate;
  const logs = new LogDestination({ format: options.logFormat ?? 'json' });
  const app = buildApp(keygate, {
    resources: options.resources,
    docs: options.docs,
    logs,
  });
  exitOnCrash(app.log, logs);
  watchConnectionCap(app, config);
  // The banner comes first: written as Fastify is about to log where it listens.
  let announce = options.banner === true && logs.format === 'text';
  await app.listen({
    host: options.host ?? config.host,
    port: options.port ?? config.port,
    listenTextResolver: (address) => {
      if (announce) {
        announce = false;
        const banner = startBanner({
          version: keygateVersion(),
          url: listeningUrl(app.server.address() as AddressInfo, config.tlsCertFile !== null),
          database: describeDatabase(config.databaseUrl),
          workers: 1,
        });
        logs.writeText(banner);
      }
      return `Server listening at ${address}`;
    },
  });

  const exit = (code: number): void => {
    void logs.close(LOG_CLOSE_MS).finally(() => process.exit(code));
  };
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      app.log.error('in-flight requests did not finish in time; exiting');
      exit(1);
    }, SHUTDOWN_GRACE_MS);
    timer.unref();
    app
      .close()
      .then(() => keygate.close())
      .then(() => {
        app.log.info('stopped');
        exit(0);
      })
      .catch((error: unknown) => {
        app.log.error({ err: error }, 'error during shutdown');
        exit(1);
      });
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  return app;
}
