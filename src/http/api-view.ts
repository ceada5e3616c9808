// DRF's APIView on Fastify: negotiation, authentication, permissions, method check, then the handler.
import type {} from '@fastify/swagger';
import type { FastifyInstance, FastifyReply, FastifyRequest, FastifySchema, HTTPMethods } from 'fastify';
import { authenticate } from '../auth/access.js';
import { permissionRefusal } from '../auth/permissions.js';
import { ApiError, MethodNotAllowed, NoRouteMatches } from '../errors.js';
import { answerApiError } from './error-handler.js';
import type { ApiViewDefinition, ViewMethod } from './api-view-definition.js';
import { slashedTarget } from './append-slash.js';
import { selectRenderer, type Negotiated } from './negotiation.js';
import { sendRendered } from './send-rendered.js';
import { operationSchema } from './openapi/operation-doc.js';
import { optionsMetadata } from './options-metadata.js';
import { sendRedirect } from './redirect.js';
import { formatParam } from './reverse.js';
import { addUnroutedRoute } from './unrouted-methods.js';
import type { RenderedView } from './render.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The renderer and media type chosen for this response (null outside API views). */
    negotiated: Negotiated | null;
  }
}

const METHOD_ORDER: readonly ViewMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
const ALL_METHODS: readonly HTTPMethods[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
// The router's patterns (DRF's SimpleRouter lookup `[^/.]+`, format_suffix_patterns' `[a-z0-9]+`):
// Fastify's parameters take more (dots, nothing at all), which Django's resolver would not match.
const FORMAT = /^[a-z0-9]+$/;
const SUFFIXED_LOOKUP = /^([^/.]+)\.([a-z0-9]+)$/;
const PLAIN_LOOKUP = /^[^/.]+$/;
const NEGOTIATION_CACHE_SIZE = 64;

/** DRF's `Allow` value: implemented methods in http_method_names order, then HEAD and OPTIONS. */
export function allowHeader(handlers: ApiViewDefinition['handlers']): string {
  const methods: string[] = METHOD_ORDER.filter((m) => handlers[m] !== undefined);
  if (handlers.GET) methods.push('HEAD');
  methods.push('OPTIONS');
  return methods.join(', ');
}

interface RouteInfo {
  readonly lookupParam: string | null;
  readonly base: string;
}

function describeUrl(url: string): RouteInfo {
  if (!url.endsWith('/')) throw new Error(`API view URLs end with a slash: ${url}`);
  const match = /\/:([A-Za-z_]\w*)\/$/.exec(url);
  return { lookupParam: match ? match[1]! : null, base: url.slice(0, -1) };
}

/** The lookup value and format carried by a request's URL. */
interface UrlParts {
  readonly lookup: string | undefined;
  /** The format negotiation uses: the URL's suffix, else `?format=`. */
  readonly format: string | undefined;
  /** The URL's format suffix alone (DRF's `kwargs['format']`). */
  readonly suffix?: string;
}

/**
 * Registers a view at its URL with DRF's URL conventions: `url` itself, a `.format` suffix, and a
 * 301 to the slashed URL from the unslashed one (Django's APPEND_SLASH, before any authentication).
 */
export function registerApiView(app: FastifyInstance, view: ApiViewDefinition): void {
  const info = describeUrl(view.url);
  const allow = allowHeader(view.handlers);
  const rendered: RenderedView = {
    name: view.name,
    trail: view.trail ?? [],
    description: view.description ?? '',
    allow,
    methods: METHOD_ORDER.filter((m) => view.handlers[m] !== undefined),
    actions: (request) => view.actions?.(request),
  };

  function urlParts(request: FastifyRequest, slashed: boolean): UrlParts | 'redirect' {
    const params = request.params as Record<string, string>;
    const queryFormat = formatParam(request);
    if (info.lookupParam === null) {
      if (params.format !== undefined) {
        if (!FORMAT.test(params.format)) throw new NoRouteMatches();
        return { lookup: undefined, format: params.format, suffix: params.format };
      }
      return slashed ? { lookup: undefined, format: queryFormat } : 'redirect';
    }
    const raw = params[info.lookupParam] ?? '';
    const suffixed = SUFFIXED_LOOKUP.exec(raw);
    if (suffixed) return { lookup: suffixed[1], format: suffixed[2], suffix: suffixed[2] };
    if (!PLAIN_LOOKUP.test(raw)) throw new NoRouteMatches();
    if (!slashed) return 'redirect';
    return { lookup: raw, format: queryFormat };
  }

  async function dispatch(request: FastifyRequest, reply: FastifyReply, parts: UrlParts): Promise<unknown> {
    const method = request.method === 'HEAD' ? 'GET' : (request.method as ViewMethod | 'OPTIONS');
    if (method === 'OPTIONS') {
      return sendRendered(request, reply, 200, await optionsMetadata(view, request, parts.lookup));
    }
    const handler = view.handlers[method];
    if (!handler) throw new MethodNotAllowed(request.method);
    const result = await handler(request, parts.lookup, parts.suffix);
    return sendRendered(request, reply, result.status, result.data);
  }

  // Deliberate cache: the outcome of negotiation per (format, Accept header), immutable and shared by
  // the requests that send the same header. Bounded (cleared when full): clients choose the header.
  const negotiations = new Map<string, Negotiated>();
  function negotiate(accept: string | undefined, format: string | undefined): Negotiated {
    // A header value never holds a newline, so the first one ends it; the sign tells absent from empty.
    const key = `${accept === undefined ? '-' : `+${accept}`}\n${format ?? ''}`;
    let negotiated = negotiations.get(key);
    if (negotiated === undefined) {
      negotiated = Object.freeze({ ...selectRenderer(view.renderers, accept, format), view: rendered });
      if (negotiations.size >= NEGOTIATION_CACHE_SIZE) negotiations.clear();
      negotiations.set(key, negotiated);
    }
    return negotiated;
  }

  /**
   * DRF's `initial()`: negotiation, then authentication and permissions, then the method check.
   * Returns the refusal to answer with, if any (a failed authentication throws its own).
   */
  async function initial(
    request: FastifyRequest,
    reply: FastifyReply,
    parts: UrlParts,
  ): Promise<ApiError | null> {
    void reply.header('allow', allow);
    // APIView.default_response_headers: the answer varies by Accept only when there is a choice.
    if (view.renderers.length > 1) void reply.header('vary', 'Accept');
    const negotiated = negotiate(request.headers.accept, parts.format);
    request.negotiated = negotiated;
    if (negotiated.renderer.prepare !== undefined) await negotiated.renderer.prepare(request);
    await authenticate(request, view.access.authentication);
    const refusal = permissionRefusal(request, view.access.permissions);
    if (refusal !== null) return refusal;
    const method = request.method === 'HEAD' ? 'GET' : request.method;
    if (method !== 'OPTIONS' && !view.handlers[method as ViewMethod])
      return new MethodNotAllowed(request.method);
    return null;
  }

  /** The route's hooks for one URL: DRF's initial() first, then the handler (or Django's APPEND_SLASH). */
  const answerAt = (slashed: boolean) => ({
    async onRequest(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
      const parts = urlParts(request, slashed);
      if (parts === 'redirect') return undefined;
      // A refusal (401, 403, 405, 406) is answered here, as the error handler would answer it,
      // without the detour through Fastify's error path: a refused request costs less.
      let refusal: ApiError | null;
      try {
        refusal = await initial(request, reply, parts);
      } catch (error) {
        if (!(error instanceof ApiError) || reply.sent) throw error;
        refusal = error;
      }
      if (refusal === null) return undefined;
      answerApiError(refusal, request, reply);
      return reply;
    },
    async handler(request: FastifyRequest, reply: FastifyReply): Promise<unknown> {
      const parts = urlParts(request, slashed);
      if (parts === 'redirect') return sendRedirect(reply, 301, slashedTarget(request.url));
      return dispatch(request, reply, parts);
    },
  });

  const routeFor = (
    url: string,
    slashed: boolean,
    methods: readonly HTTPMethods[],
    schema?: FastifySchema,
  ) => {
    app.route({
      method: methods as HTTPMethods[],
      url,
      ...(schema && { schema }),
      exposeHeadRoute: false,
      // Schemas document the route; input is validated by the handlers with DRF's rules and messages,
      // and every body goes out as a Buffer already written (renderInto), which no serializer touches.
      validatorCompiler: () => () => true,
      serializerCompiler: () => (data) => JSON.stringify(data),
      ...answerAt(slashed),
    });
  };

  /** Every method at `url`: the methods Fastify routes, and (through the not-found handler) the rest. */
  const anyMethodAt = (url: string, slashed: boolean, methods: readonly HTTPMethods[]) => {
    routeFor(url, slashed, methods, { hide: true });
    const answer = answerAt(slashed);
    addUnroutedRoute(app, url, ALL_METHODS, async (request, reply) => {
      if ((await answer.onRequest(request, reply)) !== undefined) return reply;
      return answer.handler(request, reply);
    });
  };

  // The main URL: one route per implemented method (documented), one for everything else (405s).
  const implemented = METHOD_ORDER.filter((m) => view.handlers[m] !== undefined);
  for (const method of implemented) {
    const doc = view.schemas?.[method];
    const schema = doc && operationSchema(view, method, doc);
    routeFor(view.url, true, method === 'GET' ? ['GET', 'HEAD'] : [method], schema);
  }
  const rest = ALL_METHODS.filter(
    (m) => !implemented.includes(m as ViewMethod) && !(m === 'HEAD' && view.handlers.GET),
  );
  anyMethodAt(view.url, true, rest);

  // Unslashed: a redirect, or a suffixed lookup (`/product_api/1.json`).
  if (info.base !== '') anyMethodAt(info.base, false, ALL_METHODS);
  if (info.lookupParam === null && view.formatSuffixes !== false) {
    // `/product_api.json` and `/product_api.json/` (the root: `/.json`).
    const stem = info.base === '' ? '/' : info.base;
    for (const url of [`${stem}.:format`, `${stem}.:format/`]) {
      anyMethodAt(url, true, ALL_METHODS);
    }
  }
}
