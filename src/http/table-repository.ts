// A ResourceRepository over one table with an integer `id` key, for resources defined without SQL.
import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import type { KeygateDatabase } from '../db/keygate-database.js';
import type { ListQuery } from './filters.js';
import type { PageWindow } from './pagination.js';
import type { ResourceRepository } from './resource-definition.js';

/** A row as read: column name -> value. */
export type TableRow = Readonly<Record<string, unknown>>;

// The table is only known at run time: Kysely sees it as a table of unknown columns.
type AnyTables = Record<string, Record<string, unknown>>;

/** Options of {@link tableRepository}. */
export interface TableRepositoryOptions<Item, Input> {
  /** keygate's database (its Kysely instance and dialect helpers). */
  readonly database: KeygateDatabase;
  /** The table, e.g. `notes`; it has an integer primary key `id` the database assigns. */
  readonly table: string;
  /**
   * API field name -> column, for the fields a resource searches or orders by (search fields must be
   * text columns). A field the list query names that is missing here is a programming error.
   */
  readonly columns: Readonly<Record<string, string>>;
  /** The item from a row of every column. */
  readonly toItem: (row: TableRow) => Item;
  /** The columns a create inserts (defaults included), from validated input. */
  readonly toRow: (input: Input) => Record<string, unknown>;
  /** The columns an update sets from the fields validated (default: `toRow`, undefined values left out). */
  readonly toChanges?: (input: Partial<Input>) => Record<string, unknown>;
}

/**
 * A repository for a resource over `table`: pages with their count (filtered by every search term,
 * each found in at least one search field, case-insensitively, with LIKE metacharacters matching
 * themselves), ordered by the list query's terms then by id; get, create, update and delete by id.
 * Works on SQLite and PostgreSQL alike.
 */
export function tableRepository<Item, Input>(
  options: TableRepositoryOptions<Item, Input>,
): ResourceRepository<Item, Input> {
  const { database, table, columns, toItem, toRow } = options;
  const db = database.db as unknown as Kysely<AnyTables>;
  const column = (field: string): string => {
    const name = columns[field] ?? (field === 'id' ? 'id' : undefined);
    if (name === undefined) throw new Error(`tableRepository(${table}): no column for the field '${field}'`);
    return name;
  };
  const changesOf = (input: Partial<Input>): Record<string, unknown> => {
    const changes = options.toChanges ? options.toChanges(input) : toRow(input as Input);
    return Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
  };
  // Every term in at least one search field: AND over the terms of OR over the fields.
  const matching = (query: ListQuery | undefined): Expression<SqlBool> | undefined => {
    const equal = (query?.equal ?? []).map(
      ({ field, value }) => sql<SqlBool>`${sql.ref(column(field))} = ${value}`,
    );
    const searched = searching(query);
    const all = searched === undefined ? equal : [...equal, searched];
    return all.length === 0 ? undefined : sql<SqlBool>`${sql.join(all, sql` and `)}`;
  };
  const searching = (query: ListQuery | undefined): Expression<SqlBool> | undefined => {
    if (query === undefined || query.search.length === 0 || query.searchFields.length === 0) return undefined;
    const fields = query.searchFields.map(column);
    const terms = query.search.map(
      (term) =>
        sql<SqlBool>`(${sql.join(
          fields.map((name) => database.contains(name, term)),
          sql` or `,
        )})`,
    );
    return sql<SqlBool>`${sql.join(terms, sql` and `)}`;
  };
  const get = async (id: number): Promise<Item | undefined> => {
    const row = await db.selectFrom(table).selectAll().where(sql.ref('id'), '=', id).executeTakeFirst();
    return row && toItem(row);
  };

  return {
    async page({ limit, offset }: PageWindow, query?: ListQuery) {
      const where = matching(query);
      let rows = db.selectFrom(table).selectAll();
      let counted = db.selectFrom(table).select((eb) => eb.fn.countAll<number | string>().as('n'));
      if (where !== undefined) {
        rows = rows.where(where);
        counted = counted.where(where);
      }
      for (const term of query?.ordering ?? []) {
        rows = rows.orderBy(sql.ref(column(term.field)), term.descending ? 'desc' : 'asc');
      }
      // The tie-break that keeps pages stable whatever the ordering.
      rows = rows.orderBy(sql.ref('id'), 'asc').limit(limit).offset(offset);
      const [items, total] = await Promise.all([rows.execute(), counted.executeTakeFirstOrThrow()]);
      return { count: Number(total.n), items: items.map(toItem) };
    },

    get,

    async create(input) {
      const row = await db.insertInto(table).values(toRow(input)).returningAll().executeTakeFirstOrThrow();
      return toItem(row);
    },

    async update(id, input) {
      const changes = changesOf(input);
      if (Object.keys(changes).length === 0) return get(id);
      const row = await db
        .updateTable(table)
        .set(changes)
        .where(sql.ref('id'), '=', id)
        .returningAll()
        .executeTakeFirst();
      return row && toItem(row);
    },

    async delete(id) {
      const result = await db.deleteFrom(table).where(sql.ref('id'), '=', id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
  };
}
