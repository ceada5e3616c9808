// The model definition's types: what `defineModel` takes and what it gives.
import type { Authenticator } from '../auth/authentication.js';
import type { TokenAuthentication } from '../auth/authentication.js';
import type { BasicAuthentication } from '../auth/basic-authentication.js';
import type { Permission } from '../auth/permissions.js';
import type { SessionAuthentication } from '../auth/session-authentication.js';
import type { OrderingOptions } from '../http/filters.js';
import type { Pagination } from '../http/pagination.js';
import type { ResourceDefinition, ResourceRepository } from '../http/resource-definition.js';
import type { Keygate } from '../keygate.js';
import type { ModelField } from './field.js';
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

/** What `defineModel` takes. */
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

/** A defined model (`defineModel`): pass it to `defineConfig({ models })` or the plugin's `api.resources`/`admin.sections`. */
export interface Model<Fields extends ModelFields = ModelFields> {
  /** What the model was defined with (frozen). */
  readonly definition: Readonly<ModelDefinition<Fields>>;
  /** The model's API resource on this keygate (DRF's ModelViewSet registered on the router). */
  resource(keygate: Keygate): ResourceDefinition<ModelItem<Fields>, Readonly<Record<string, unknown>>>;
}
