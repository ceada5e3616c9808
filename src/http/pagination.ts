// DRF's LimitOffsetPagination (`?limit=&offset=`, absolute next/previous links) and the contract
// every pagination class of a resource meets (see page-number-pagination.ts for the other one).
import { Type, type TSchema } from 'typebox';
import { removeQueryParam, replaceQueryParam } from './query-string.js';

/** The page size when the client gives no usable `limit`. */
export const DEFAULT_LIMIT = 100;

/** A requested window into a list. */
export interface PageWindow {
  /** How many items at most (`?limit=`, default 100). */
  readonly limit: number;
  /** How many items to skip from the start (`?offset=`). */
  readonly offset: number;
}

// Python's int(): optional sign, digits with single underscores between them, surrounding whitespace.
const PYTHON_INT = /^\s*([+-]?\d+(?:_\d+)*)\s*$/;

/** DRF's `_positive_int`: a non-negative integer, else null (strict: zero is also refused). */
export function positiveInt(raw: unknown, strict: boolean): number | null {
  if (typeof raw !== 'string') return null;
  const match = PYTHON_INT.exec(raw);
  if (!match) return null;
  const value = Number(match[1]!.replace(/_/g, ''));
  if (!Number.isSafeInteger(value) || value < 0 || (strict && value === 0)) return null;
  return value;
}

/** A query parameter as Django's `QueryDict.get` reads it: the last value given. */
export function lastValue(value: unknown): unknown {
  return Array.isArray(value) ? value.at(-1) : value;
}

/**
 * Reads `limit` and `offset` as DRF does: bad or missing values fall back to the defaults; a limit
 * above `maxLimit` (when given) is cut to it.
 */
export function pageWindow(
  query: Readonly<Record<string, unknown>>,
  defaultLimit = DEFAULT_LIMIT,
  maxLimit?: number,
): PageWindow {
  const limit = positiveInt(lastValue(query.limit), true);
  return {
    limit: limit === null ? defaultLimit : maxLimit ? Math.min(limit, maxLimit) : limit,
    offset: positiveInt(lastValue(query.offset), false) ?? 0,
  };
}

/** The paginated body: `{"count","next","previous","results"}` in DRF's key order. */
export interface Page<T> {
  /** How many items there are in all. */
  readonly count: number;
  /** The absolute URL of the next page, or null on the last one. */
  readonly next: string | null;
  /** The absolute URL of the previous page, or null on the first one. */
  readonly previous: string | null;
  /** The items of this page. */
  readonly results: readonly T[];
}

/** The `next` link, or null on the last page. `url` is the request's absolute URL. */
export function nextLink(url: string, window: PageWindow, count: number): string | null {
  if (window.offset + window.limit >= count) return null;
  return replaceQueryParam(
    replaceQueryParam(url, 'limit', window.limit),
    'offset',
    window.offset + window.limit,
  );
}

/** The `previous` link, or null on the first page; `offset` is dropped when it would be <= 0. */
export function previousLink(url: string, window: PageWindow): string | null {
  if (window.offset <= 0) return null;
  const withLimit = replaceQueryParam(url, 'limit', window.limit);
  if (window.offset - window.limit <= 0) return removeQueryParam(withLimit, 'offset');
  return replaceQueryParam(withLimit, 'offset', window.offset - window.limit);
}

/** Assembles a page. */
export function paginate<T>(url: string, window: PageWindow, count: number, results: readonly T[]): Page<T> {
  return { count, next: nextLink(url, window, count), previous: previousLink(url, window), results };
}

/** The items of one window and the count of all: what a repository's `page` answers. */
export type PageFetch<T> = (window: PageWindow) => Promise<PageRead<T>>;

/** What a fetch of one window answers. */
export interface PageRead<T> {
  /** How many items there are in all. */
  readonly count: number;
  /** The items of the window. */
  readonly items: T[];
}

/**
 * A resource's pagination class (DRF's BasePagination): it turns the request's query into windows
 * (offset and limit, whatever the class, so repositories need not know it) and builds the body.
 */
export interface Pagination {
  /** The page the query asks for, from the request's absolute `url`; throws NotFound for a bad page. */
  paginate<T>(query: Readonly<Record<string, unknown>>, url: string, fetch: PageFetch<T>): Promise<Page<T>>;
  /** The list's query parameters for OpenAPI (DRF's `get_schema_operation_parameters`), by name. */
  readonly parameters: Readonly<Record<string, TSchema>>;
  /** The parameters as the list's description names them, e.g. `?limit=&offset=`. */
  readonly summary: string;
}

/** Options of {@link limitOffsetPagination}. */
export interface LimitOffsetOptions {
  /** The page size when the client gives no usable `limit` (DRF's `default_limit`; 100). */
  readonly defaultLimit?: number;
  /** The largest `limit` a client may ask for; larger ones are cut to it (DRF's `max_limit`). */
  readonly maxLimit?: number;
}

/** DRF's LimitOffsetPagination: `?limit=&offset=`. The default pagination of a resource. */
export function limitOffsetPagination(options: LimitOffsetOptions = {}): Pagination {
  const defaultLimit = options.defaultLimit ?? DEFAULT_LIMIT;
  const { maxLimit } = options;
  return {
    async paginate(query, url, fetch) {
      const window = pageWindow(query, defaultLimit, maxLimit);
      const { count, items } = await fetch(window);
      return paginate(url, window, count, items);
    },
    parameters: {
      limit: Type.Integer({
        minimum: 1,
        ...(maxLimit !== undefined && { maximum: maxLimit }),
        description: `Number of results to return per page (default ${defaultLimit}).`,
      }),
      offset: Type.Integer({
        minimum: 0,
        description: 'The initial index from which to return the results.',
      }),
    },
    summary: '?limit=&offset=',
  };
}
