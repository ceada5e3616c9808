// DRF's reverse(): an absolute link to a view, carrying the request's format as DRF's links do.
import type { FastifyRequest } from 'fastify';
import { absoluteUrl } from './absolute-url.js';
import { replaceQueryParam } from './query-string.js';

/** DRF's URL_FORMAT_OVERRIDE: the query parameter that chooses a renderer (`?format=json`). */
export const FORMAT_PARAM = 'format';

/**
 * The request's `?format=` value, as DRF reads it (`request.query_params.get('format')`: the last
 * value when the parameter is repeated), or undefined when absent.
 */
export function formatParam(request: FastifyRequest): string | undefined {
  const value = (request.query as Record<string, unknown>)[FORMAT_PARAM];
  const last: unknown = Array.isArray(value) ? value[value.length - 1] : value;
  return typeof last === 'string' ? last : undefined;
}

/**
 * DRF's `reverse(url_name, request=request, format=format)` of a view at `path` (ending in `/`):
 * with a format, the view's suffixed URL (format_suffix_patterns' `\.(?P<format>[a-z0-9]+)/?$`,
 * reversed without the optional slash: `/product_api/` becomes `/product_api.json`); absolute on
 * the request's host; and, as preserve_builtin_query_params does, with the request's own
 * `?format=` set on it, so a client browsing with `?format=api` stays in that format.
 */
export function reverse(request: FastifyRequest, path: string, format?: string): string {
  const target = format === undefined ? path : `${path.slice(0, -1)}.${format}`;
  const url = absoluteUrl(request, target);
  const carried = formatParam(request);
  return carried === undefined ? url : replaceQueryParam(url, FORMAT_PARAM, carried);
}
