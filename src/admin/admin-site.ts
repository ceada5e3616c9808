// The admin site (at /admin/ unless mounted elsewhere): staff-only login, the home page with recent
// actions, and the sections the caller plugs in. Every change made here is recorded in the admin log.
import { parse as parseQueryString } from 'node:querystring';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { NoRouteMatches } from '../errors.js';
import { appendSlashTarget } from '../http/append-slash.js';
import { quote } from '../http/iri-to-uri.js';
import { parseMediaType } from '../http/media-type.js';
import { sendRedirect } from '../http/redirect.js';
import { browsableApiRenderer } from '../html/browsable-api-renderer.js';
import { readLoginForm, type LoginErrors } from '../sessions/login-form.js';
import { localNext } from '../sessions/next-url.js';
import { passwordLogin } from '../sessions/password-login.js';
import { createAdminLog, type LogEntry } from './admin-log.js';
import { formData, redirectTo, sendAdminPage, shownTime } from './admin-page.js';
import { adminRootOf, checkAdminRoot, DEFAULT_ADMIN_ROOT, markAdminRoot } from './admin-root.js';
import { sectionUrls, type AdminApp, type AdminContext, type AdminSection } from './admin-section.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** An admin page anyone may open (the login page); every other admin page needs staff. */
    adminPublic?: boolean;
  }
}

/** Django's admin login error: the same for a wrong password and for a non-staff account. */
export const INVALID_STAFF_LOGIN =
  'Please enter the correct username and password for a staff account. Note that both fields may be case-sensitive.';

/** How many entries the home page's "Recent actions" shows. */
const RECENT_ACTIONS = 10;

/** How the admin site is mounted, and what it manages. */
export interface AdminOptions {
  /** The site's root path, with both slashes; default `/admin/`. */
  readonly root?: string;
  /** The sections, in the order the home page lists them (grouped by their `app`). */
  readonly sections: readonly AdminSection[];
}

/** The home page's groups: each app once, where its first section is, with its sections' links. */
function homeApps(root: string, sections: readonly AdminSection[]) {
  const apps = new Map<string, AdminApp & { sections: { name: string; href: string; addHref: string }[] }>();
  for (const section of sections) {
    const app = apps.get(section.app.label) ?? { ...section.app, sections: [] };
    apps.set(section.app.label, app);
    const urls = sectionUrls(root, section.slug);
    app.sections.push({ name: section.name, href: urls.list, addHref: urls.add });
  }
  return [...apps.values()];
}

/** The change page of a logged object, while it can still exist (and its section is mounted). */
function entryHref(root: string, sections: readonly AdminSection[], entry: LogEntry): string | null {
  if (entry.action === 'deleted') return null;
  const section = sections.find((s) => s.contentType === entry.contentType);
  return section === undefined ? null : sectionUrls(root, section.slug).change(entry.objectId);
}

/**
 * Admin pages are HTML: errors (a CSRF refusal) render as pages, every POST passes the CSRF check,
 * and the session is read once. An active staff user becomes `request.user`; anyone else is sent
 * to the login page (Django's admin_view), except on the login page itself.
 */
async function adminGuard(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
  request.negotiated = { renderer: browsableApiRenderer, accepted: parseMediaType('text/html') };
  if (request.method === 'POST') request.csrfRequired = true;
  const session = await request.server.sessions.load(request);
  if (session !== null && session.user.isActive && session.user.isStaff) request.user = session.user;
  if (request.user !== null || request.routeOptions.config.adminPublic === true) return undefined;
  // Django's redirect_to_login: `next` quoted with `/` left as it is (QueryDict.urlencode(safe='/')).
  return redirectTo(reply, `${adminRootOf(request)}login/?next=${quote(request.url)}`);
}

function nextOf(request: FastifyRequest): string {
  const next = formData(request).next ?? (request.query as Record<string, unknown>).next;
  return typeof next === 'string' ? next : '';
}

function loginPage(
  request: FastifyRequest,
  reply: FastifyReply,
  page: { username?: string; error?: string; errors?: LoginErrors; status?: number },
): FastifyReply {
  const session = request.server.sessions.loaded(request);
  // Logged in, but not as staff: Django says so above the form.
  const notAuthorized =
    request.user === null && session !== null && session.user.isActive ? session.user.username : null;
  return sendAdminPage(
    request,
    reply,
    'login',
    { title: 'Log in', status: page.status ?? 200, breadcrumbs: [] },
    {
      username: page.username ?? '',
      next: nextOf(request),
      error: page.error ?? null,
      errors: page.errors ?? {},
      notAuthorized,
    },
  );
}

/**
 * Registers the admin site under `options.root` with `options.sections`; the site never imports a
 * section itself. A malformed root or two sections with the same slug fail here, at start-up.
 */
export function registerAdmin(app: FastifyInstance, options: AdminOptions): void {
  const { database } = app.keygate;
  const root = checkAdminRoot(options.root ?? DEFAULT_ADMIN_ROOT);
  const { sections } = options;
  const slugs = sections.map((section) => section.slug);
  const repeated = slugs.find((slug, i) => slugs.indexOf(slug) !== i);
  if (repeated !== undefined) throw new TypeError(`two admin sections use the slug '${repeated}'`);
  const context: AdminContext = { log: createAdminLog(database.db), root };
  const apps = homeApps(root, sections);

  void app.register(
    (admin, _options, done) => {
      // Before any route: each one carries the root the shared page helpers build links on.
      admin.addHook('onRoute', markAdminRoot(root));
      admin.addHook('onRequest', adminGuard);
      // Admin forms repeat fields (the list's check boxes): keep every value, unlike the API's
      // parser, which keeps the last as Django's QueryDict does. Only this plugin's routes see it.
      admin.removeContentTypeParser('application/x-www-form-urlencoded');
      admin.addContentTypeParser(
        'application/x-www-form-urlencoded',
        { parseAs: 'string' },
        (_request, body, done) => done(null, { ...parseQueryString(body as string) }),
      );

      admin.route({
        method: ['GET', 'HEAD', 'POST'],
        url: '/login/',
        schema: { hide: true },
        config: { adminPublic: true },
        async handler(request, reply) {
          const next = localNext(nextOf(request)) ?? root;
          if (request.method !== 'POST') {
            return request.user === null ? loginPage(request, reply, {}) : redirectTo(reply, next);
          }
          const { input, errors } = readLoginForm(formData(request));
          if (errors.username !== undefined || errors.password !== undefined) {
            return loginPage(request, reply, { username: input.username, errors });
          }
          // A non-staff account counts as a failure here, so the admin login cannot be used to
          // probe ordinary accounts either.
          const outcome = await passwordLogin(request, reply, input, {
            logMessage: 'failed admin login',
            invalid: INVALID_STAFF_LOGIN,
            accept: (user) => user.isStaff,
          });
          if (outcome.user === null) {
            const { status, error } = outcome;
            return loginPage(request, reply, { username: input.username, status, error });
          }
          return redirectTo(reply, next);
        },
      });

      admin.route({
        method: ['GET', 'HEAD', 'POST'],
        url: '/logout/',
        schema: { hide: true },
        config: { adminPublic: true },
        async handler(request, reply) {
          // GET only asks: logging out changes state, so a link or an image cannot do it.
          if (request.method === 'POST') await app.sessions.end(request, reply);
          const loggedOut = request.method === 'POST';
          if (loggedOut) request.user = null;
          return sendAdminPage(
            request,
            reply,
            'logout',
            { title: loggedOut ? 'Logged out' : 'Log out', breadcrumbs: [{ label: 'Log out' }] },
            { loggedOut },
          );
        },
      });

      admin.get('/', { schema: { hide: true } }, async (request, reply) => {
        const recent = await context.log.recent(RECENT_ACTIONS);
        return sendAdminPage(
          request,
          reply,
          'index',
          { title: 'Site administration', breadcrumbs: [] },
          {
            apps,
            recent: recent.map((entry) => ({
              ...entry,
              href: entryHref(root, sections, entry),
              shownTime: shownTime(entry.actionTime),
            })),
          },
        );
      });

      for (const section of sections) section.register(admin, context);

      // Django's AdminSite.catch_all_view (final_catch_all_view): any other URL under the root is
      // the admin's, behind the same guard, so an anonymous visitor is sent to log in (as from
      // the root); staff get APPEND_SLASH's 301 when the slashed URL is an admin page, else the 404 page.
      admin.route({
        method: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
        url: '/*',
        schema: { hide: true },
        handler(request, reply) {
          const slashed = appendSlashTarget(request);
          if (slashed === null) throw new NoRouteMatches();
          return sendRedirect(reply, 301, slashed);
        },
      });
      done();
    },
    { prefix: root.slice(0, -1) },
  );
}
