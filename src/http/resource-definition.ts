// What a resource is made of: DRF's ModelViewSet attributes, its repository contract and validation.
import type { AccessPolicy } from '../auth/access.js';
import type { FieldErrors } from '../errors.js';
import type { User } from '../users/user.js';
import type { ListQuery, ResourceFilters } from './filters.js';
import type { ResourceSchemas } from './openapi/resource-doc.js';
import type { PageWindow, Pagination } from './pagination.js';

/** How a write is validated: all fields (POST, PUT) or only those given (PATCH). */
export type ValidationMode = 'create' | 'update' | 'partial';

/** A validation outcome, DRF's `serializer.is_valid()`. */
export type Validated<Input> =
  | {
      /** The input is valid. */
      readonly ok: true;
      /** The input as the repository takes it. */
      readonly value: Input;
    }
  | {
      /** The input is not valid: answered with a 400. */
      readonly ok: false;
      /** The messages per field (DRF's `serializer.errors`). */
      readonly errors: FieldErrors;
    };

/**
 * What `validate` knows about the request besides the data. Server-side values (an owner set to
 * the requesting user, as DRF's `perform_create` passing `owner=self.request.user` to `save()`) are
 * added by `validate` to the value it returns.
 */
export interface ValidationSource {
  /** The body was a form (DRF's `html.is_html_input`), whose empty values can mean "not given". */
  readonly form: boolean;
  /** The authenticated user, or null for an anonymous request. */
  readonly user: User | null;
}

/** The storage a resource needs; ids are positive integers. */
export interface ResourceRepository<Item, Input> {
  /**
   * One page of the list and how many items there are in all (best in one read). Without `query`,
   * ordered by id; with one (a resource with `search` or `ordering`), only the items matching every
   * search term, ordered by its terms then by id.
   */
  page(
    window: PageWindow,
    query?: ListQuery,
  ): Promise<{
    /** How many items there are in all. */
    readonly count: number;
    /** The items of the page. */
    readonly items: Item[];
  }>;
  /** The item with this id, or undefined (a 404). */
  get(id: number): Promise<Item | undefined>;
  /** Stores a new item from validated input and returns it. */
  create(input: Input): Promise<Item>;
  /** Changes the given fields of an item; undefined when it does not exist (a 404). */
  update(id: number, input: Partial<Input>): Promise<Item | undefined>;
  /** Deletes an item; false when it did not exist (a 404). */
  delete(id: number): Promise<boolean>;
}

/** DRF's SimpleMetadata description of one serializer field, for OPTIONS. */
export type FieldMetadata = Readonly<Record<string, string | number | boolean>>;

/** Everything that makes a resource: the ModelViewSet's attributes. */
export interface ResourceDefinition<Item, Input> extends ResourceFilters {
  /** URL prefix, e.g. `product_api`: `/product_api/` and `/product_api/{id}/`. */
  readonly prefix: string;
  /** The model's verbose name, e.g. `Product` (the OpenAPI summaries say "Create a product"). */
  readonly name: string;
  /**
   * The ModelViewSet's class name, e.g. the seed's `ProductModelViewSet`: DRF names the views after
   * it, with the router's suffixes ("Product Model List", "Product Model Instance").
   */
  readonly viewset: string;
  /**
   * Who may use the resource: its authentication and permission classes. Permissions with a
   * `hasObjectPermission` are also asked about the item on detail GET, PUT, PATCH and DELETE.
   */
  readonly access: AccessPolicy;
  /** Where the items are stored. */
  readonly repository: ResourceRepository<Item, Input>;
  /**
   * The field (API name) holding the id of the user who owns an item: lists show, and detail views
   * find, only the requesting user's items, others' are a 404 (DRF's `get_queryset` filtered by
   * `request.user`). The repository gets it as the list query's `equal`.
   */
  readonly ownedBy?: string;
  /** The list's pagination class (default: `limitOffsetPagination()`, 100 items a page). */
  readonly pagination?: Pagination;
  /** Validates a body; may be async (to check that a foreign key names a row, for instance). */
  validate(
    data: Readonly<Record<string, unknown>>,
    mode: ValidationMode,
    source: ValidationSource,
  ): Validated<Input | Partial<Input>> | Promise<Validated<Input | Partial<Input>>>;
  /** The item as the API shows it (the serializer's `to_representation`). */
  represent(item: Item): Record<string, unknown>;
  /** Field name -> SimpleMetadata field info, in field order. */
  readonly fields: Readonly<Record<string, FieldMetadata>>;
  /**
   * TypeBox schemas: the item as returned (also the compact JSON writer's), the body POST and PUT
   * accept and, optionally, PATCH's (else derived from the input: nothing required, no defaults).
   * The OpenAPI document describes the resource's operations with them.
   */
  readonly schemas: ResourceSchemas;
}

/**
 * A resource, typed from its definition (its items and its validated input), ready for the keygate
 * plugin's `resources`: DRF's `ModelViewSet` registered on a router.
 */
export function defineResource<Item, Input>(
  definition: ResourceDefinition<Item, Input>,
): ResourceDefinition<Item, Input> {
  return definition;
}
