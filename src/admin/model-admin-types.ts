// What a section declares to the generic admin engine (Django's ModelAdmin options): the table, the
// change list's columns, search, filters and order, the form's fields, permissions and hooks.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { User } from '../users/user.js';
import type { Crumb } from './admin-page.js';
import type { AdminApp, SectionUrls } from './admin-section.js';
import type { AnyDatabase, AnySelect, AnyTransaction } from './model-admin-db.js';
import type {
  AdminField,
  AdminFormField,
  Cleaned,
  AdminListColumn,
  AdminListFilter,
  BeforeSave,
  SaveContext,
  Saved,
} from './model-admin-parts.js';

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
  /**
   * Splits the search into words, up to this many, each of which must match one of
   * `searchFields` (Django's search); by default the whole text is one search.
   */
  readonly searchWords?: number;
  /** The search box's placeholder; default "Search". */
  readonly searchPlaceholder?: string;
  /** The sidebar's filters (Django's `list_filter`). */
  readonly listFilter?: readonly AdminListFilter[];
  /** The order without `?o=`: a sort key of `listDisplay`, and its direction. */
  readonly ordering: { readonly key: string; readonly descending: boolean };

  /** The change form's fields, editable and read-only, in order (Django's `fields`). */
  readonly fields: readonly AdminField<Row>[];
  /** The add form's fields, when they differ (Django's `add_fieldsets`); default `fields`. */
  readonly addFields?: readonly AdminFormField<Row>[];
  /**
   * Validation across fields, after each field's `parse` and before the transaction (Django's
   * `Form.clean`): given the raw values sent, the parsed values and the errors so far, answers the
   * values to save and every error. Slow work (a password hash) belongs here, outside the lock.
   */
  readonly clean?: (
    sent: Readonly<Record<string, string | undefined>>,
    parsed: Cleaned,
    context: { readonly user: User; readonly row?: Row },
  ) => Cleaned | Promise<Cleaned>;
  /** The log's change message from the names of the fields that changed; default "Changed a, b." */
  readonly changeMessage?: (changed: readonly string[]) => string;
  /** Links above the change form of `row` (e.g. "Change password"). */
  readonly formLinks?: (row: Row) => readonly { readonly label: string; readonly href: string }[];

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
   * Instead of the UPDATE itself (for rows a service changes): writes `values` to `context.row`
   * inside `trx`. DoesNotExist answers 404; a ValidationError is shown on the form.
   */
  readonly update?: (values: Readonly<Record<string, unknown>>, context: SaveContext<Row>) => Promise<void>;
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
  /**
   * Answers a deletion of these ids itself before anything is confirmed (the delete page, or the
   * list's "delete selected"), e.g. refusing one's own account with a message; null goes on.
   */
  readonly beforeDelete?: (
    request: FastifyRequest,
    reply: FastifyReply,
    ids: readonly number[],
  ) => FastifyReply | null;
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

export type {
  AdminField,
  AdminFormField,
  Cleaned,
  AdminListColumn,
  AdminListFilter,
  AdminReadonlyField,
  BeforeSave,
  Condition,
  FieldWidget,
  ParseContext,
  ParsedField,
  SaveContext,
  Saved,
} from './model-admin-parts.js';
export type { AnyDatabase, AnyExpressionBuilder, AnySelect, AnyTransaction } from './model-admin-db.js';
