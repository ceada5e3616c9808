// Fastify plugin: Django-style CSRF protection with @fastify/csrf-protection (signed cookie secret,
// tokens bound to the session) for forms and for unsafe requests authenticated by session.
import csrfProtection from '@fastify/csrf-protection';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { CsrfFailed } from '../errors.js';
import { derivedSecret } from '../sessions/signing-secret.js';
import { originFailure } from './origin-check.js';

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * Set when this request must pass the CSRF check before its handler runs: by
     * SessionAuthentication for unsafe methods, and by the session login and logout forms.
     */
    csrfRequired: boolean;
  }
}

/** The cookie holding the CSRF secret (signed, HttpOnly: pages carry the tokens derived from it). */
export const CSRF_COOKIE = 'csrfsecret';
/** Django's form field and header for the token. */
export const CSRF_FIELD = 'csrfmiddlewaretoken';
export const CSRF_HEADER = 'x-csrftoken';
/** Django's CSRF_COOKIE_AGE: one year, in seconds. */
const CSRF_COOKIE_AGE = 365 * 24 * 60 * 60;

/** The token a request sent: the X-CSRFToken header, else the form field. */
function sentToken(request: FastifyRequest): string | undefined {
  const header = request.headers[CSRF_HEADER];
  if (typeof header === 'string' && header !== '') return header;
  const body = request.body as Record<string, unknown> | null | undefined;
  const field = body !== null && typeof body === 'object' ? body[CSRF_FIELD] : undefined;
  return typeof field === 'string' && field !== '' ? field : undefined;
}

/**
 * What tokens are bound to: the digest of the request's session key, or a constant without a
 * session (the library refuses an empty binding). A
 * token taken from one browser's page is useless with another session, and logging in (a new
 * session key) retires every token issued before it, as Django rotates its token at login.
 */
function binding(request: FastifyRequest): string {
  return request.server.sessions.cookieDigest(request) ?? 'no-session';
}

/** A token for a form or a page to send back, bound to this request's session. */
export function csrfToken(reply: FastifyReply): string {
  return reply.generateCsrf({ userInfo: binding(reply.request) });
}

/** Registers the CSRF secret cookie, token generation and the check that runs before handlers. */
export const csrfPlugin = fp(
  async function csrf(app: FastifyInstance) {
    const { config } = app.keygate;
    await app.register(csrfProtection, {
      sessionPlugin: '@fastify/cookie',
      cookieKey: CSRF_COOKIE,
      cookieOpts: {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: config.production,
        signed: true,
        maxAge: CSRF_COOKIE_AGE,
      },
      csrfOpts: { userInfo: true, hmacKey: derivedSecret(config, 'csrf-tokens') },
      getToken: sentToken,
      getUserInfo: binding,
    });
    app.decorateRequest('csrfRequired', false);

    // After body parsing, so a form's token field can be read; the library verifies the token.
    app.addHook('preHandler', (request, reply, done) => {
      if (!request.csrfRequired) {
        done();
        return;
      }
      const reason =
        originFailure(request) ??
        (request.cookies[CSRF_COOKIE] === undefined ? 'CSRF cookie not set.' : null) ??
        (sentToken(request) === undefined ? 'CSRF token missing.' : null);
      if (reason !== null) {
        done(new CsrfFailed(reason));
        return;
      }
      // Answers FST_CSRF_* errors itself (the error handler words them as Django does).
      app.csrfProtection(request, reply, done);
    });
  },
  { name: 'keygate-csrf', fastify: '5.x', dependencies: ['keygate-sessions'] },
);
