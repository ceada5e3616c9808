// A model definition (DRF's Model + ModelSerializer + ModelViewSet + admin.site.register in one):
// the fields, who may use it, pagination, filters and the admin options; the engine makes the rest.
import type { Authenticator } from '../auth/authentication.js';
import { TokenAuthentication } from '../auth/authentication.js';
import { BasicAuthentication } from '../auth/basic-authentication.js';
import type { Permission } from '../auth/permissions.js';
import { SessionAuthentication } from '../auth/session-authentication.js';
import type { OrderingOptions } from '../http/filters.js';
import type { Pagination } from '../http/pagination.js';
import type { ResourceDefinition, ResourceRepository } from '../http/resource-definition.js';
import type { Keygate } from '../keygate.js';
import type { AnyModelField, ModelField } from './field.js';
import { modelResource } from './model-resource.js';
import type { ModelFields } from './serializer.js';

/**
 * An authentication class as DRF's `authentication_classes` lists it: keygate's own classes by
 * name (the engine builds them on the app's keygate), or an {@link Authenticator} of your own.
 */
export type AuthenticationClass =
  typeof TokenAuthentication | typeof SessionAuthentication | typeof BasicAuthentication | Authenticator;

/** The internal value of a field (a nullable field's may also be `null`). */
export type FieldValue<Field> = Field extends ModelField<infer Value, infer _Options> ? Value : never;

/** A stored object of a model: its `id`, then each field's internal value by field name. */
export type ModelItem<Fields extends ModelFields> = {
  /** The primary key the database assigned. */
  readonly id: number;
} & {
  readonly [Name in keyof Fields]: FieldValue<Fields[Name]>;
};

/** A field name of a model (for search, ordering and admin options). */
export type FieldName<Fields extends ModelFields> = Extract<keyof Fields, string>;

/** A model's admin section (Django's ModelAdmin options); the engine makes the pages. */
export interface ModelAdminOptions<Fields extends ModelFields> {
  /** The change list's columns (`list_display`), in order; default every field. */
  readonly listDisplay?: readonly FieldName<Fields>[];
  /** The fields the change list's search box looks in (`search_fields`, case-insensitive contains). */
  readonly searchFields?: readonly FieldName<Fields>[];
  /** Boolean fields offered as Yes/No filters beside the list (`list_filter`). */
  readonly listFilter?: readonly FieldName<Fields>[];
  /** The change list's order (`ordering`), e.g. `'-created'`; default newest first (`-id`). */
  readonly ordering?: string;
  /** The fields the add and change forms edit (`fields`), in order; default every writable field. */
  readonly fields?: readonly FieldName<Fields>[];
  /** The section's URL segment under the admin root; default the table's name. */
  readonly slug?: string;
  /** The home page group (Django's app) the section is listed in; default one group named after the section. */
  readonly app?: {
    /** The group's id on the home page, e.g. `inventory`. */
    readonly label: string;
    /** Its heading, e.g. "Inventory". */
    readonly name: string;
  };
}

/** What {@link defineModel} takes. */
export interface ModelDefinition<Fields extends ModelFields> {
  /**
   * The table the objects are stored in: an integer primary key `id` the database assigns, and
   * one column per field (named after the field; a foreign key's is `<name>_id`; `column` overrides).
   * The table comes from the project's migrations.
   */
  readonly table: string;
  /** The model's verbose name, e.g. `Stock movement` (OpenAPI summaries, the admin's titles). */
  readonly name: string;
  /** The plural, e.g. `Stock movements`; default the name with an `s`. */
  readonly plural?: string;
  /** The router prefix: `warehouses` gives `/warehouses/` and `/warehouses/{id}/`. */
  readonly prefix: string;
  /**
   * The ModelViewSet's class name, which names the views ("Warehouse List", "Warehouse
   * Instance"); default the name in PascalCase + `ViewSet`.
   */
  readonly viewset?: string;
  /** The fields in wire order (the implicit read-only `id` comes first). See `fields`. */
  readonly fields: Fields;
  /** DRF's `authentication_classes`; default `[TokenAuthentication, SessionAuthentication]`. */
  readonly authentication?: readonly AuthenticationClass[];
  /**
   * DRF's `permission_classes`; default `[IsAuthenticated]`. Object permissions
   * (`isOwner()`, `isOwnerOrReadOnly()`) are asked about each object a detail request names.
   */
  readonly permissions?: readonly Permission[];
  /**
   * The field (usually a `fields.owner()`) naming the user an object belongs to: lists show, and
   * detail requests find, only the requesting user's objects; another user's is a 404 (DRF's
   * `get_queryset` returning `Model.objects.filter(owner=request.user)`).
   */
  readonly ownedBy?: FieldName<Fields>;
  /** The list's pagination class; default `limitOffsetPagination()` (100 a page). */
  readonly pagination?: Pagination;
  /** DRF's SearchFilter with these `search_fields`: `?search=`, case-insensitive contains. */
  readonly search?: readonly FieldName<Fields>[];
  /** DRF's OrderingFilter: `?ordering=` over these fields, and the default ordering (else by id). */
  readonly ordering?: {
    /** The fields a client may order by (DRF's `ordering_fields`). */
    readonly fields: readonly FieldName<Fields>[];
    /** The order without a valid `?ordering=`, e.g. `'-created'` (DRF's view `ordering`). */
    readonly default?: OrderingOptions['default'];
  };
  /** The model's admin section; default one with every field. `false`: not in the admin. */
  readonly admin?: false | ModelAdminOptions<Fields>;
  /**
   * Storage of your own instead of the generic table repository (for hand-tuned SQL); it takes
   * and returns objects as the model defines them.
   */
  readonly repository?: (
    keygate: Keygate,
  ) => ResourceRepository<ModelItem<Fields>, Readonly<Record<string, unknown>>>;
}

/** A defined model: pass it to `defineConfig({ models })` or the plugin's `api.resources`/`admin.sections`. */
export interface Model<Fields extends ModelFields = ModelFields> {
  /** What the model was defined with (frozen). */
  readonly definition: Readonly<ModelDefinition<Fields>>;
  /** The model's API resource on this keygate (DRF's ModelViewSet registered on the router). */
  resource(keygate: Keygate): ResourceDefinition<ModelItem<Fields>, Readonly<Record<string, unknown>>>;
}

const MODEL = Symbol.for('keygate.model');

/** Whether `value` was made by {@link defineModel}. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function isModel(value: unknown): value is Model<any> {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[MODEL] === true;
}

/** `Stock movement` -> `StockMovement`. */
export function pascalCase(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word !== '')
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join('');
}

/** Builds the engine's authenticator for each class the model lists. */
export function authenticators(classes: readonly AuthenticationClass[], keygate: Keygate): Authenticator[] {
  return classes.map((entry) => {
    if (entry === TokenAuthentication) return new TokenAuthentication(keygate.tokens);
    if (entry === SessionAuthentication) return new SessionAuthentication();
    if (entry === BasicAuthentication) return new BasicAuthentication(keygate.users, keygate.throttle);
    if (typeof entry === 'function')
      throw new TypeError('authentication: an unknown class; pass an instance');
    return entry;
  });
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
