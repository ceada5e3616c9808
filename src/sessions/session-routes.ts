// /auth/login/ and /auth/logout/: the browsable API's session login (DRF's rest_framework.urls).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requestData } from '../http/body-parsers.js';
import { parseMediaType } from '../http/media-type.js';
import { sendRedirect } from '../http/redirect.js';
import { browsableApiRenderer } from '../html/browsable-api-renderer.js';
import { HTML_TYPE, htmlPageHeaders } from '../html/html-headers.js';
import { pageChrome, viewer } from '../html/page-chrome.js';
import { renderTemplate } from '../html/templates.js';
import { INVALID_LOGIN, readLoginForm, type LoginErrors } from './login-form.js';
import { localNext } from './next-url.js';
import { passwordLogin } from './password-login.js';

/** Where a login or logout goes when `next` is missing or not local. */
const DEFAULT_REDIRECT = '/';

interface LoginPage {
  readonly username?: string;
  readonly next?: string;
  readonly error?: string;
  readonly errors?: LoginErrors;
}

function nextOf(request: FastifyRequest): unknown {
  const body = request.body as Record<string, unknown> | undefined;
  return body?.next ?? (request.query as Record<string, unknown>).next;
}

function sendPage(reply: FastifyReply, status: number, html: string): FastifyReply {
  return htmlPageHeaders(reply).code(status).type(HTML_TYPE).send(html);
}

function loginPage(request: FastifyRequest, reply: FastifyReply, status: number, page: LoginPage) {
  const next = typeof page.next === 'string' ? page.next : '';
  return sendPage(
    reply,
    status,
    renderTemplate('login', {
      ...pageChrome(request, reply, 'Log in – keygate', { loginLink: false }),
      username: page.username ?? '',
      next,
      error: page.error ?? null,
      errors: page.errors ?? {},
    }),
  );
}

function redirect(reply: FastifyReply, next: unknown): FastifyReply {
  return sendRedirect(reply, 302, localNext(next) ?? DEFAULT_REDIRECT);
}

/**
 * Pages, not API views: errors (a CSRF refusal, a bad body) are shown as HTML pages, the request
 * must pass the CSRF check when it posts, and the session is read so the page shows who is in.
 */
async function pageHooks(request: FastifyRequest): Promise<void> {
  request.negotiated = { renderer: browsableApiRenderer, accepted: parseMediaType('text/html') };
  if (request.method === 'POST') request.csrfRequired = true;
  await request.server.sessions.load(request);
}

/** Registers the login and logout pages. */
export function registerSessionRoutes(app: FastifyInstance): void {
  app.route({
    method: ['GET', 'HEAD', 'POST'],
    url: '/auth/login/',
    schema: { hide: true },
    onRequest: pageHooks,
    async handler(request, reply) {
      const next = nextOf(request);
      if (request.method !== 'POST')
        return loginPage(request, reply, 200, { next: typeof next === 'string' ? next : '' });

      const data = requestData(request);
      const { input, errors } = readLoginForm(
        data !== null && typeof data === 'object' ? (data as Record<string, unknown>) : {},
      );
      const again = { username: input.username, next: typeof next === 'string' ? next : '' };
      if (errors.username !== undefined || errors.password !== undefined) {
        return loginPage(request, reply, 200, { ...again, errors });
      }
      const outcome = await passwordLogin(request, reply, input, {
        logMessage: 'failed session login',
        invalid: INVALID_LOGIN,
      });
      if (outcome.user === null) {
        return loginPage(request, reply, outcome.status, { ...again, error: outcome.error });
      }
      return redirect(reply, next);
    },
  });

  app.route({
    method: ['GET', 'HEAD', 'POST'],
    url: '/auth/logout/',
    schema: { hide: true },
    onRequest: pageHooks,
    async handler(request, reply) {
      const next = nextOf(request);
      if (request.method !== 'POST') {
        // Logging out changes state, so GET only asks (a link or an image cannot log anyone out).
        return sendPage(
          reply,
          200,
          renderTemplate('logout', {
            ...pageChrome(request, reply, 'Log out – keygate'),
            loggedIn: viewer(request) !== null,
            next: typeof next === 'string' ? next : '',
          }),
        );
      }
      await app.sessions.end(request, reply);
      if (localNext(next) !== null) return redirect(reply, next);
      return sendPage(
        reply,
        200,
        renderTemplate('logged-out', { ...pageChrome(request, reply, 'Logged out – keygate') }),
      );
    },
  });
}
