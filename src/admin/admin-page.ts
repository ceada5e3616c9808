// Rendering admin pages: the chrome every page shares, breadcrumbs, messages, and redirects.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HTML_TYPE, htmlPageHeaders } from '../html/html-headers.js';
import { sendRedirect } from '../http/redirect.js';
import { pageChrome } from '../html/page-chrome.js';
import { renderTemplate } from '../html/templates.js';
import { PermissionDenied } from '../errors.js';
import type { User } from '../users/user.js';
import { adminRootOf } from './admin-root.js';
import { takeMessages } from './flash.js';

/** A step of the breadcrumb trail; the last one (the page itself) has no link. */
export interface Crumb {
  readonly label: string;
  readonly href?: string;
}

/** How a page is rendered. */
export interface PageOptions {
  readonly title: string;
  readonly breadcrumbs?: readonly Crumb[];
  readonly status?: number;
}

/** The staff user an admin page is shown to (the admin's guard has checked them). */
export function adminUser(request: FastifyRequest): User {
  const user = request.user;
  if (user === null) throw new Error('admin page without an admin user');
  return user;
}

/** Denies (403, with `message` or DRF's generic detail) unless `allowed`. */
export function allowOnly(allowed: boolean, message?: string): void {
  if (!allowed) throw message === undefined ? new PermissionDenied() : new PermissionDenied(message);
}

/**
 * Renders `template` (under `admin/`) with `data`, the chrome, breadcrumbs and waiting messages;
 * the templates build the site's own links on `it.adminRoot`.
 */
export function sendAdminPage(
  request: FastifyRequest,
  reply: FastifyReply,
  template: string,
  options: PageOptions,
  data: object = {},
): FastifyReply {
  const adminRoot = adminRootOf(request);
  const html = renderTemplate(`admin/${template}`, {
    ...pageChrome(request, reply, `${options.title} | keygate administration`),
    adminRoot,
    heading: options.title,
    breadcrumbs: [{ label: 'Home', href: adminRoot }, ...(options.breadcrumbs ?? [])],
    messages: takeMessages(request, reply),
    isSuperuser: request.user?.isSuperuser ?? false,
    ...data,
  });
  return htmlPageHeaders(reply)
    .code(options.status ?? 200)
    .type(HTML_TYPE)
    .send(html);
}

/** A redirect after a successful POST (303 would do; Django sends 302, so do we). */
export function redirectTo(reply: FastifyReply, location: string): FastifyReply {
  return sendRedirect(reply, 302, location);
}

/** The submitted form as a record of strings and string arrays (repeated fields). */
export function formData(request: FastifyRequest): Readonly<Record<string, unknown>> {
  const body = request.body;
  return body !== null && typeof body === 'object' && !Array.isArray(body)
    ? (body as Record<string, unknown>)
    : {};
}

/** A text field of the form: the string sent, or '' (a repeated field counts as its last value). */
export function field(data: Readonly<Record<string, unknown>>, name: string): string {
  const value = data[name];
  if (Array.isArray(value)) {
    const last: unknown = value.at(-1);
    return typeof last === 'string' ? last : '';
  }
  return typeof value === 'string' ? value : '';
}

/** Whether a checkbox's sent value (undefined when unticked) means ticked: any value but '', 'false' and '0'. */
export function ticked(value: string | undefined): boolean {
  return value !== undefined && value !== '' && value !== 'false' && value !== '0';
}

/** A checkbox of a form body: checked when sent with any value but '' (Django's CheckboxInput). */
export function checkbox(data: Readonly<Record<string, unknown>>, name: string): boolean {
  return ticked(field(data, name));
}

/** Every value sent under a repeated field name. */
export function fieldValues(data: Readonly<Record<string, unknown>>, name: string): string[] {
  const value = data[name];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return typeof value === 'string' ? [value] : [];
}

/** The object id in a URL: a positive integer in range, else null (the page answers 404). */
export function objectId(raw: string | undefined): number | null {
  if (raw === undefined || !/^[1-9][0-9]{0,9}$/.test(raw)) return null;
  const id = Number(raw);
  return id <= 2147483647 ? id : null;
}

/**
 * A stored timestamp (`2026-11-27T23:29:42.748410Z`, the form both databases return) as the admin
 * shows it: `2026-11-27 23:29:42 UTC`; `none` when there is none.
 */
export function shownTime(timestamp: string | null, none = '—'): string {
  return timestamp === null ? none : `${timestamp.slice(0, 19).replace('T', ' ')} UTC`;
}
