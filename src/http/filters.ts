// DRF's SearchFilter (`?search=`) and OrderingFilter (`?ordering=`): what a list request asks for.
import { Type, type TSchema } from 'typebox';
import { ApiError } from '../errors.js';
import { PYTHON_WHITESPACE, strip } from '../fields/python-text.js';
import { lastValue } from './pagination.js';

/** A resource's SearchFilter: `search_fields`, each searched case-insensitively for each term. */
export interface SearchOptions {
  /** The fields (API names) a term may be found in (DRF's `icontains` lookup). */
  readonly fields: readonly string[];
}

/** A resource's OrderingFilter: `ordering_fields` and the view's default `ordering`. */
export interface OrderingOptions {
  /** The fields (API names) a client may order by. */
  readonly fields: readonly string[];
  /** The ordering when the client gives no valid one, e.g. `'-created'` or `['name', '-id']`. */
  readonly default?: string | readonly string[];
}

/** The filter options of a resource definition; without them the list is every item by id. */
export interface ResourceFilters {
  /** DRF's SearchFilter with these search fields. */
  readonly search?: SearchOptions;
  /** DRF's OrderingFilter with these ordering fields. */
  readonly ordering?: OrderingOptions;
}

/** One ordering term: a field, ascending unless `descending`. */
export interface OrderTerm {
  /** The field's API name. */
  readonly field: string;
  /** Whether it orders from the highest value down (`-field`). */
  readonly descending: boolean;
}

/** What a list request asks the repository for, besides the window. */
export interface ListQuery {
  /** Every term must be found (case-insensitively, anywhere) in at least one of `searchFields`. */
  readonly search: readonly string[];
  /** The fields (API names) searched. */
  readonly searchFields: readonly string[];
  /** The ordering, before the final tie-break on id ascending that keeps pages stable. */
  readonly ordering: readonly OrderTerm[];
  /**
   * Fields (API names) that must equal a value: the owner of a resource with `ownedBy` is the
   * requesting user (null for an anonymous request, which matches nothing).
   */
  readonly equal?: readonly {
    /** The field (API name). */
    readonly field: string;
    /** The value it must hold. */
    readonly value: number | null;
  }[];
}

/** Django's ProhibitNullCharactersValidator message (DRF's CharField runs it on `?search=`). */
export const NULL_CHARACTERS = 'Null characters are not allowed.';

const hex = (unit: number): string => `\\u${unit.toString(16).padStart(4, '0')}`;
const WS = PYTHON_WHITESPACE.map(hex).join('');
// Django's smart_split_re with Python's `\s` (not JavaScript's) and `.` (anything but `\n`).
const SMART_SPLIT = new RegExp(
  `(?:[^${WS}'"]*(?:(?:"(?:[^"\\\\]|\\\\[^\\n])*"|'(?:[^'\\\\]|\\\\[^\\n])*')[^${WS}'"]*)+)|[^${WS}]+`,
  'g',
);

/** Django's `smart_split`: words, and quoted phrases (quotes kept) as single words. */
export function smartSplit(text: string): string[] {
  return Array.from(text.matchAll(SMART_SPLIT), (match) => match[0]);
}

/** Django's `unescape_string_literal` of a term that starts and ends with the same quote. */
function unescapeStringLiteral(term: string): string {
  const quote = term[0]!;
  return term.slice(1, -1).replaceAll(`\\${quote}`, quote).replaceAll('\\\\', '\\');
}

/** Python's `s.strip(',')`. */
function stripCommas(text: string): string {
  return text.replace(/^,+/, '').replace(/,+$/, '');
}

/** DRF's `search_smart_split`: quoted phrases kept whole, other words split on commas. */
export function searchSmartSplit(text: string): string[] {
  const terms: string[] = [];
  for (const word of smartSplit(text)) {
    const term = stripCommas(word);
    if ((term.startsWith('"') || term.startsWith("'")) && term[0] === term.at(-1)) {
      terms.push(unescapeStringLiteral(term));
    } else {
      for (const part of term.split(',')) if (part !== '') terms.push(strip(part));
    }
  }
  return terms;
}

/**
 * DRF's `SearchFilter.get_search_terms`: `?search=` (its last value) through a CharField, which
 * refuses a NUL with a 400 (`["Null characters are not allowed."]`), then `search_smart_split`.
 */
export function searchTerms(query: Readonly<Record<string, unknown>>): string[] {
  const raw = lastValue(query.search);
  const value = typeof raw === 'string' ? raw : '';
  if (value.includes('\0')) throw new ApiError(400, 'null_characters_not_allowed', [NULL_CHARACTERS]);
  return searchSmartSplit(value);
}

/** `name` or `-name` as a term. */
export function orderTerm(text: string): OrderTerm {
  return text.startsWith('-')
    ? { field: text.slice(1), descending: true }
    : { field: text, descending: false };
}

/**
 * DRF's `OrderingFilter.get_ordering`: `?ordering=a,-b` (its last value), split on commas and
 * stripped; terms naming no ordering field are dropped (`remove_invalid_fields`); when none is
 * left, the default ordering.
 */
export function orderingTerms(
  query: Readonly<Record<string, unknown>>,
  options: OrderingOptions,
): OrderTerm[] {
  const raw = lastValue(query.ordering);
  if (typeof raw === 'string' && raw !== '') {
    const valid = new Set(options.fields);
    const terms = raw
      .split(',')
      .map((param) => orderTerm(strip(param)))
      .filter((term) => valid.has(term.field));
    if (terms.length > 0) return terms;
  }
  const fallback = options.default;
  if (fallback === undefined) return [];
  return (typeof fallback === 'string' ? [fallback] : fallback).map(orderTerm);
}

/** What a list request asks for, or undefined when the resource has neither filter (by id, all). */
export function listQuery(
  query: Readonly<Record<string, unknown>>,
  filters: ResourceFilters,
): ListQuery | undefined {
  if (filters.search === undefined && filters.ordering === undefined) return undefined;
  return {
    search: filters.search === undefined ? [] : searchTerms(query),
    searchFields: filters.search?.fields ?? [],
    ordering: filters.ordering === undefined ? [] : orderingTerms(query, filters.ordering),
  };
}

/** The filters' query parameters for OpenAPI (their `get_schema_operation_parameters`). */
export function filterParameters(filters: ResourceFilters): Record<string, TSchema> {
  return {
    ...(filters.search !== undefined && { search: Type.String({ description: 'A search term.' }) }),
    ...(filters.ordering !== undefined && {
      ordering: Type.String({ description: 'Which field to use when ordering the results.' }),
    }),
  };
}
