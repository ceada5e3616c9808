// Django's admin change list: search, filters, sorting and pagination read from the query string,
// and the model the `admin/change-list` template renders (rows, links, bulk-action checkboxes).
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sendAdminPage } from './admin-page.js';

/** Rows per page, as Django's list_per_page. */
export const PER_PAGE = 100;

/** One filter in the sidebar: a query parameter and the values it may take. */
export interface FilterSpec {
  readonly param: string;
  readonly title: string;
  readonly choices: readonly { readonly value: string; readonly label: string }[];
}

/** What a section's list supports. */
export interface ListSpec<Sort extends string> {
  /** Sortable columns by the name `?o=` uses. */
  readonly sortable: readonly Sort[];
  /** The order without `?o=`: a column and direction. */
  readonly defaultSort: { readonly field: Sort; readonly descending: boolean };
  readonly filters: readonly FilterSpec[];
  /** Placeholder of the search box; null when the list has no search. */
  readonly searchPlaceholder: string | null;
}

/** The list the query string asks for; anything unknown or malformed is ignored. */
export interface ListParams<Sort extends string> {
  readonly q: string;
  /** Filter param -> chosen value (only values the filter offers). */
  readonly filters: Readonly<Record<string, string>>;
  readonly sort: { readonly field: Sort; readonly descending: boolean };
  /** 1-based. */
  readonly page: number;
  readonly limit: number;
  readonly offset: number;
}

/** A column heading, with the link that sorts by it. */
export interface Column {
  readonly label: string;
  /** Sort key, or null for a column that is not sortable. */
  readonly sort?: string;
}

/** A table cell: text, optionally a link (the first cell links to the change page). */
export interface Cell {
  readonly text: string;
  readonly href?: string;
  /** Shown as a yes/no icon with this text for screen readers. */
  readonly flag?: boolean;
}

/** A row: the id the action checkbox sends, and its cells. */
export interface Row {
  readonly id: number;
  readonly label: string;
  readonly cells: readonly Cell[];
}

function queryValue(query: unknown, name: string): string {
  const value = (query as Record<string, unknown> | null)?.[name];
  return typeof value === 'string' ? value : '';
}

/** Reads `?q=`, the filters, `?o=` (a column, `-` for descending) and `?p=` (page, from 1). */
export function readListParams<Sort extends string>(query: unknown, spec: ListSpec<Sort>): ListParams<Sort> {
  const filters: Record<string, string> = {};
  for (const filter of spec.filters) {
    const value = queryValue(query, filter.param);
    if (filter.choices.some((choice) => choice.value === value)) filters[filter.param] = value;
  }
  const o = queryValue(query, 'o');
  const descending = o.startsWith('-');
  const field = (descending ? o.slice(1) : o) as Sort;
  const sort = spec.sortable.includes(field) ? { field, descending } : spec.defaultSort;
  const p = queryValue(query, 'p');
  const page = /^[1-9][0-9]{0,6}$/.test(p) ? Number(p) : 1;
  return {
    q: spec.searchPlaceholder === null ? '' : queryValue(query, 'q').trim().slice(0, 200),
    filters,
    sort,
    page,
    limit: PER_PAGE,
    offset: (page - 1) * PER_PAGE,
  };
}

/** The query string of `params` with `changes` applied (null removes a parameter). */
function linkTo<Sort extends string>(
  path: string,
  params: ListParams<Sort>,
  spec: ListSpec<Sort>,
  changes: Readonly<Record<string, string | null>>,
): string {
  const values: Record<string, string> = { ...params.filters };
  if (params.q !== '') values.q = params.q;
  const isDefault =
    params.sort.field === spec.defaultSort.field && params.sort.descending === spec.defaultSort.descending;
  if (!isDefault) values.o = `${params.sort.descending ? '-' : ''}${params.sort.field}`;
  if (params.page > 1) values.p = String(params.page);
  for (const [name, value] of Object.entries(changes)) {
    if (value === null) delete values[name];
    else values[name] = value;
  }
  const query = new URLSearchParams(values).toString();
  return query === '' ? path : `${path}?${query}`;
}

/** The model of `admin/change-list.eta`. */
export interface ChangeListModel {
  readonly searchPlaceholder: string | null;
  readonly q: string;
  /** The search box's hidden inputs: the filters and sort that searching keeps. */
  readonly kept: readonly { readonly name: string; readonly value: string }[];
  readonly filters: readonly {
    readonly title: string;
    readonly choices: readonly {
      readonly label: string;
      readonly href: string;
      readonly selected: boolean;
    }[];
  }[];
  readonly columns: readonly {
    readonly label: string;
    readonly href: string | null;
    readonly sorted: 'ascending' | 'descending' | null;
  }[];
  readonly rows: readonly Row[];
  readonly count: number;
  readonly page: number;
  readonly pageCount: number;
  readonly previous: string | null;
  readonly next: string | null;
  /** The list URL with its query, so the action form posts back to the same view of the list. */
  readonly formAction: string;
  readonly clearSearch: string | null;
}

/** Builds the change list's model from what the section's query returned. */
export function changeListModel<Sort extends string>(
  path: string,
  params: ListParams<Sort>,
  spec: ListSpec<Sort>,
  columns: readonly Column[],
  rows: readonly Row[],
  count: number,
): ChangeListModel {
  const pageCount = Math.max(1, Math.ceil(count / params.limit));
  const kept = Object.entries(params.filters).map(([name, value]) => ({ name, value }));
  const isDefault =
    params.sort.field === spec.defaultSort.field && params.sort.descending === spec.defaultSort.descending;
  if (!isDefault) kept.push({ name: 'o', value: `${params.sort.descending ? '-' : ''}${params.sort.field}` });
  return {
    searchPlaceholder: spec.searchPlaceholder,
    q: params.q,
    kept,
    filters: spec.filters.map((filter) => ({
      title: filter.title,
      choices: [
        {
          label: 'All',
          href: linkTo(path, params, spec, { [filter.param]: null, p: null }),
          selected: params.filters[filter.param] === undefined,
        },
        ...filter.choices.map((choice) => ({
          label: choice.label,
          href: linkTo(path, params, spec, { [filter.param]: choice.value, p: null }),
          selected: params.filters[filter.param] === choice.value,
        })),
      ],
    })),
    columns: columns.map((column) => {
      if (column.sort === undefined) return { label: column.label, href: null, sorted: null };
      const current = params.sort.field === column.sort;
      const descending = current ? !params.sort.descending : false;
      return {
        label: column.label,
        href: linkTo(path, params, spec, { o: `${descending ? '-' : ''}${column.sort}`, p: null }),
        sorted: current ? (params.sort.descending ? 'descending' : 'ascending') : null,
      };
    }),
    rows,
    count,
    page: params.page,
    pageCount,
    previous:
      params.page > 1
        ? linkTo(path, params, spec, { p: params.page === 2 ? null : String(params.page - 1) })
        : null,
    next: params.page < pageCount ? linkTo(path, params, spec, { p: String(params.page + 1) }) : null,
    formAction: linkTo(path, params, spec, {}),
    clearSearch: params.q === '' ? null : linkTo(path, params, spec, { q: null, p: null }),
  };
}

/** The `Row`'s check box value back from the form: positive integer ids only, deduplicated. */
export function selectedIds(values: readonly string[]): number[] {
  const ids = new Set<number>();
  for (const value of values) {
    if (/^[1-9][0-9]{0,9}$/.test(value) && Number(value) <= 2147483647) ids.add(Number(value));
  }
  return [...ids];
}

/** What a section's list page is called and links to. */
export interface ListPage {
  /** The list's path, e.g. `/admin/products/`. */
  readonly path: string;
  /** Singular and plural nouns: "product", "products". */
  readonly noun: string;
  readonly nouns: string;
  /** The section's name in the breadcrumbs, e.g. "Products". */
  readonly crumb: string;
  readonly addHref: string;
}

/** Renders a section's change list ("Select product to change", with its "Add product" button). */
export function sendChangeList<Sort extends string>(
  request: FastifyRequest,
  reply: FastifyReply,
  page: ListPage,
  list: {
    readonly params: ListParams<Sort>;
    readonly spec: ListSpec<Sort>;
    readonly columns: readonly Column[];
    readonly rows: readonly Row[];
    readonly count: number;
  },
): FastifyReply {
  return sendAdminPage(
    request,
    reply,
    'change-list',
    { title: `Select ${page.noun} to change`, breadcrumbs: [{ label: page.crumb }] },
    {
      list: changeListModel(page.path, list.params, list.spec, list.columns, list.rows, list.count),
      addHref: page.addHref,
      addLabel: `Add ${page.noun}`,
      noun: page.noun,
      nouns: page.nouns,
    },
  );
}
