// DRF's ModelViewSet + router registration: one definition gives the list and detail views.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AccessPolicy } from '../auth/access.js';
import { checkPermissions } from '../auth/permissions.js';
import { ApiError, NotFound, ValidationError, type FieldErrors } from '../errors.js';
import { absoluteUrl } from './absolute-url.js';
import { registerApiView } from './api-view.js';
import type { ApiViewDefinition } from './api-view-definition.js';
import { PARSED_MEDIA_TYPES, requestData } from './body-parsers.js';
import { parseMediaType } from './media-type.js';
import { documentSchemas } from './openapi/components.js';
import { resourceDocs, type ResourceSchemas } from './openapi/resource-doc.js';
import { paginate, pageWindow, type PageWindow } from './pagination.js';
import { parsePk } from './primary-key.js';
import type { Renderer, ViewCrumb } from './render.js';
import { compileJson, pageSchemaOf } from './schema-json.js';
import { viewName } from './view-name.js';

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

/** The storage a resource needs; ids are positive integers. */
export interface ResourceRepository<Item, Input> {
  /** One page of the list, ordered by id, and how many items there are in all (best in one read). */
  page(window: PageWindow): Promise<{
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
export interface ResourceDefinition<Item, Input> {
  /** URL prefix, e.g. `product_api`: `/product_api/` and `/product_api/{id}/`. */
  readonly prefix: string;
  /** The model's verbose name, e.g. `Product` (the OpenAPI summaries say "Create a product"). */
  readonly name: string;
  /**
   * The ModelViewSet's class name, e.g. the seed's `ProductModelViewSet`: DRF names the views after
   * it, with the router's suffixes ("Product Model List", "Product Model Instance").
   */
  readonly viewset: string;
  /** Who may use the resource: its authentication and permission classes. */
  readonly access: AccessPolicy;
  /** Where the items are stored. */
  readonly repository: ResourceRepository<Item, Input>;
  /** `form`: the body was a form (DRF's `html.is_html_input`), whose empty values can mean "not given". */
  validate(
    data: Readonly<Record<string, unknown>>,
    mode: ValidationMode,
    source: { readonly form: boolean },
  ): Validated<Input | Partial<Input>>;
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

function pythonTypeName(data: unknown): string {
  if (Array.isArray(data)) return 'list';
  if (typeof data === 'string') return 'str';
  if (typeof data === 'boolean') return 'bool';
  if (typeof data === 'number') return Number.isInteger(data) ? 'int' : 'float';
  return 'NoneType';
}

/** DRF's Serializer.to_internal_value checks on the body as a whole. */
export function requireMapping(data: unknown): Readonly<Record<string, unknown>> {
  if (data === null) throw new ValidationError({ non_field_errors: ['No data provided'] });
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new ValidationError({
      non_field_errors: [`Invalid data. Expected a dictionary, but got ${pythonTypeName(data)}.`],
    });
  }
  return data as Readonly<Record<string, unknown>>;
}

const FORM_MEDIA_TYPES: ReadonlySet<string> = new Set([
  'application/x-www-form-urlencoded',
  'multipart/form-data',
]);

/** Whether the body was parsed as a form: DRF's request.data is then a QueryDict (`html.is_html_input`). */
function isFormBody(request: FastifyRequest): boolean {
  const { mainType, subType } = parseMediaType(request.headers['content-type'] ?? '');
  return FORM_MEDIA_TYPES.has(`${mainType}/${subType}`);
}

/** The request's body validated for `mode`. */
function validatedBody<Item, Input>(
  request: FastifyRequest,
  resource: ResourceDefinition<Item, Input>,
  mode: ValidationMode,
): Input | Partial<Input> {
  const data = requireMapping(requestData(request));
  return validated(resource.validate(data, mode, { form: isFormBody(request) }));
}

function validated<Input>(result: Validated<Input>): Input {
  if (!result.ok) throw new ValidationError(result.errors);
  return result.value;
}

/** Whether the request's user would be allowed `method` on this resource (OPTIONS' actions). */
function mayUse(request: FastifyRequest, access: AccessPolicy, method: string): boolean {
  const original = request.method;
  try {
    Object.defineProperty(request, 'method', { value: method, configurable: true });
    checkPermissions(request, access.permissions);
    return true;
  } catch (error) {
    if (error instanceof ApiError) return false;
    throw error;
  } finally {
    Object.defineProperty(request, 'method', { value: original, configurable: true });
  }
}

/**
 * Registers the list and detail views of a resource below the views of `trail` (the API root).
 * Returns the list URL path.
 */
export function registerResource<Item, Input>(
  app: FastifyInstance,
  resource: ResourceDefinition<Item, Input>,
  renderers: readonly Renderer[],
  trail: readonly ViewCrumb[] = [],
  base = '',
): string {
  const { repository, access } = resource;
  const listUrl = `${base}/${resource.prefix}/`;
  const common: Pick<ApiViewDefinition, 'access' | 'renderers' | 'parses'> = {
    access,
    renderers,
    parses: PARSED_MEDIA_TYPES,
  };
  // Responses are written from the schemas: compiled once here, used for every compact JSON body.
  const itemJson = compileJson(resource.schemas.item);
  const pageJson = compileJson(pageSchemaOf(resource.schemas.item));
  const docs = resourceDocs(resource);
  documentSchemas(app, docs.components);

  const listName = viewName(resource.viewset, 'List');
  registerApiView(app, {
    ...common,
    name: listName,
    trail,
    url: listUrl,
    handlers: {
      async GET(request) {
        const window = pageWindow(request.query as Record<string, unknown>);
        const { count, items } = await repository.page(window);
        return {
          status: 200,
          data: paginate(
            absoluteUrl(request),
            window,
            count,
            items.map((item) => resource.represent(item)),
          ),
          json: pageJson,
        };
      },
      async POST(request) {
        const input = validatedBody(request, resource, 'create') as Input;
        return { status: 201, data: resource.represent(await repository.create(input)), json: itemJson };
      },
    },
    actions: (request) => (mayUse(request, access, 'POST') ? { POST: resource.fields } : undefined),
    schemas: docs.list,
  });

  const detail = async (request: FastifyRequest, lookup: string | undefined): Promise<Item> => {
    const item = await repository.get(parsePk(lookup));
    if (item === undefined) throw new NotFound();
    return item;
  };
  const write = async (request: FastifyRequest, lookup: string | undefined, mode: ValidationMode) => {
    const id = parsePk(lookup);
    if ((await repository.get(id)) === undefined) throw new NotFound();
    const input = validatedBody(request, resource, mode);
    const updated = await repository.update(id, input);
    if (updated === undefined) throw new NotFound();
    return { status: 200, data: resource.represent(updated), json: itemJson };
  };

  registerApiView(app, {
    ...common,
    name: viewName(resource.viewset, 'Instance'),
    trail: [...trail, { name: listName, url: listUrl }],
    url: `${listUrl}:pk/`,
    handlers: {
      GET: async (request, lookup) => ({
        status: 200,
        data: resource.represent(await detail(request, lookup)),
        json: itemJson,
      }),
      PUT: (request, lookup) => write(request, lookup, 'update'),
      PATCH: (request, lookup) => write(request, lookup, 'partial'),
      async DELETE(_request, lookup) {
        if (!(await repository.delete(parsePk(lookup)))) throw new NotFound();
        return { status: 204 };
      },
    },
    actions: (request) => (mayUse(request, access, 'PUT') ? { PUT: resource.fields } : undefined),
    getObject: detail,
    schemas: docs.detail,
  });
  return listUrl;
}
