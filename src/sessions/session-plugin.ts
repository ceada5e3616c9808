// Fastify plugin: signed cookies (@fastify/cookie) and `app.sessions`, the database-backed sessions.
import cookie from '@fastify/cookie';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { createSessionManager, type SessionManager } from './session-manager.js';
import { derivedSecret } from './signing-secret.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Browser sessions: load the request's, log in, log out. */
    sessions: SessionManager;
  }
}

/**
 * Registers cookie parsing and signing with the app's secret, and decorates `sessions`. Nothing is
 * read from the database here: a session is loaded only when something asks for it (DRF's
 * SessionAuthentication after Token did not match, or an HTML page showing who is logged in).
 */
export const sessionPlugin = fp(
  async function sessions(app: FastifyInstance) {
    const { config, sessions: repository } = app.keygate;
    await app.register(cookie, { secret: derivedSecret(config, 'cookie-signing') });
    app.decorate('sessions', createSessionManager({ sessions: repository, production: config.production }));
  },
  { name: 'keygate-sessions', fastify: '5.x', dependencies: ['keygate'] },
);
