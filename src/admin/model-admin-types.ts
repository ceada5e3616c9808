// What a section declares to the generic admin engine (Django's ModelAdmin options): the table, the
// change list's columns, search, filters and order, the form's fields, permissions and hooks.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Expression, ExpressionBuilder, Kysely, SelectQueryBuilder, SqlBool, Transaction } from 'kysely';
import type { FieldErrors } from '../errors.js';
import type { User } from '../users/user.js';
import type { Crumb } from './admin-page.js';
import type { AdminApp, SectionUrls } from './admin-section.js';
import type { Cell } from './change-list.js';
import type { FieldKind, FormField } from './change-form.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- a definition names its table and columns as
   strings (it may be generated from a model), so the engine queries an untyped view of the database. */
/** The database as the engine queries it: tables and columns named by the definition. */
export type AnyDatabase = Kysely<any>;
/** A transaction on {@link AnyDatabase}, as hooks receive it. */
export type AnyTransaction = Transaction<any>;
/** The expression builder a filter's condition is built with. */
export type AnyExpressionBuilder = ExpressionBuilder<any, any>;
/** A select query the engine adds conditions, order and columns to. */
export type AnySelect = SelectQueryBuilder<any, any, object>;
/* eslint-enable @typescript-eslint/no-explicit-any */

/** A condition for a where clause. */
export type Condition = Expression<SqlBool>;

/** One column of the change list (Django's `list_display` entry). */
export interface AdminListColumn<Row> {
  /** The column's heading. */
  readonly label: string;
  /**
   * The cell of `row`: its text, or a cell (a yes/no flag, a link). The first column's text links
   * to the row's change page unless the cell has its own `href`.
   */
  readonly cell: (row: Row) => string | Cell;
  /**
   * Makes the column sortable: `key` is its name in `?o=`, `column` the SQL column ordered by.
   * `nullsOldest` sorts NULL as the smallest value on both databases (their defaults differ).
   */
  readonly sort?: { readonly key: string; readonly column: string; readonly nullsOldest?: boolean };
  /** Whether the column is shown in this app (e.g. only when a setting enables it); default yes. */
  readonly when?: (scope: FastifyInstance) => boolean;
}

/** A sidebar filter of the change list (Django's `list_filter` entry). */
export interface AdminListFilter {
  /** The query parameter, e.g. `in_stock`. */
  readonly param: string;
  /** The heading, e.g. "By availability". */
  readonly title: string;
  /** The values offered, besides "All". */
  readonly choices: readonly { readonly value: string; readonly label: string }[];
  /** The condition of the chosen `value` (one of `choices`); `now` is the request's time. */
  readonly where: (eb: AnyExpressionBuilder, value: string, now: Date) => Condition;
}

/** What a field's `parse` made of the value sent. */
export type ParsedField =
  /** The column value to store. */
  | { readonly value: unknown }
  /** The messages shown beside the field. */
  | { readonly errors: readonly string[] }
  /** Leave the column out: the field's `default` on add, the stored value on change. */
  | null;

/** What a field's `parse` is told. */
export interface ParseContext {
  /** True on the add form, false on a change form. */
  readonly adding: boolean;
  /** The admin user submitting the form. */
  readonly user: User;
}

/** A field's widget attributes, passed to the template with the field. */
export type FieldWidget = Pick<FormField, 'maxlength' | 'inputmode' | 'autocomplete'> &
  Readonly<Record<string, string | number | undefined>>;

/** One editable field of the add and change forms (Django's form field for a model field). */
export interface AdminFormField<Row> {
  /** The form field's name (and, unless `column` says otherwise, the column's). */
  readonly name: string;
  /** The column the parsed value is stored in; default `name`. */
  readonly column?: string;
  /** Its label. */
  readonly label: string;
  /** The widget. */
  readonly kind: FieldKind;
  /** Help text under the field. */
  readonly help?: string;
  /**
   * Required: a form without the field is refused with "This field is required." before `parse`
   * runs (except a checkbox, which a form leaves out when unchecked).
   */
  readonly required?: boolean;
  /**
   * Widget attributes (maxlength, inputmode, autocomplete, or what a section's own template reads);
   * the browser checks them, the server validates regardless, in `parse`.
   */
  readonly widget?: FieldWidget;
  /** The add form's starting text (for a checkbox: `'on'` starts checked). */
  readonly initial?: string;
  /** The column value a new row gets when `parse` leaves the field out (the model's default). */
  readonly default?: unknown;
  /** The stored value as the form shows it (and as the change message compares it). */
  readonly show: (row: Row) => string;
  /**
   * The raw value sent (the last one of a repeated field; a checkbox's value or undefined when
   * unchecked; undefined for a field the form did not send) parsed and validated to a column value.
   */
  readonly parse: (raw: string | undefined, context: ParseContext) => ParsedField | Promise<ParsedField>;
  /** Whether the field is on the form in this app; default yes. */
  readonly when?: (scope: FastifyInstance) => boolean;
}

/** A field shown on the change form but never edited (Django's `readonly_fields`). */
export interface AdminReadonlyField<Row> {
  /** The form field's name (its element id is `id_<name>`). */
  readonly name: string;
  readonly label: string;
  /** The value shown. */
  readonly show: (row: Row) => string;
  readonly help?: string;
}

/** What a save hook is told. */
export interface SaveContext<Row> {
  /** The admin user saving. */
  readonly user: User;
  /** The stored row a change starts from; absent on add. */
  readonly row?: Row;
  /** The save's transaction: the row's write and its log entry commit together with the hook's work. */
  readonly trx: AnyTransaction;
}

/** What `beforeSave` may answer: nothing (save as is), other column values, or errors to show. */
export type BeforeSave =
  void | { readonly values: Readonly<Record<string, unknown>> } | { readonly errors: FieldErrors };

/** A saved row, as a section's `respondToSave` hook receives it. */
export interface Saved<Row> {
  readonly row: Row;
  readonly adding: boolean;
  /** The success message the engine would flash ("The product “Mug” was added successfully."). */
  readonly message: string;
  /** What `afterSave` returned (e.g. a key issued inside the transaction). */
  readonly extra: unknown;
}

/** A section of the admin over one table, as `modelAdmin()` turns it into an `AdminSection`. */
export interface ModelAdminDefinition<Row extends object> {
  /** URL segment under the admin root, e.g. `products`. */
  readonly slug: string;
  /** Plural name on the home page and in breadcrumbs, e.g. "Products". */
  readonly name: string;
  /** Singular noun in titles and messages, e.g. "product". */
  readonly singular: string;
  /** Plural noun in messages; default `name` in lower case. */
  readonly plural?: string;
  /** The content type of the section's log entries, e.g. `product`. */
  readonly contentType: string;
  /** The home page group the section is listed in. */
  readonly app: AdminApp;
  /** The table written to, e.g. `products`. */
  readonly table: string;
  /** Its primary key column; default `id`. */
  readonly idColumn?: string;
  /** The columns a row is read with (`Row`'s keys), as the reads select them. */
  readonly columns: readonly string[];
  /**
   * Where rows are read from, when a join is needed (e.g. the owner's username): a select over the
   * table and its joins, with `columns` and `idReference` naming columns qualified by its aliases.
   * Default `db.selectFrom(table)`.
   */
  readonly from?: (db: AnyDatabase) => AnySelect;
  /** The id column as `from` names it, e.g. `t.id`; default `idColumn`. */
  readonly idReference?: string;
  /** The row's id; default the `idColumn` value as a number. */
  readonly idOf?: (row: Row) => number;
  /** How the row is named in the admin log (object_repr), page titles and messages. */
  readonly objectRepr: (row: Row) => string;
  /** How the row is named in the list's check boxes and delete confirmations; default `objectRepr`. */
  readonly label?: (row: Row) => string;

  /** The change list's columns (Django's `list_display`). */
  readonly listDisplay: readonly AdminListColumn<Row>[];
  /** Columns searched, case-insensitively anywhere in the text (`database.contains`). */
  readonly searchFields?: readonly string[];
  /** The search box's placeholder; default "Search". */
  readonly searchPlaceholder?: string;
  /** The sidebar's filters (Django's `list_filter`). */
  readonly listFilter?: readonly AdminListFilter[];
  /** The order without `?o=`: a sort key of `listDisplay`, and its direction. */
  readonly ordering: { readonly key: string; readonly descending: boolean };

  /** The add and change forms' editable fields, in order (Django's `fields`). */
  readonly fields: readonly AdminFormField<Row>[];
  /** Fields the change form shows but never edits, after the editable ones. */
  readonly readonlyFields?: readonly AdminReadonlyField<Row>[];

  /** May `user` add rows? Default yes (every staff user). */
  readonly hasAddPermission?: (user: User) => boolean;
  /** May `user` see the list and change pages (of `row`)? Default yes. */
  readonly hasViewPermission?: (user: User, row?: Row) => boolean;
  /** May `user` change (`row`)? Without it the change form is shown read-only. Default yes. */
  readonly hasChangePermission?: (user: User, row?: Row) => boolean;
  /** May `user` delete (`row`)? One refused row refuses a whole bulk delete (403). Default yes. */
  readonly hasDeletePermission?: (user: User, row?: Row) => boolean;

  /**
   * Runs in the save's transaction before the write, with the parsed column values: may refuse
   * with errors shown on the form, or answer other values (e.g. timestamps, a hashed password).
   */
  readonly beforeSave?: (
    values: Readonly<Record<string, unknown>>,
    context: SaveContext<Row>,
  ) => BeforeSave | Promise<BeforeSave>;
  /** Runs in the save's transaction after the write and the log entry; its answer reaches `respondToSave`. */
  readonly afterSave?: (row: Row, context: SaveContext<Row>) => unknown;
  /**
   * Instead of the INSERT itself (for rows a service creates, e.g. with a secret issued once): makes
   * the row inside `trx`; answers its id and whatever `respondToSave` needs as `extra`. A
   * ValidationError it throws is shown on the form.
   */
  readonly insert?: (
    values: Readonly<Record<string, unknown>>,
    context: SaveContext<Row>,
  ) => Promise<{ readonly id: number; readonly extra?: unknown }>;
  /**
   * Answers a successful save itself (e.g. a page showing a key the one time it exists); null
   * leaves it to the engine (a message and Django's redirect for the button pressed).
   */
  readonly respondToSave?: (
    request: FastifyRequest,
    reply: FastifyReply,
    saved: Saved<Row>,
  ) => FastifyReply | null;
  /** What else goes with each row the delete confirmation lists, by id (Django's related objects). */
  readonly deleteRelated?: (ids: readonly number[]) => Promise<ReadonlyMap<number, readonly string[]>>;
  /** Deletes the rows inside `trx` instead of a plain DELETE; answers those that went. */
  readonly delete?: (rows: readonly Row[], trx: AnyTransaction) => Promise<readonly Row[]>;
  /** Extra template data for the add form (null) or the change form of `row` (links, scripts). */
  readonly formExtra?: (row: Row | null) => Readonly<Record<string, unknown>>;
  /** The add form's template under `admin/`, for a form the generic `change-form` cannot show. */
  readonly addTemplate?: string;
  /** Answers the change page's GET itself (a page of its own, e.g. read-only with actions). */
  readonly changeView?: (request: FastifyRequest, reply: FastifyReply, row: Row) => FastifyReply;
  /** The 403's detail when a permission hook refuses; default DRF's generic one. */
  readonly permissionDeniedMessage?: string;
  /** More routes of the section (pages beyond list/add/change/delete), under `/<slug>/`. */
  readonly extraRoutes?: (scope: FastifyInstance, engine: ModelAdminEngine<Row>) => void;
}

/** What the engine lends a section's extra routes. */
export interface ModelAdminEngine<Row extends object> {
  /** The section's URLs. */
  readonly urls: SectionUrls;
  /** The breadcrumb to the section's list. */
  readonly crumbs: readonly Crumb[];
  /** The rows with these ids that exist, in id order. */
  find(ids: readonly number[]): Promise<Row[]>;
  /** The row the URL's `:id` names; NotFound otherwise, PermissionDenied without view permission. */
  rowOf(request: FastifyRequest): Promise<Row>;
  /** Records a change to `row` inside `trx`. */
  record(
    trx: AnyTransaction,
    user: User,
    row: Row,
    action: 'added' | 'changed' | 'deleted',
    message?: string,
  ): Promise<void>;
  /** The database. */
  readonly db: AnyDatabase;
}
