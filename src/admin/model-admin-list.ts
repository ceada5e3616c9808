// The engine's change list: a definition's columns, search, filters and ordering turned into the
// query, the rows and the page (with the "delete selected" action).
import type { FastifyInstance } from 'fastify';
import type { User } from '../users/user.js';
import { adminUser, allowOnly, field, fieldValues, formData } from './admin-page.js';
import {
  readListParams,
  selectedIds,
  sendChangeList,
  type Cell,
  type ListSpec,
  type Row as ListRow,
} from './change-list.js';
import { DELETE_SELECTED, handleListAction, type Deleter } from './deletion.js';
import type {
  AdminListColumn,
  AnySelect,
  ModelAdminDefinition,
  ModelAdminEngine,
} from './model-admin-types.js';

/** What the list borrows from the section's engine. */
export interface ListHelpers<Row> {
  readonly idOf: (row: Row) => number;
  readonly label: (row: Row) => string;
  readonly may: (user: User, row?: Row) => boolean;
}

/** Registers `/<slug>/`: the change list and its bulk action. */
export function registerModelList<Row extends object>(
  scope: FastifyInstance,
  definition: ModelAdminDefinition<Row>,
  engine: ModelAdminEngine<Row>,
  deleter: Deleter,
  { idOf, label, may }: ListHelpers<Row>,
): void {
  const { database } = scope.keygate;
  const { urls, crumbs, db } = engine;
  const columns = definition.listDisplay.filter((column) => column.when?.(scope) ?? true);
  const sorts = new Map<string, NonNullable<AdminListColumn<Row>['sort']>>(
    columns.flatMap((column) => (column.sort ? [[column.sort.key, column.sort] as const] : [])),
  );
  const filters = definition.listFilter ?? [];
  const searchFields = definition.searchFields ?? [];
  const spec: ListSpec<string> = {
    sortable: [...sorts.keys()],
    defaultSort: { field: definition.ordering.key, descending: definition.ordering.descending },
    filters: filters.map(({ param, title, choices }) => ({ param, title, choices })),
    searchPlaceholder: searchFields.length === 0 ? null : (definition.searchPlaceholder ?? 'Search'),
  };
  const idReference = definition.idReference ?? definition.idColumn ?? 'id';
  const addable = (user: User) => definition.hasAddPermission?.(user) ?? true;

  function cellsOf(row: Row): Cell[] {
    return columns.map((column, index) => {
      const shown = column.cell(row);
      const cell = typeof shown === 'string' ? { text: shown } : shown;
      // Django's list_display_links: the first column links to the change page.
      return index === 0 && cell.href === undefined ? { ...cell, href: urls.change(idOf(row)) } : cell;
    });
  }

  scope.route({
    method: ['GET', 'HEAD', 'POST'],
    url: `/${definition.slug}/`,
    schema: { hide: true },
    async handler(request, reply) {
      const user = adminUser(request);
      allowOnly(may(user), definition.permissionDeniedMessage);
      if (request.method === 'POST') {
        const data = formData(request);
        const chosen = selectedIds(fieldValues(data, '_selected_action'));
        const refused =
          field(data, 'action') === DELETE_SELECTED
            ? definition.beforeDelete?.(request, reply, chosen)
            : null;
        return refused ?? handleListAction(request, reply, deleter, crumbs);
      }
      const params = readListParams(request.query, spec);
      const now = new Date();
      let query: AnySelect = definition.from?.(db) ?? db.selectFrom(definition.table);
      // Each word (or the whole text) must match one of the search columns.
      const words =
        definition.searchWords === undefined
          ? [params.q].filter(Boolean)
          : params.q.split(/\s+/).filter(Boolean).slice(0, definition.searchWords);
      for (const word of words) {
        query = query.where((eb) => eb.or(searchFields.map((column) => database.contains(column, word))));
      }
      for (const filter of filters) {
        const value = params.filters[filter.param];
        if (value !== undefined) query = query.where((eb) => filter.where(eb, value, now));
      }
      const sort = sorts.get(params.sort.field)!;
      const { descending } = params.sort;
      const [counted, rows] = await Promise.all([
        query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
        query
          .select(definition.columns as string[])
          .orderBy(sort.column, (ob) =>
            sort.nullsOldest === true
              ? descending
                ? ob.desc().nullsLast()
                : ob.asc().nullsFirst()
              : descending
                ? ob.desc()
                : ob.asc(),
          )
          .orderBy(idReference, descending ? 'desc' : 'asc')
          .limit(params.limit)
          .offset(params.offset)
          .execute() as Promise<Row[]>,
      ]);
      const listed: ListRow[] = rows.map((row) => ({
        id: idOf(row),
        label: label(row),
        cells: cellsOf(row),
      }));
      return sendChangeList(
        request,
        reply,
        {
          path: urls.list,
          noun: definition.singular,
          nouns: deleter.plural,
          crumb: definition.name,
          addHref: addable(user) ? urls.add : '',
        },
        {
          params,
          spec,
          columns: columns.map((column) => ({ label: column.label, sort: column.sort?.key })),
          rows: listed,
          count: Number((counted as { n: number | string }).n),
        },
      );
    },
  });
}
