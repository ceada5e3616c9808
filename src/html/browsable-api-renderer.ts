// DRF's BrowsableAPIRenderer: an API response as an HTML page, with forms for the allowed methods.
import { STATUS_CODES } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { MediaType } from '../http/media-type.js';
import type { RenderContext, RenderedView, Renderer } from '../http/render.js';
import { buildForms } from './api-forms.js';
import { HTML_TYPE, htmlPageHeaders } from './html-headers.js';
import { jsonSegments } from './json-links.js';
import { pageChrome } from './page-chrome.js';
import { renderTemplate } from './templates.js';

/** Response headers the page lists, as a JSON client would have received them. */
const SHOWN_HEADERS = ['allow', 'www-authenticate', 'retry-after', 'vary'] as const;

function headerName(name: string): string {
  return name === 'www-authenticate'
    ? 'WWW-Authenticate'
    : name.replace(/(^|-)([a-z])/g, (m) => m.toUpperCase());
}

function shownHeaders(reply: FastifyReply): [string, string][] {
  const headers: [string, string][] = [];
  for (const name of SHOWN_HEADERS) {
    const value = reply.getHeader(name);
    if (name === 'vary') headers.push(['Content-Type', 'application/json']);
    if (value !== undefined) headers.push([headerName(name), String(value)]);
  }
  return headers;
}

function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

/** `here` with `format` set to `format` (other query parameters kept). */
function withFormat(request: FastifyRequest, format: string): string {
  const url = new URL(request.url, 'http://keygate.invalid');
  url.searchParams.set('format', format);
  return `${url.pathname}${url.search}`;
}

/** A breadcrumb: a view's name and link; the last one is the page itself. */
interface Breadcrumb {
  readonly name: string;
  readonly href: string;
  readonly current: boolean;
}

/**
 * DRF's get_breadcrumbs: the views above this one, root first, then this page's path; each link
 * keeps the request's `?format=` (utils/breadcrumbs.py, via preserve_builtin_query_params).
 */
function breadcrumbs(request: FastifyRequest, view: RenderedView): Breadcrumb[] {
  // Django's QueryDict gives the last value of a repeated parameter.
  const format = new URL(request.url, 'http://keygate.invalid').searchParams.getAll('format').at(-1);
  const keep = format === undefined ? '' : `?${new URLSearchParams({ format }).toString()}`;
  return [
    ...view.trail.map((crumb) => ({ name: crumb.name, href: `${crumb.url}${keep}`, current: false })),
    { name: view.name, href: `${pathOf(request.url)}${keep}`, current: true },
  ];
}

function statusLine(status: number): string {
  return `HTTP ${status} ${STATUS_CODES[status] ?? ''}`.trim();
}

function renderPage(data: unknown, context: RenderContext): string {
  const { request, reply, status, view } = context;
  htmlPageHeaders(reply);
  const name = view?.name ?? statusLine(status);
  const forms = view ? buildForms(request, view.actions(request), status, data) : { html: null, raw: null };
  return renderTemplate('api', {
    ...pageChrome(request, reply, `${name} – keygate`),
    name,
    breadcrumbs: view ? breadcrumbs(request, view) : [],
    description: view?.description ?? '',
    method: request.method,
    path: request.url,
    action: pathOf(request.url),
    status,
    statusLine: statusLine(status),
    headers: shownHeaders(reply),
    content: jsonSegments(data),
    jsonUrl: withFormat(request, 'json'),
    allowsOptions: view !== null,
    htmlForm: forms.html,
    rawForm: forms.raw,
    canDelete: forms.raw !== null && isDeletable(view),
  });
}

function isDeletable(view: RenderedView | null): boolean {
  return view?.methods.includes('DELETE') === true;
}

/**
 * The browsable API: format `api`, `text/html`. Listed after JSON, so `*\/*` and no Accept still
 * get JSON (DRF's order); a browser's `Accept: text/html` or `?format=api` gets the page. Before
 * authentication it reads the session (once; SessionAuthentication reuses it) so every page can
 * show who is logged in.
 */
export const browsableApiRenderer: Renderer = {
  format: 'api',
  mediaType: 'text/html',
  rendersEmpty: true,
  contentType: (_accepted: MediaType) => HTML_TYPE,
  async prepare(request) {
    await request.server.sessions.load(request);
  },
  render(data, _accepted, context) {
    if (context === undefined) throw new Error('the browsable API renders only with a context');
    return renderPage(data, context);
  },
};
