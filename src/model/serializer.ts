// DRF ModelSerializer over a model's ordered fields: input validation, representation, OPTIONS metadata, schemas.
import { Type, type TObject, type TSchema } from 'typebox';
import { nowTimestamp } from '../time.js';
import type { AnyModelField, Checked, FieldContext } from './field.js';
import { defaultLabel } from './fields/common.js';

/** A model's fields in wire order, by name (the implicit `id` is not among them). */
export type ModelFields = Readonly<Record<string, AnyModelField>>;

/** `create` (POST) and `update` (PUT) require the required fields; `partial` (PATCH) requires none. */
export type ValidationMode = 'create' | 'update' | 'partial';

/** Outcome of {@link validateData}: internal values by field name, or DRF's errors by field name. */
export type DataValidation =
  | { readonly ok: true; readonly value: Record<string, unknown> }
  | { readonly ok: false; readonly errors: Record<string, string[]> };

const REQUIRED = 'This field is required.';
const NULL = 'This field may not be null.';
const STRING_KINDS: ReadonlySet<string> = new Set(['char', 'text', 'email']);

/** The column a field is stored in: its `column`, else its name (`<name>_id` for a relation, as Django's). */
export function columnOf(name: string, field: AnyModelField): string {
  const relation = field.kind === 'foreignKey' || field.kind === 'owner';
  return field.options.column ?? (relation ? `${name}_id` : name);
}

/**
 * DRF's `Field.get_value` for a form body (`html.is_html_input`): a missing key is the field's
 * `default_empty_html` outside PATCH (false for a boolean, missing otherwise); `''` is null for a
 * nullable field that does not allow blank, and missing for one that is neither required nor blank.
 */
function formValue(field: AnyModelField, present: boolean, raw: unknown, mode: ValidationMode): unknown {
  if (!present) return mode === 'partial' ? undefined : field.formAbsentValue;
  if (raw === '' && field.allowNull) return field.allowBlank ? '' : null;
  if (raw === '' && !field.required) return field.allowBlank ? '' : undefined;
  return raw;
}

/**
 * `Serializer(data=data, partial=mode === 'partial').is_valid()` for a ModelSerializer, in field
 * order: read-only fields and unknown keys are ignored; a key whose value is `undefined` is missing.
 * `Field.validate_empty_values`: missing -> SkipField when partial or not required (left out of the
 * value: a create then takes the model default, an update keeps the row's value), else 'required';
 * null -> null when `allow_null`, else 'may not be null'; anything else goes to the field's `parse`.
 */
export async function validateData(
  fields: ModelFields,
  data: Readonly<Record<string, unknown>>,
  mode: ValidationMode,
  context: FieldContext,
): Promise<DataValidation> {
  const value: Record<string, unknown> = {};
  const errors: Record<string, string[]> = {};
  for (const [name, field] of Object.entries(fields)) {
    if (field.readOnly) continue;
    const present = Object.hasOwn(data, name) && data[name] !== undefined;
    let raw = context.form ? formValue(field, present, data[name], mode) : present ? data[name] : undefined;
    // RelatedField.run_validation: "We force empty strings to None values for relational fields."
    if (raw === '' && field.kind === 'foreignKey') raw = null;
    let outcome: Checked<unknown>;
    if (raw === undefined) {
      if (mode === 'partial' || !field.required) continue;
      outcome = { ok: false, messages: [REQUIRED] };
    } else if (raw === null) {
      outcome = field.allowNull ? { ok: true, value: null } : { ok: false, messages: [NULL] };
    } else {
      outcome = await field.parse(raw, context);
    }
    if (outcome.ok) value[name] = outcome.value;
    else errors[name] = outcome.messages;
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, value };
}

/**
 * The values a save writes, by field name: the validated ones; on create, each other writable
 * field's model default (Django's `get_default`: the default, else null when nullable, else `''`
 * for char, text and email), the owner (the request's user) and `autoNow`/`autoNowAdd` datetimes; on
 * update, `autoNow` datetimes. One instant serves every automatic datetime of the save.
 */
export function savedValues(
  fields: ModelFields,
  validated: Readonly<Record<string, unknown>>,
  mode: ValidationMode,
  context: FieldContext,
  now: string = nowTimestamp(),
): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(fields)) {
    const options = field.options as { autoNow?: boolean; autoNowAdd?: boolean };
    if (Object.hasOwn(validated, name)) values[name] = validated[name];
    else if (field.kind === 'owner' && mode === 'create') {
      if (context.user === null) throw new TypeError(`field ${name}: an owner needs an authenticated user`);
      values[name] = context.user.id;
    } else if (options.autoNow === true || (options.autoNowAdd === true && mode === 'create'))
      values[name] = now;
    else if (mode === 'create' && !field.readOnly) {
      const fallback = field.defaultValue();
      // Django Field.get_default without a default: None when null=True, '' for string fields.
      if (fallback !== undefined) values[name] = fallback;
      else if (field.allowNull) values[name] = null;
      else if (STRING_KINDS.has(field.kind)) values[name] = '';
    }
  }
  return values;
}

/** Values by field name (as {@link savedValues} gives) as column values by column name. */
export function toColumns(
  fields: ModelFields,
  values: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const columns: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(fields)) {
    if (Object.hasOwn(values, name)) columns[columnOf(name, field)] = field.toColumn(values[name]);
  }
  return columns;
}

/** A model's fields as lists, made once per fields object: rows are turned into objects for every read. */
interface FieldList {
  readonly names: readonly string[];
  readonly fields: readonly AnyModelField[];
  readonly columns: readonly string[];
}

const fieldLists = new WeakMap<ModelFields, FieldList>();

function fieldList(fields: ModelFields): FieldList {
  let list = fieldLists.get(fields);
  if (list === undefined) {
    const entries = Object.entries(fields);
    list = {
      names: entries.map(([name]) => name),
      fields: entries.map(([, field]) => field),
      columns: entries.map(([name, field]) => columnOf(name, field)),
    };
    fieldLists.set(fields, list);
  }
  return list;
}

/** A stored row (by column name, with `id`) as the model's object: `id`, then each field's internal value. */
export function valuesOf(
  fields: ModelFields,
  row: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const list = fieldList(fields);
  const values: Record<string, unknown> = { id: Number(row.id) };
  for (let i = 0; i < list.names.length; i += 1)
    values[list.names[i]!] = list.fields[i]!.fromColumn(row[list.columns[i]!]);
  return values;
}

/** The object as the API shows it (`to_representation`): `id` first, then the fields in order. */
export function representValues(
  fields: ModelFields,
  values: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const list = fieldList(fields);
  const shown: Record<string, unknown> = { id: values.id };
  for (let i = 0; i < list.names.length; i += 1) {
    const name = list.names[i]!;
    shown[name] = list.fields[i]!.represent(values[name] ?? null);
  }
  return shown;
}

/** A stored row (by column name, with `id`) as the API shows it: `id` first, then the fields in order. */
export function representRow(
  fields: ModelFields,
  row: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  return representValues(fields, valuesOf(fields, row));
}

/** A field's label: its `label`, else Django's `capfirst(verbose_name)` of the name. */
export function labelOf(name: string, field: AnyModelField): string {
  return field.options.label ?? defaultLabel(name);
}

/** DRF SimpleMetadata's `actions` map for OPTIONS: the implicit `id` first, then each field. */
export function fieldsMetadata(
  fields: ModelFields,
): Record<string, Record<string, string | number | boolean>> {
  const actions: Record<string, Record<string, string | number | boolean>> = {
    id: { type: 'integer', required: false, read_only: true, label: 'ID' },
  };
  for (const [name, field] of Object.entries(fields)) actions[name] = field.metadata(labelOf(name, field));
  return actions;
}

/**
 * What a body that leaves out an optional field gets, in words (as {@link savedValues} decides):
 * a create stores the model default (else null or `""`), an update keeps the stored value.
 */
function optionalNote(field: AnyModelField): string | undefined {
  if (field.required || field.readOnly) return undefined;
  const given = field.options.default;
  let stored: string;
  if (typeof given === 'function') stored = 'the model default';
  else if (given !== undefined) stored = `${JSON.stringify(field.represent(given))} (the model default)`;
  else if (field.allowNull) stored = 'null';
  else if (STRING_KINDS.has(field.kind)) stored = '""';
  else return undefined;
  return `Optional: a create without it stores ${stored}; a PUT without it keeps the stored value.`;
}

/** `schema` with `note` after its description. */
function noted(schema: TSchema, note: string | undefined): TSchema {
  if (note === undefined) return schema;
  const { description } = schema as { description?: unknown };
  const before = typeof description === 'string' ? `${description} ` : '';
  return { ...schema, description: `${before}${note}` };
}

/** A model's TypeBox schemas. */
export interface ModelSchemas {
  /** The object as responses show it (`$id` the model's name). */
  readonly item: TObject;
  /** What POST and PUT take (`<name>Input`). */
  readonly input: TObject;
  /** What PATCH takes: nothing required (`<name>Patch`). */
  readonly patch: TObject;
}

/** The TypeBox schemas of a model: the item (`$id` name), POST/PUT body (`nameInput`), PATCH body (`namePatch`). */
export function fieldSchemas(name: string, fields: ModelFields): ModelSchemas {
  const item: Record<string, TSchema> = { id: Type.Integer({ readOnly: true, examples: [1] }) };
  const input: Record<string, TSchema> = {};
  const patch: Record<string, TSchema> = {};
  for (const [key, field] of Object.entries(fields)) {
    const schemas = field.schemas();
    item[key] = schemas.output;
    if (field.readOnly) continue;
    const given = field.options.default;
    const fallback = given === undefined || typeof given === 'function' ? undefined : field.represent(given);
    const body = noted(schemas.input, optionalNote(field));
    const withDefault = fallback === undefined ? body : { ...body, default: fallback };
    input[key] = field.required ? body : Type.Optional(withDefault);
    patch[key] = Type.Optional(body);
  }
  return {
    item: Type.Object(item, { $id: name, additionalProperties: false }),
    input: Type.Object(input, { $id: `${name}Input` }),
    patch: Type.Object(patch, { $id: `${name}Patch` }),
  };
}
