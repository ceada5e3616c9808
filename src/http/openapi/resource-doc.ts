// A resource's operations in the OpenAPI document, from its definition: DRF's ModelViewSet schema.
import { Type, type TSchema } from 'typebox';
import { NotFound } from '../../errors.js';
import { ErrorSchema, validationErrorSchema } from '../error-schemas.js';
import type { ViewMethod } from '../api-view-definition.js';
import { filterParameters, type ResourceFilters } from '../filters.js';
import { limitOffsetPagination, type Pagination } from '../pagination.js';
import { MAX_PK } from '../primary-key.js';
import type { OperationDoc } from './operation-doc.js';
import { pascalCase, resourceOperationId } from './operation-id.js';

/** The schemas a resource definition provides (see ResourceDefinition.schemas). */
export interface ResourceSchemas {
  /** The item as the API returns it. */
  readonly item: TSchema;
  /** The body of POST and PUT: every writable field, the required ones required. */
  readonly input: TSchema;
  /** The body of PATCH; derived from `input` (nothing required, no defaults) when absent. */
  readonly patch?: TSchema;
}

/** What the document needs of a resource definition. */
export interface DocumentedResource extends ResourceFilters {
  readonly prefix: string;
  readonly name: string;
  readonly schemas: ResourceSchemas;
  /** The list's pagination class (default limit/offset, 100 a page). */
  readonly pagination?: Pagination;
}

/**
 * A resource's operations, per view, and the schemas their answers reference (to register as
 * components; request bodies are written out in full, see openapi.ts).
 */
export interface ResourceDocs {
  readonly list: Partial<Record<ViewMethod, OperationDoc>>;
  readonly detail: Partial<Record<ViewMethod, OperationDoc>>;
  readonly components: readonly TSchema[];
}

function idOf(schema: TSchema): string | undefined {
  const id = (schema as { $id?: unknown }).$id;
  return typeof id === 'string' ? id : undefined;
}

function propertiesOf(schema: TSchema): Record<string, Record<string, unknown>> {
  const properties = (schema as { properties?: unknown }).properties;
  return typeof properties === 'object' && properties !== null
    ? (properties as Record<string, Record<string, unknown>>)
    : {};
}

/**
 * PATCH's body from the full one: no field required, and no `default` (a field PATCH leaves out
 * keeps its value; it is not reset to the model's default).
 */
export function partialSchemaOf(input: TSchema, $id: string): TSchema {
  const { required: _required, $id: _id, ...rest } = input as Record<string, unknown>;
  const properties = Object.fromEntries(
    Object.entries(propertiesOf(input)).map(([name, property]) => {
      const { default: _default, ...kept } = property;
      return [name, kept];
    }),
  );
  return {
    ...rest,
    $id,
    properties,
    description: 'Any of the writable fields; those left out keep their values.',
  };
}

/**
 * DRF's LimitOffsetPagination body whose results are items of `item` (by reference, when `item` is
 * a component: the document lists components as registered, without turning nested ones into refs).
 */
function pageSchemaOf(item: TSchema, $id: string): TSchema {
  const itemId = idOf(item);
  const items = itemId === undefined ? item : ({ $ref: `${itemId}#` } as unknown as TSchema);
  const link = (description: string) =>
    Type.Union([Type.String({ format: 'uri' }), Type.Null()], { description });
  return Type.Object(
    {
      count: Type.Integer({ minimum: 0, description: 'How many items there are in all.' }),
      next: link('The next page, or null on the last one.'),
      previous: link('The previous page, or null on the first one.'),
      results: Type.Array(items),
    },
    { $id, additionalProperties: false },
  );
}

/**
 * The list's query parameters: the pagination class's, then the filters' (DRF's AutoSchema adds
 * each filter backend's and the paginator's `get_schema_operation_parameters`), all optional.
 */
function listQuerySchema(resource: DocumentedResource, pagination: Pagination): TSchema {
  const parameters = { ...pagination.parameters, ...filterParameters(resource) };
  return Type.Object(
    Object.fromEntries(Object.entries(parameters).map(([name, schema]) => [name, Type.Optional(schema)])),
  );
}

/** The list's description: its order and the parameters that choose the page. */
function listDescription(resource: DocumentedResource, noun: string, pagination: Pagination): string {
  const order = resource.ordering === undefined ? 'ordered by id' : 'ordered by `?ordering=` (then by id)';
  const search = resource.search === undefined ? '' : ', those matching every `?search=` term';
  return `One page of ${noun}s${search}, ${order} (\`${pagination.summary}\`).`;
}

/**
 * The operations of a resource as DRF's AutoSchema would describe its ModelViewSet: operationIds
 * from the model's name (the item schema's `$id`, else the resource's name), the item schema for
 * answers, the input schema for POST and PUT, the partial one for PATCH, a field-error map of the
 * input's fields for their 400, and 404 where an id names nothing.
 */
export function resourceDocs(resource: DocumentedResource): ResourceDocs {
  const model = idOf(resource.schemas.item) ?? pascalCase(resource.name);
  const { item, input } = resource.schemas;
  const partial =
    resource.schemas.patch ?? partialSchemaOf(input, `Patched${idOf(input) ?? `${model}Input`}`);
  const page = pageSchemaOf(item, `Paginated${model}List`);
  const fieldErrors = validationErrorSchema(`${model}ValidationError`, Object.keys(propertiesOf(input)));
  const noun = resource.name.toLowerCase();
  const pagination = resource.pagination ?? limitOffsetPagination();
  const tags = [resource.prefix];
  const params = Type.Object({
    pk: Type.Integer({
      minimum: 1,
      maximum: MAX_PK,
      description: `A unique integer value identifying this ${noun}.`,
    }),
  });
  const found = { description: `The ${noun}.`, schema: item };
  const fields = Object.keys(propertiesOf(input));
  const required = (input as { required?: unknown }).required;
  const firstRequired = Array.isArray(required) && typeof required[0] === 'string' ? required[0] : fields[0];
  const refused = {
    description: 'Fields refused, with the messages for each.',
    schema: fieldErrors,
    ...(firstRequired !== undefined && { example: { [firstRequired]: ['This field is required.'] } }),
  };
  const notFound = {
    description: `No ${noun} has this id.`,
    schema: ErrorSchema,
    example: new NotFound().body,
  };
  const detail = (operation: Omit<OperationDoc, 'tags' | 'params' | 'usesDatabase'>): OperationDoc => ({
    ...operation,
    tags,
    params,
    usesDatabase: true,
    responses: { ...operation.responses, 404: notFound },
  });
  return {
    list: {
      GET: {
        operationId: resourceOperationId('list', model),
        summary: `List ${noun}s`,
        description: listDescription(resource, noun, pagination),
        tags,
        query: listQuerySchema(resource, pagination),
        usesDatabase: true,
        responses: { 200: { description: `A page of ${noun}s.`, schema: page } },
      },
      POST: {
        operationId: resourceOperationId('create', model),
        summary: `Create a ${noun}`,
        tags,
        body: input,
        usesDatabase: true,
        responses: { 201: { description: `The ${noun} created.`, schema: item }, 400: refused },
      },
    },
    detail: {
      GET: detail({
        operationId: resourceOperationId('retrieve', model),
        summary: `Retrieve a ${noun}`,
        responses: { 200: found },
      }),
      PUT: detail({
        operationId: resourceOperationId('update', model),
        summary: `Replace a ${noun}`,
        description: 'The same body as on create.',
        body: input,
        responses: { 200: { ...found, description: `The ${noun} updated.` }, 400: refused },
      }),
      PATCH: detail({
        operationId: resourceOperationId('partialUpdate', model),
        summary: `Update some fields of a ${noun}`,
        body: partial,
        responses: { 200: { ...found, description: `The ${noun} updated.` }, 400: refused },
      }),
      DELETE: detail({
        operationId: resourceOperationId('destroy', model),
        summary: `Delete a ${noun}`,
        responses: { 204: { description: `The ${noun} was deleted.` } },
      }),
    },
    components: [item, page, fieldErrors],
  };
}
