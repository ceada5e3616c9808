// Test support for keygate/express: a real Express 5 app on a loopback port, and raw HTTP to it and to keygate's own server.
import { once } from 'node:events';
import { request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { FastifyInstance } from 'fastify';
import { accessHook } from '../../src/auth/access.js';
import { IsAdminUser } from '../../src/auth/permissions.js';
import {
  obtainAuthToken,
  requireAuth,
  tokenAuthentication,
  type FailedLogin,
} from '../../src/express/index.js';
import type { Keygate } from '../../src/keygate.js';

/** What reached the Express app's own error handler and the failed-login callback. */
export interface Observed {
  readonly errors: unknown[];
  readonly failedLogins: FailedLogin[];
}

/** A running Express app; `close()` stops it. */
export interface ExpressServer extends Observed {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * The app a host would write: the token endpoints, then token authentication for the rest, a
 * public route, a route for any user and one for staff. The handlers show what they see.
 */
export async function startExpress(keygate: Keygate): Promise<ExpressServer> {
  const errors: unknown[] = [];
  const failedLogins: FailedLogin[] = [];
  const onFailedLogin = (failure: FailedLogin): void => void failedLogins.push(failure);
  const app = express();
  app.post('/gettoken/', obtainAuthToken(keygate, { onFailedLogin }));
  app.post('/customtoken/', obtainAuthToken(keygate, { response: 'custom', onFailedLogin }));
  app.use(tokenAuthentication(keygate));
  const whoAmI = (req: Request, res: Response): void => {
    res.json({ username: req.user?.username ?? null, tokenId: req.auth?.id ?? null });
  };
  app.get('/public/', whoAmI);
  app.get('/protected/', requireAuth(), whoAmI);
  app.get('/staff/', requireAuth(IsAdminUser), whoAmI);
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    errors.push(error);
    res.status(500).json({ detail: 'host error handler' });
  });
  const server: Server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    errors,
    failedLogins,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** keygate's own server gets the same two protected routes (its /gettoken/ and /customtoken/ are built in). */
export function fastifyRoutes(app: FastifyInstance): void {
  const whoAmI = (request: { user: { username: string } | null; auth: { id: number } | null }) => ({
    username: request.user?.username ?? null,
    tokenId: request.auth?.id ?? null,
  });
  app.get('/protected/', { onRequest: accessHook(app.tokenProtected) }, whoAmI);
  app.get(
    '/staff/',
    {
      onRequest: accessHook({
        authentication: app.tokenProtected.authentication,
        permissions: [IsAdminUser],
      }),
    },
    whoAmI,
  );
}

/** A response as it came off the socket. */
export interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** One request over a new connection, headers exactly as given (Latin-1 values pass as bytes). */
export function send(
  base: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string | Buffer,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${base}${path}`, { method, headers, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(body);
  });
}

/** A JSON POST body with its headers. */
export function json(value: unknown): [Record<string, string>, string] {
  return [{ 'content-type': 'application/json' }, JSON.stringify(value)];
}

/** A urlencoded POST body with its headers. */
export function form(fields: Record<string, string>): [Record<string, string>, string] {
  return [{ 'content-type': 'application/x-www-form-urlencoded' }, new URLSearchParams(fields).toString()];
}
