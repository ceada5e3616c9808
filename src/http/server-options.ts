// The HTTP server itself: TLS when keygate terminates it, and the deadlines that cut slow and idle clients.
import { readFileSync } from 'node:fs';
import type { ServerOptions as HttpServerOptions } from 'node:http';
import type { ServerOptions as HttpsServerOptions } from 'node:https';
import type { Config } from '../config/index.js';

/**
 * How often Node looks for requests past their headers or request deadline. At Node's default,
 * 30 s, a client that stalls mid-headers stayed up to 30 s past HEADERS_TIMEOUT (observed: 25 to
 * 48 s); at this interval a deadline holds to within half a second. Each check walks the open
 * connections, at most MAX_CONNECTIONS of them.
 */
export const CONNECTIONS_CHECK_MS = 500;

/** The Fastify options that create keygate's HTTP or HTTPS server. */
export interface ServerCreationOptions {
  readonly http?: HttpServerOptions;
  readonly https?: HttpsServerOptions;
  /** Fastify sets these two on the server after creating it, over anything in `http`/`https`. */
  readonly requestTimeout: number;
  readonly keepAliveTimeout: number;
}

/**
 * Node's server options from the config: the headers, request and keep-alive deadlines and, over
 * TLS, the handshake's (Node waits two minutes for a ClientHello by default), which counts against
 * the same HEADERS_TIMEOUT since a client that has not finished it has sent no headers either.
 * The connection cap is not an option of the constructor: see `buildApp`.
 */
export function serverCreationOptions(config: Config): ServerCreationOptions {
  const deadlines: HttpServerOptions = {
    headersTimeout: config.headersTimeoutMs,
    requestTimeout: config.requestTimeoutMs,
    keepAliveTimeout: config.keepAliveTimeoutMs,
    connectionsCheckingInterval: CONNECTIONS_CHECK_MS,
  };
  const timeouts = { requestTimeout: config.requestTimeoutMs, keepAliveTimeout: config.keepAliveTimeoutMs };
  if (config.tlsCertFile === null || config.tlsKeyFile === null) return { http: deadlines, ...timeouts };
  return {
    https: {
      cert: readFileSync(config.tlsCertFile),
      key: readFileSync(config.tlsKeyFile),
      handshakeTimeout: config.headersTimeoutMs,
      ...deadlines,
    },
    ...timeouts,
  };
}
