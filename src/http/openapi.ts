// The OpenAPI 3.1 document at /openapi.json and its UI at /docs, generated from the route schemas.
import { createHash } from 'node:crypto';
import swagger, { type FastifyDynamicSwaggerOptions } from '@fastify/swagger';
import swaggerUi, { type FastifySwaggerUiOptions } from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { contentSecurityPolicy } from '../html/html-headers.js';
import { ErrorSchema } from './error-schemas.js';
import { SECURITY_SCHEMES } from './openapi/access-doc.js';
import { documentSchemas } from './openapi/components.js';

/** Where the UI is served; it loads the document from `${DOCS_PREFIX}/json`, the plugin's fixed route. */
export const DOCS_PREFIX = '/docs';

/** The document's public URL (the same document as `${DOCS_PREFIX}/json`). */
export const OPENAPI_URL = '/openapi.json';

/**
 * What the document says about the API as a whole (its `info`) and the docs page's title: the
 * application's, not the engine's. The operations come from the routes and resources registered.
 */
export interface OpenApiOptions {
  /** `info.title`, e.g. `keygate`. */
  readonly title: string;
  /** `info.version`: the version of the API the application serves (its package's, say). */
  readonly version: string;
  /** `info.description`, in CommonMark: how to authenticate, what the API is for. */
  readonly description?: string;
  /** `info.license`, as an SPDX identifier (`MIT`): the name and the identifier both. */
  readonly license?: string;
  /** The docs page's `<title>`; `${title} API` when absent. */
  readonly pageTitle?: string;
  /** Where the document and the UI are served: `/api` gives `/api/openapi.json` and `/api/docs`. */
  readonly prefix?: string;
}

/**
 * The API is at the root of whichever host serves the document: a relative server URL, which
 * OpenAPI resolves against the document's own URL. Swagger UI then calls the host it was loaded
 * from, and a generated client is given its base URL where it runs; the document stays the same
 * for every `Host` (no reflected header, nothing to vary a cache on).
 */
const SERVERS = [{ url: '/', description: 'The host serving this document' }];

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A copy of `node` where every subschema whose `$id` is a shared schema becomes a `$ref` to it. */
function referenceShared(node: unknown, shared: ReadonlySet<string>): unknown {
  if (Array.isArray(node)) return node.map((item) => referenceShared(item, shared));
  if (!isObject(node)) return node;
  if (typeof node.$id === 'string' && shared.has(node.$id)) return { $ref: `${node.$id}#` };
  return Object.fromEntries(
    Object.entries(node).map(([key, value]) => [key, referenceShared(value, shared)]),
  );
}

/** A schema without its own `$id`: written where it is used, not made a component. */
function withoutId(schema: unknown): unknown {
  if (!isObject(schema)) return schema;
  const { $id: _id, ...rest } = schema;
  return rest;
}

/**
 * Marks every documented response header as always sent (the plugin has no way to say so): the
 * operations only document headers their answers always carry (WWW-Authenticate, Retry-After).
 */
function requireHeaders(operation: Record<string, unknown>): void {
  if (!isObject(operation.responses)) return;
  for (const response of Object.values(operation.responses)) {
    if (!isObject(response) || !isObject(response.headers)) continue;
    for (const header of Object.values(response.headers)) {
      if (isObject(header)) header.required = true;
    }
  }
}

function swaggerOptions(app: FastifyInstance, options: OpenApiOptions): FastifyDynamicSwaggerOptions {
  const { title, version, description, license } = options;
  return {
    openapi: {
      openapi: '3.1.0',
      info: {
        title,
        version,
        ...(description !== undefined && { description }),
        ...(license !== undefined && { license: { name: license, identifier: license } }),
      },
      servers: SERVERS,
      components: { securitySchemes: SECURITY_SCHEMES },
    },
    // Name components by their `$id` (`Error`, a resource's item), not the plugin's default `def-0`.
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) =>
        typeof json.$id === 'string' ? json.$id : `def-${i}`,
    },
    // Route schemas embed the TypeBox schemas whole: answers get a `$ref` to the component instead.
    // A request body is written out in full (without its `$id`), for openapi-typescript: it makes a
    // field with a `default` required when the schema is a referenced component (its issues #1741,
    // #1903), so a generated client could not leave out a field the server defaults.
    transform({ schema, url }) {
      const shared = new Set(Object.keys(app.getSchemas()));
      const { body, response } = schema;
      return {
        url,
        schema: {
          ...schema,
          ...(body !== undefined && { body: referenceShared(withoutId(body), shared) }),
          ...(response !== undefined && { response: referenceShared(response, shared) }),
        },
      };
    },
    transformObject(document) {
      const openapiObject = 'openapiObject' in document ? document.openapiObject : document.swaggerObject;
      for (const item of Object.values(openapiObject.paths ?? {})) {
        if (!isObject(item)) continue;
        // API views answer HEAD on their GET route; HEAD is implied by GET, not documented apart.
        delete item.head;
        for (const operation of Object.values(item)) {
          if (isObject(operation)) requireHeaders(operation);
        }
      }
      return openapiObject;
    },
  };
}

/**
 * The one inline style Swagger UI creates: the `<style>` inside its small logo (an SVG React
 * component of swagger-ui-standalone-preset.js), drawn in the top bar before the initializer puts
 * the plugin's logo image in its place. Allowed by its hash, not by 'unsafe-inline'. If an upgrade
 * changes it, the browser test of /docs reports the violation.
 */
const SWAGGER_UI_LOGO_STYLE = '.logo_small_svg__cls-2{fill:#fff}.logo_small_svg__cls-3{fill:#85ea2d}';

/** A CSP hash source for an inline script or style. */
function cspHash(content: string): string {
  return `'sha256-${createHash('sha256').update(content, 'utf8').digest('base64')}'`;
}

/**
 * The UI's Content-Security-Policy, on the page, its assets and `${DOCS_PREFIX}/json`. Swagger UI
 * as this plugin serves it runs no inline script: the page loads three scripts and two stylesheets
 * from `${DOCS_PREFIX}/static/` (the initializer too is a file); React sets styles through the DOM,
 * which style-src does not govern; the logo and the stylesheet's icons are data: images; the
 * document and "Try it out" are fetched from this origin. No eval, no CDN, no framing.
 */
export const DOCS_CSP = contentSecurityPolicy([cspHash(SWAGGER_UI_LOGO_STYLE)]);

function uiOptions(options: OpenApiOptions): FastifySwaggerUiOptions {
  return {
    routePrefix: `${options.prefix ?? ''}${DOCS_PREFIX}`,
    // Sent by the plugin on every route of its own (page, assets, document), nowhere else.
    staticCSP: DOCS_CSP,
    // Assets come from the package through @fastify/static under `${DOCS_PREFIX}/static/`.
    uiConfig: { deepLinking: true, persistAuthorization: false },
    theme: { title: options.pageTitle ?? `${options.title} API` },
  };
}

/**
 * Registers the OpenAPI generator and UI, with the application's `info`; call before any route is
 * added.
 *
 * @fastify/swagger collects routes with an `onRoute` hook, and `app.register()` would only install
 * that hook when the app boots, after buildApp has added its routes synchronously. Its generator is
 * a fastify-plugin (it runs in the caller's scope anyway) whose setup is synchronous, so it is
 * installed here directly. The UI, which names `@fastify/swagger` as a registered-plugin dependency,
 * is then registered in its own scope.
 */
export function registerOpenApi(app: FastifyInstance, options: OpenApiOptions): void {
  documentSchemas(app, [ErrorSchema]);
  swagger(app, swaggerOptions(app, options), (error) => {
    if (error) throw error;
  });
  void app.register(async (docs) => {
    // Typed as a callback plugin, implemented as an async one: settle on whichever it does.
    await new Promise<void>((resolve, reject) => {
      const returned: unknown = swaggerUi(docs, uiOptions(options), (error) =>
        error ? reject(error) : resolve(),
      );
      if (returned instanceof Promise) returned.then(() => resolve(), reject);
    });
  });
  app.get(`${options.prefix ?? ''}${OPENAPI_URL}`, { schema: { hide: true } }, (_request, reply) =>
    reply.send(app.swagger()),
  );
}
