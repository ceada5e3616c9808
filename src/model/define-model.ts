// A model definition (DRF's Model + ModelSerializer + ModelViewSet + admin.site.register in one):
// the fields, who may use it, pagination, filters and the admin options; the engine makes the rest.
import type { AnyModelField } from './field.js';
import type { Model, ModelDefinition } from './model-definition.js';
import { modelResource } from './model-resource.js';
import type { ModelFields } from './serializer.js';

export type {
  AuthenticationClass,
  FieldName,
  FieldValue,
  Model,
  ModelAdminOptions,
  ModelDefinition,
  ModelItem,
} from './model-definition.js';

const MODEL = Symbol.for('keygate.model');

/** Whether `value` was made by {@link defineModel}. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function isModel(value: unknown): value is Model<any> {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[MODEL] === true;
}

function checkDefinition(definition: ModelDefinition<ModelFields>): void {
  const where = `defineModel(${JSON.stringify(definition.name)})`;
  if (!/^[A-Za-z_][\w]*$/.test(definition.table))
    throw new TypeError(`${where}: table must be an identifier`);
  if (!/^[A-Za-z0-9][\w.-]*$/.test(definition.prefix)) {
    throw new TypeError(`${where}: prefix must be one URL segment (letters, digits, '.', '-', '_')`);
  }
  const names = new Set(Object.keys(definition.fields));
  if (names.has('id')) throw new TypeError(`${where}: 'id' is implicit; do not declare it`);
  const known = (option: string, list: readonly string[] | undefined) => {
    for (const name of list ?? []) {
      if (!names.has(name)) throw new TypeError(`${where}: ${option} names no field '${name}'`);
    }
  };
  known('search', definition.search);
  known('ownedBy', definition.ownedBy === undefined ? [] : [definition.ownedBy]);
  known('ordering.fields', definition.ordering?.fields);
  if (definition.admin !== false && definition.admin !== undefined) {
    known('admin.listDisplay', definition.admin.listDisplay);
    known('admin.searchFields', definition.admin.searchFields);
    known('admin.listFilter', definition.admin.listFilter);
    known('admin.fields', definition.admin.fields);
    for (const name of definition.admin.listFilter ?? []) {
      if (definition.fields[name]?.kind !== 'boolean') {
        throw new TypeError(`${where}: admin.listFilter: '${name}' is not a boolean field`);
      }
    }
    const ordering = definition.admin.ordering?.replace(/^-/, '');
    const listed = definition.admin.listDisplay ?? Object.keys(definition.fields);
    if (ordering !== undefined && !listed.includes(ordering)) {
      throw new TypeError(`${where}: admin.ordering must name a listDisplay field`);
    }
  }
  for (const [name, field] of Object.entries<AnyModelField | undefined>(definition.fields)) {
    if (!/^[A-Za-z_]\w*$/.test(name)) throw new TypeError(`${where}: field '${name}' is not an identifier`);
    if (typeof field?.parse !== 'function') throw new TypeError(`${where}: field '${name}' is not a field`);
  }
}

/**
 * Defines a model: DRF's ModelSerializer, ModelViewSet and `admin.site.register` from one
 * definition. Its routes, validation (DRF's messages), OPTIONS metadata, browsable API forms,
 * OpenAPI schemas and admin section all come from it.
 *
 * @example
 * export const warehouses = defineModel({
 *   table: 'warehouses',
 *   name: 'Warehouse',
 *   prefix: 'warehouses',
 *   fields: {
 *     name: fields.char({ maxLength: 100 }),
 *     active: fields.boolean({ default: true }),
 *     owner: fields.owner(),
 *   },
 *   permissions: [IsAuthenticatedOrReadOnly, isOwnerOrReadOnly()],
 *   search: ['name'],
 *   ordering: { fields: ['name'], default: 'name' },
 * });
 */
export function defineModel<Fields extends ModelFields>(definition: ModelDefinition<Fields>): Model<Fields> {
  checkDefinition(definition as unknown as ModelDefinition<ModelFields>);
  const frozen = Object.freeze({ ...definition, fields: Object.freeze({ ...definition.fields }) });
  const model: Model<Fields> = {
    definition: frozen,
    resource: (keygate) => modelResource(frozen, keygate),
  };
  Object.defineProperty(model, MODEL, { value: true });
  return Object.freeze(model);
}
