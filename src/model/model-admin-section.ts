// A model's admin section (Django's `admin.site.register(Model, ModelAdmin)`): the generic admin
// engine's definition made from the model's fields and its `admin` options.
import type { FastifyInstance } from 'fastify';
import {
  modelAdmin,
  shownTime,
  ticked,
  type AdminField,
  type AdminListColumn,
  type AdminListFilter,
  type AdminSection,
  type Cell,
  type FieldKind,
  type ParsedField,
} from '../admin/index.js';
import type { FieldWidget } from '../admin/model-admin-parts.js';
import type { TableRow } from '../http/table-repository.js';
import { nowTimestamp } from '../time.js';
import type { Model, ModelAdminOptions } from './model-definition.js';
import type { AnyModelField, FieldContext } from './field.js';
import { rowExists } from './model-resource.js';
import { columnOf, labelOf, validateData, type ModelFields } from './serializer.js';

type Field = readonly [name: string, field: AnyModelField];

const WIDGETS: Readonly<Record<string, FieldKind>> = {
  char: 'text',
  text: 'textarea',
  email: 'email',
  integer: 'number',
  decimal: 'text',
  boolean: 'checkbox',
  datetime: 'text',
  foreignKey: 'number',
};

/** The stored value of `field` in `row` as the admin shows it (text; a flag for booleans). */
function shown([name, field]: Field, row: TableRow): string {
  const value = field.fromColumn(row[columnOf(name, field)]);
  if (value === null || value === undefined) return '';
  if (field.kind === 'boolean') return value === true ? 'on' : '';
  if (field.kind === 'datetime') return typeof value === 'string' ? shownTime(value) : '';
  const represented = field.represent(value);
  return typeof represented === 'string' ? represented : JSON.stringify(represented);
}

function cell(entry: Field, row: TableRow): string | Cell {
  const [name, field] = entry;
  if (field.kind !== 'boolean') return shown(entry, row);
  const value = field.fromColumn(row[columnOf(name, field)]);
  return { text: value === true ? 'True' : 'False', flag: value === true };
}

/** Django's `Model.__str__`: the first text field's value, else "Warehouse object (1)". */
function objectRepr(name: string, fields: readonly Field[]): (row: TableRow) => string {
  const text = fields.find(([, field]) => field.kind === 'char' || field.kind === 'email');
  return (row) => {
    const stored = text === undefined ? undefined : row[columnOf(...text)];
    const value = typeof stored === 'string' ? stored : '';
    return value !== '' ? value : `${name} object (${String(row.id)})`;
  };
}

/** Django's BooleanFieldListFilter for each boolean field listed. */
function booleanFilters(entries: readonly Field[]): AdminListFilter[] {
  return entries.map(([name, field]) => {
    if (field.kind !== 'boolean') throw new TypeError(`admin.listFilter: '${name}' is not a boolean field`);
    const column = columnOf(name, field);
    return {
      param: `${column}__exact`,
      title: `By ${labelOf(name, field).toLowerCase()}`,
      choices: [
        { value: '1', label: 'Yes' },
        { value: '0', label: 'No' },
      ],
      where: (eb, value) => eb(column, '=', value === '1'),
    };
  });
}

/** The form field of a writable model field: the widget, and DRF's own validation of a form body. */
function formField(entry: Field, exists: () => FieldContext['exists']): AdminField<TableRow> {
  const [name, field] = entry;
  const fallback = field.defaultValue();
  const single: ModelFields = { [name]: field };
  const { maxLength } = field.options as { maxLength?: number };
  const widget: FieldWidget = {
    ...(maxLength !== undefined && { maxlength: maxLength }),
    ...(field.kind === 'decimal' && { inputmode: 'decimal' }),
    ...(field.kind === 'integer' && { inputmode: 'numeric' }),
  };
  return {
    name,
    column: columnOf(name, field),
    label: labelOf(name, field),
    kind: WIDGETS[field.kind] ?? 'text',
    required: field.required,
    widget,
    ...(field.options.helpText !== undefined && { help: field.options.helpText }),
    ...(fallback !== undefined && {
      default: field.toColumn(fallback),
      initial: field.kind === 'boolean' ? (fallback === true ? 'on' : '') : String(field.represent(fallback)),
    }),
    show: (row) => shown(entry, row),
    async parse(raw, { user }): Promise<ParsedField> {
      // Django's CheckboxInput: unticked sends nothing, which is False.
      if (field.kind === 'boolean') {
        return { value: field.toColumn(ticked(raw)) };
      }
      const context: FieldContext = { form: true, user, exists: exists() };
      const checked = await validateData(
        single,
        raw === undefined ? {} : { [name]: raw },
        'partial',
        context,
      );
      if (!checked.ok) return { errors: checked.errors[name] ?? [] };
      return Object.hasOwn(checked.value, name) ? { value: field.toColumn(checked.value[name]) } : null;
    },
  };
}

/** The admin section of `model`, or null when the model says `admin: false`. */
export function modelAdminSection<Fields extends ModelFields>(model: Model<Fields>): AdminSection | null {
  const definition = model.definition as unknown as Model['definition'];
  if (definition.admin === false) return null;
  const options: ModelAdminOptions<ModelFields> = definition.admin ?? {};
  const entries: Field[] = Object.entries(definition.fields);
  const pick = (names: readonly string[] | undefined, fallback: Field[]): Field[] =>
    names === undefined ? fallback : names.map((name) => [name, definition.fields[name]!] as const);
  const plural = definition.plural ?? `${definition.name}s`;
  const listed = pick(options.listDisplay, entries);
  const listDisplay: AdminListColumn<TableRow>[] = listed.map((entry) => ({
    label: labelOf(...entry),
    cell: (row) => cell(entry, row),
    sort: { key: entry[0], column: columnOf(...entry) },
  }));
  const ordering = options.ordering ?? `-${listed[0]![0]}`;
  const orderKey = ordering.replace(/^-/, '');
  if (!listed.some(([name]) => name === orderKey)) {
    throw new TypeError(`defineModel(${definition.name}): admin.ordering must name a listDisplay field`);
  }
  let database: FieldContext['exists'] | undefined;
  const exists = () => {
    if (database === undefined) throw new Error('the admin section is not registered');
    return database;
  };
  const editable = pick(options.fields, entries).filter(([, field]) => !field.readOnly);
  const readOnly = entries.filter(([, field]) => field.readOnly);
  const fieldsShown: AdminField<TableRow>[] = [
    ...editable.map((entry) => formField(entry, exists)),
    ...readOnly.map((entry) => ({
      readonly: true as const,
      name: entry[0],
      label: labelOf(...entry),
      show: (row: TableRow) => shown(entry, row),
    })),
  ];
  return modelAdmin<TableRow>(
    {
      slug: options.slug ?? definition.table,
      name: plural,
      singular: definition.name.toLowerCase(),
      plural: plural.toLowerCase(),
      contentType: definition.table,
      app: options.app ?? { label: definition.table, name: plural },
      table: definition.table,
      columns: ['id', ...entries.map((entry) => columnOf(...entry))],
      objectRepr: objectRepr(definition.name, entries),
      listDisplay,
      searchFields: (options.searchFields ?? []).map((name) => columnOf(name, definition.fields[name]!)),
      listFilter: booleanFilters(pick(options.listFilter, [])),
      ordering: { key: orderKey, descending: ordering.startsWith('-') },
      fields: fieldsShown,
      // Django's auto_now_add / auto_now, and the owner: the admin user who adds the object.
      beforeSave(values, { row, user }) {
        const now = nowTimestamp();
        const automatic: Record<string, unknown> = {};
        for (const [name, field] of entries) {
          const { autoNow, autoNowAdd } = field.options as { autoNow?: boolean; autoNowAdd?: boolean };
          const adding = row === undefined;
          if (field.kind === 'owner' && adding) automatic[columnOf(name, field)] = user.id;
          else if (autoNow === true || (autoNowAdd === true && adding))
            automatic[columnOf(name, field)] = now;
        }
        return { values: { ...values, ...automatic } };
      },
    },
    (scope: FastifyInstance) => {
      database = rowExists(scope.keygate.database);
      return {};
    },
  );
}
