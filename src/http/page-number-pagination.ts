// DRF's PageNumberPagination over Django's Paginator: `?page=N` (or `last`), 404 for a bad page.
import { Type } from 'typebox';
import { NotFound } from '../errors.js';
import {
  lastValue,
  positiveInt,
  type Page,
  type PageFetch,
  type PageWindow,
  type Pagination,
} from './pagination.js';
import { removeQueryParam, replaceQueryParam } from './query-string.js';

/** DRF's `invalid_page_message`, for a page that is not a number, below 1 or past the last page. */
export const INVALID_PAGE = 'Invalid page.';

/** Options of {@link pageNumberPagination}. */
export interface PageNumberOptions {
  /** Items per page (DRF's `page_size`). */
  readonly pageSize: number;
  /** The query parameter a client sets the page size with, e.g. `page_size` (none by default). */
  readonly pageSizeQueryParam?: string;
  /** The largest page size a client may ask for; larger ones are cut to it (DRF's `max_page_size`). */
  readonly maxPageSize?: number;
}

// Python's int() of a str: surrounding whitespace, a sign, digits with single underscores.
const PYTHON_INT = /^\s*([+-]?\d+(?:_\d+)*)\s*$/;

/**
 * Django's `Paginator.num_pages` with `orphans=0` and `allow_empty_first_page=True`: at least one
 * page, so an empty list has a page 1.
 */
export function pageCount(count: number, pageSize: number): number {
  return Math.ceil(Math.max(1, count) / pageSize);
}

/**
 * The page number the query asks for before it is checked against the count: DRF's
 * `get_page_number` (a missing or empty `page` is 1; `last` is the last page) and the integer part
 * of Django's `validate_number`. Null for a page that is not an integer or is below 1.
 */
export function requestedPage(raw: unknown): number | 'last' | null {
  const value = raw === undefined || raw === '' ? '1' : raw;
  if (value === 'last') return 'last';
  if (typeof value !== 'string') return null;
  const match = PYTHON_INT.exec(value);
  if (!match) return null;
  const number = Number(match[1]!.replace(/_/g, ''));
  return Number.isSafeInteger(number) && number >= 1 ? number : null;
}

/** The window of page `number` (Django's `Paginator.page`: bottom = (number - 1) * per_page). */
export function pageNumberWindow(number: number, pageSize: number): PageWindow {
  return { limit: pageSize, offset: (number - 1) * pageSize };
}

/** DRF's PageNumberPagination with Django's Paginator (no orphans, an empty first page allowed). */
export function pageNumberPagination(options: PageNumberOptions): Pagination {
  const { pageSize: defaultSize, pageSizeQueryParam, maxPageSize } = options;
  if (!Number.isSafeInteger(defaultSize) || defaultSize < 1) {
    throw new TypeError('pageNumberPagination: pageSize must be a positive integer');
  }
  // DRF's get_page_size: `_positive_int(value, strict=True, cutoff=max_page_size)`, else page_size.
  const sizeOf = (query: Readonly<Record<string, unknown>>): number => {
    if (pageSizeQueryParam === undefined) return defaultSize;
    const size = positiveInt(lastValue(query[pageSizeQueryParam]), true);
    if (size === null) return defaultSize;
    return maxPageSize ? Math.min(size, maxPageSize) : size;
  };
  return {
    async paginate<T>(
      query: Readonly<Record<string, unknown>>,
      url: string,
      fetch: PageFetch<T>,
    ): Promise<Page<T>> {
      const size = sizeOf(query);
      const requested = requestedPage(lastValue(query.page));
      if (requested === null) throw new NotFound(INVALID_PAGE);
      // `last` needs the count first: page 1 gives it, and is the answer when there is one page.
      let number = requested === 'last' ? 1 : requested;
      let { count, items } = await fetch(pageNumberWindow(number, size));
      const pages = pageCount(count, size);
      if (requested === 'last' && pages > 1) {
        number = pages;
        ({ count, items } = await fetch(pageNumberWindow(number, size)));
      }
      if (number > pageCount(count, size)) throw new NotFound(INVALID_PAGE);
      const last = pageCount(count, size);
      return {
        count,
        next: number < last ? replaceQueryParam(url, 'page', number + 1) : null,
        previous:
          number <= 1
            ? null
            : number - 1 === 1
              ? removeQueryParam(url, 'page')
              : replaceQueryParam(url, 'page', number - 1),
        results: items,
      };
    },
    parameters: {
      page: Type.Integer({ description: 'A page number within the paginated result set.' }),
      ...(pageSizeQueryParam !== undefined && {
        [pageSizeQueryParam]: Type.Integer({ description: 'Number of results to return per page.' }),
      }),
    },
    summary: pageSizeQueryParam === undefined ? '?page=' : `?page=&${pageSizeQueryParam}=`,
  };
}
