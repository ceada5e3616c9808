// The pieces of a section's definition (see model-admin-types.ts): the change list's columns and
// filters, the form's fields, and what the save hooks are told and may answer.
import type { FastifyInstance } from 'fastify';
import type { Expression, SqlBool } from 'kysely';
import type { FieldErrors } from '../errors.js';
import type { User } from '../users/user.js';
import type { Cell } from './change-list.js';
import type { FieldKind, FormField } from './change-form.js';
import type { AnyExpressionBuilder, AnyTransaction } from './model-admin-db.js';

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
  /**
   * Leading and trailing whitespace is removed from what is sent, before `parse` and when the
   * form is shown again after an error (Django's CharField `strip`). Default no.
   */
  readonly strip?: boolean;
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
  /**
   * Whether `user` may edit the field (of `row`); otherwise it is shown disabled and what is
   * posted for it is ignored (Django's `get_readonly_fields(request, obj)`). Default yes.
   */
  readonly editable?: (user: User, row?: Row) => boolean;
  /** An editable field is not read-only (see {@link AdminReadonlyField}). */
  readonly readonly?: false;
}

/**
 * A field the change form shows but never edits (Django's `readonly_fields`), placed among the
 * editable ones in `fields`; the add form leaves it out.
 */
export interface AdminReadonlyField<Row> {
  /** Marks the field read-only. */
  readonly readonly: true;
  /** The form field's name (its element id is `id_<name>`). */
  readonly name: string;
  /** Its label. */
  readonly label: string;
  /** The value shown. */
  readonly show: (row: Row) => string;
  /** Help text under the field. */
  readonly help?: string;
}

/** A field of a form: editable, or read-only. */
export type AdminField<Row> = AdminFormField<Row> | AdminReadonlyField<Row>;

/** What the form's `clean` hook is told and answers: the parsed values and the errors so far. */
export interface Cleaned {
  /** The column values to save. */
  readonly values: Readonly<Record<string, unknown>>;
  /** The messages by field name (a name that is no field's is shown above the form). */
  readonly errors: FieldErrors;
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
  /** The row as stored after the save. */
  readonly row: Row;
  /** True for an add, false for a change. */
  readonly adding: boolean;
  /** The success message the engine would flash ("The product “Mug” was added successfully."). */
  readonly message: string;
  /** What `afterSave` returned (e.g. a key issued inside the transaction). */
  readonly extra: unknown;
}
