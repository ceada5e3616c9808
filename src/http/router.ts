// DRF's DefaultRouter: resources under their prefixes and the API root listing them.
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AccessPolicy } from '../auth/access.js';
import { AllowAny } from '../auth/permissions.js';
import { registerApiView } from './api-view.js';
import { PARSED_MEDIA_TYPES } from './body-parsers.js';
import { viewOperationId } from './openapi/operation-id.js';
import type { Renderer } from './render.js';
import { registerResource, type ResourceDefinition } from './resource.js';
import { viewName } from './view-name.js';
import { reverse } from './reverse.js';

/** Collects resources, then registers them and the root view `GET /`. */
export class ApiRouter {
  readonly #resources: ResourceDefinition<unknown, unknown>[] = [];

  /** Adds a resource (DRF's `router.register(prefix, viewset)`). */
  register<Item, Input>(resource: ResourceDefinition<Item, Input>): this {
    // Two resources under one prefix would shadow each other's routes: refused at start-up.
    if (this.#resources.some((registered) => registered.prefix === resource.prefix)) {
      throw new Error(`two API resources have the prefix '${resource.prefix}'`);
    }
    this.#resources.push(resource);
    return this;
  }

  /** Registers every resource's views and the API root on `app`. */
  install(app: FastifyInstance, renderers: readonly Renderer[], rootAccess: AccessPolicy, base = ''): void {
    const root = { name: viewName('APIRootView'), url: `${base}/` };
    const entries = this.#resources.map(
      (resource) => [resource.prefix, registerResource(app, resource, renderers, [root], base)] as const,
    );
    // The root's body: one link per resource, as the handler builds them.
    const rootSchema = Type.Object(
      Object.fromEntries(entries.map(([prefix]) => [prefix, Type.String({ format: 'uri' })])),
      { additionalProperties: false },
    );
    registerApiView(app, {
      name: root.name,
      description: 'The default basic root view for DefaultRouter',
      url: root.url,
      access: { ...rootAccess, permissions: [AllowAny] },
      renderers,
      parses: PARSED_MEDIA_TYPES,
      handlers: {
        // APIRootView.get: reverse(url_name, ..., format=kwargs.get('format')).
        GET: (request, _lookup, formatSuffix) => ({
          status: 200,
          data: Object.fromEntries(
            entries.map(([prefix, path]) => [prefix, reverse(request, path, formatSuffix)]),
          ),
        }),
      },
      schemas: {
        GET: {
          operationId: viewOperationId(root.name),
          summary: 'List the API resources',
          description: "Each resource's list URL, absolute (from the request's `Host`).",
          tags: ['root'],
          responses: { 200: { description: 'The resources and their URLs.', schema: rootSchema } },
        },
      },
    });
  }
}
