// DRF's LimitOffsetPagination: `?limit=&offset=`, absolute next/previous links.
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

/** Reads `limit` and `offset` as DRF does: bad or missing values fall back to the defaults. */
export function pageWindow(query: Readonly<Record<string, unknown>>): PageWindow {
  const last = (value: unknown): unknown => (Array.isArray(value) ? value.at(-1) : value);
  return {
    limit: positiveInt(last(query.limit), true) ?? DEFAULT_LIMIT,
    offset: positiveInt(last(query.offset), false) ?? 0,
  };
}

/** The paginated body: `{"count","next","previous","results"}` in DRF's key order. */
export interface Page<T> {
  readonly count: number;
  readonly next: string | null;
  readonly previous: string | null;
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
