// DRF's ModelViewSet + router registration: one definition gives the list and detail views.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AccessPolicy } from '../auth/access.js';
import { checkObjectPermissions, checkPermissions } from '../auth/permissions.js';
import { ApiError, NotFound, ValidationError } from '../errors.js';
import { absoluteUrl } from './absolute-url.js';
import { registerApiView } from './api-view.js';
import type { ApiViewDefinition } from './api-view-definition.js';
import { PARSED_MEDIA_TYPES, requestData } from './body-parsers.js';
import { parseMediaType } from './media-type.js';
import { documentSchemas } from './openapi/components.js';
import { listQuery, type ListQuery } from './filters.js';
import { resourceDocs } from './openapi/resource-doc.js';
import { limitOffsetPagination } from './pagination.js';
import { parsePk } from './primary-key.js';
import type { Renderer, ViewCrumb } from './render.js';
import type { ResourceDefinition, Validated, ValidationMode } from './resource-definition.js';
import { viewName } from './view-name.js';

export {
  defineResource,
  type FieldMetadata,
  type ResourceDefinition,
  type ResourceRepository,
  type Validated,
  type ValidationMode,
  type ValidationSource,
} from './resource-definition.js';

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

/** The request's body validated for `mode`, with the request's user for server-side values. */
async function validatedBody<Item, Input>(
  request: FastifyRequest,
  resource: ResourceDefinition<Item, Input>,
  mode: ValidationMode,
): Promise<Input | Partial<Input>> {
  const data = requireMapping(requestData(request));
  return validated(await resource.validate(data, mode, { form: isFormBody(request), user: request.user }));
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
  const pagination = resource.pagination ?? limitOffsetPagination();
  const listUrl = `${base}/${resource.prefix}/`;
  const common: Pick<ApiViewDefinition, 'access' | 'renderers' | 'parses'> = {
    access,
    renderers,
    parses: PARSED_MEDIA_TYPES,
  };
  const { ownedBy } = resource;
  // `ownedBy`: the list is the user's own items, and another user's item is not found.
  const ownedQuery = (filters: ListQuery | undefined, request: FastifyRequest): ListQuery | undefined =>
    ownedBy === undefined
      ? filters
      : {
          ...(filters ?? { search: [], searchFields: [], ordering: [] }),
          equal: [{ field: ownedBy, value: request.user?.id ?? null }],
        };
  const visible = (request: FastifyRequest, item: Item): boolean =>
    ownedBy === undefined ||
    (request.user !== null && (item as Record<string, unknown>)[ownedBy] === request.user.id);
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
        const query = request.query as Record<string, unknown>;
        // The filters read the query first: a refused search is a 400 before any page is read.
        const filters = ownedQuery(listQuery(query, resource), request);
        const data = await pagination.paginate(query, absoluteUrl(request), async (window) => {
          const { count, items } = await repository.page(window, ...(filters ? [filters] : []));
          return { count, items: items.map((item) => resource.represent(item)) };
        });
        return { status: 200, data };
      },
      async POST(request) {
        const input = (await validatedBody(request, resource, 'create')) as Input;
        return { status: 201, data: resource.represent(await repository.create(input)) };
      },
    },
    actions: (request) => (mayUse(request, access, 'POST') ? { POST: resource.fields } : undefined),
    schemas: docs.list,
  });

  // The item each detail request loaded, for the browsable API's forms after the handler ran: a
  // cache per request, dropped with it.
  const loaded = new WeakMap<FastifyRequest, { readonly item: Item }>();
  // DRF's get_object(): the item or a 404, then check_object_permissions for `method`.
  const getObject = async (request: FastifyRequest, lookup: string | undefined, method = request.method) => {
    const item = await repository.get(parsePk(lookup));
    if (item === undefined || !visible(request, item)) throw new NotFound();
    checkObjectPermissions({ method, user: request.user }, access.permissions, item);
    loaded.set(request, { item });
    return item;
  };
  // The PUT form: DRF's show_form_for_method checks the permissions, then those on the object shown.
  const mayPut = (request: FastifyRequest): boolean => {
    if (!mayUse(request, access, 'PUT')) return false;
    const shown = loaded.get(request);
    if (shown === undefined) return true;
    try {
      checkObjectPermissions({ method: 'PUT', user: request.user }, access.permissions, shown.item);
      return true;
    } catch (error) {
      if (error instanceof ApiError) return false;
      throw error;
    }
  };
  const write = async (request: FastifyRequest, lookup: string | undefined, mode: ValidationMode) => {
    const id = parsePk(lookup);
    await getObject(request, lookup);
    const input = await validatedBody(request, resource, mode);
    const updated = await repository.update(id, input);
    if (updated === undefined) throw new NotFound();
    return { status: 200, data: resource.represent(updated) };
  };

  registerApiView(app, {
    ...common,
    name: viewName(resource.viewset, 'Instance'),
    trail: [...trail, { name: listName, url: listUrl }],
    url: `${listUrl}:pk/`,
    handlers: {
      GET: async (request, lookup) => ({
        status: 200,
        data: resource.represent(await getObject(request, lookup)),
      }),
      PUT: (request, lookup) => write(request, lookup, 'update'),
      PATCH: (request, lookup) => write(request, lookup, 'partial'),
      async DELETE(request, lookup) {
        await getObject(request, lookup);
        if (!(await repository.delete(parsePk(lookup)))) throw new NotFound();
        return { status: 204 };
      },
    },
    actions: (request) => (mayPut(request) ? { PUT: resource.fields } : undefined),
    // SimpleMetadata.determine_actions runs get_object() on a copy of the request made a PUT.
    getObject: (request, lookup) => getObject(request, lookup, 'PUT'),
    schemas: docs.detail,
  });
  return listUrl;
}
