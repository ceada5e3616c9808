// What every keygate HTML page shows around its content: title, who is logged in, log in/out.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { csrfToken } from '../csrf/csrf-plugin.js';
import type { User } from '../users/user.js';

/** The data the layout template needs. */
export interface PageChrome {
  readonly title: string;
  /** The username shown with the logout button, or null for the login link. */
  readonly viewerName: string | null;
  /** A CSRF token for the forms on the page (the logout button among them). */
  readonly csrfToken: string;
  /** This page's path and query, for `next`. */
  readonly here: string;
  /** Where "Log in" goes (null on the login page itself). */
  readonly loginUrl: string | null;
}

/** The login URL that comes back to `here` afterwards. */
export function loginUrlFor(here: string): string {
  return `/auth/login/?next=${encodeURIComponent(here)}`;
}

/**
 * The user a page is shown to: who authenticated the request, else the (active) user of its
 * session when the page loaded it — a view without session authentication still shows who is
 * logged in, as DRF's browsable API does.
 */
export function viewer(request: FastifyRequest): User | null {
  if (request.user !== null) return request.user;
  const session = request.server.sessions.loaded(request);
  return session !== null && session.user.isActive ? session.user : null;
}

/** The chrome of a page answering `request`. */
export function pageChrome(
  request: FastifyRequest,
  reply: FastifyReply,
  title: string,
  options: { readonly loginLink?: boolean } = {},
): PageChrome {
  const here = request.url;
  return {
    title,
    viewerName: viewer(request)?.username ?? null,
    csrfToken: csrfToken(reply),
    here,
    loginUrl: options.loginLink === false ? null : loginUrlFor(here),
  };
}
