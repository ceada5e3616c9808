// The OpenAPI 3.1 document at /openapi.json and its UI at /docs, generated from the route schemas.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
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

const DESCRIPTION = [
  "Django REST framework's token authentication, rebuilt in TypeScript.",
  '',
  'Exchange a username and password for a key at `POST /gettoken/` (or `POST /customtoken/`), then send',
  'it with every request as `Authorization: Token <key>`. In **Authorize**, enter that whole value,',
  'e.g. `Token 9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b`.',
  '',
  'Every answer an operation can give is listed with its body, in JSON. (A browser, whose `Accept`',
  'asks for `text/html`, gets the same answers as pages of the browsable API instead.)',
].join('\n');

/** The package's version and licence (an SPDX identifier), as the document's `info` gives them. */
function packageInfo(): { readonly version: string; readonly license: string } {
  // src/http/ (tsx) and dist/http/ (build) are both two levels below the package root.
  const pkg: unknown = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
  const { version, license } = pkg as { version?: unknown; license?: unknown };
  if (typeof version !== 'string') throw new Error('package.json has no version');
  if (typeof license !== 'string') throw new Error('package.json has no license');
  return { version, license };
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

function swaggerOptions(app: FastifyInstance): FastifyDynamicSwaggerOptions {
  const { version, license } = packageInfo();
  return {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'keygate',
        version,
        description: DESCRIPTION,
        license: { name: license, identifier: license },
      },
      servers: SERVERS,
      components: { securitySchemes: SECURITY_SCHEMES },
    },
    // Name components by their `$id` ("Product"), not the plugin's default `def-0`.
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
 * keygate's logo image in its place. Allowed by its hash, not by 'unsafe-inline'. If an upgrade
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

const UI_OPTIONS: FastifySwaggerUiOptions = {
  routePrefix: DOCS_PREFIX,
  // Sent by the plugin on every route of its own (page, assets, document), nowhere else.
  staticCSP: DOCS_CSP,
  // Assets come from the package through @fastify/static under `${DOCS_PREFIX}/static/`.
  uiConfig: { deepLinking: true, persistAuthorization: false },
  theme: { title: 'keygate API' },
};

/**
 * Registers the OpenAPI generator and UI; call before any route is added.
 *
 * @fastify/swagger collects routes with an `onRoute` hook, and `app.register()` would only install
 * that hook when the app boots, after buildApp has added its routes synchronously. Its generator is
 * a fastify-plugin (it runs in the caller's scope anyway) whose setup is synchronous, so it is
 * installed here directly. The UI, which names `@fastify/swagger` as a registered-plugin dependency,
 * is then registered in its own scope.
 */
export function registerOpenApi(app: FastifyInstance): void {
  documentSchemas(app, [ErrorSchema]);
  swagger(app, swaggerOptions(app), (error) => {
    if (error) throw error;
  });
  void app.register(async (docs) => {
    // Typed as a callback plugin, implemented as an async one: settle on whichever it does.
    await new Promise<void>((resolve, reject) => {
      const returned: unknown = swaggerUi(docs, UI_OPTIONS, (error) => (error ? reject(error) : resolve()));
      if (returned instanceof Promise) returned.then(() => resolve(), reject);
    });
  });
  app.get(OPENAPI_URL, { schema: { hide: true } }, (_request, reply) => reply.send(app.swagger()));
}
