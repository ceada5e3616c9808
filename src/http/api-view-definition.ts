// DRF's APIView as a definition: the attributes and handlers of a view that api-view.ts registers.
import type { FastifyRequest } from 'fastify';
import type { AccessPolicy } from '../auth/access.js';
import type { OperationDoc } from './openapi/operation-doc.js';
import type { Renderer, ViewCrumb } from './render.js';

/** The methods a view can implement; HEAD follows GET and OPTIONS is answered by the view. */
export type ViewMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** What a handler returns; the view renders it with the negotiated renderer. */
export interface ApiResponse {
  readonly status: number;
  /** The response data; undefined for an empty body (204). */
  readonly data?: unknown;
}

/**
 * A handler gets the request with user/auth set, the URL's lookup value, if any, and its format
 * suffix, if any (DRF's `kwargs['format']`; a `?format=` is not one).
 */
export type ApiHandler = (
  request: FastifyRequest,
  lookup: string | undefined,
  formatSuffix: string | undefined,
) => Promise<ApiResponse> | ApiResponse;

/** A view: DRF's APIView attributes plus its handlers. */
export interface ApiViewDefinition {
  /** DRF's view name, shown by OPTIONS and the browsable API ("Product Model List"; see view-name.ts). */
  readonly name: string;
  readonly description?: string;
  /** Fastify path ending in `/`; a final `:param/` segment is the lookup (`/product_api/:pk/`). */
  readonly url: string;
  readonly access: AccessPolicy;
  readonly renderers: readonly Renderer[];
  /** Media types the view parses, for OPTIONS (the app's content-type parsers do the parsing). */
  readonly parses: readonly string[];
  readonly handlers: Partial<Record<ViewMethod, ApiHandler>>;
  /**
   * The OpenAPI description of each method (documentation only; validation is DRF's, in the
   * handlers). The answers the view's pipeline can give are added from the view itself.
   */
  readonly schemas?: Partial<Record<ViewMethod, OperationDoc>>;
  /** The views above this one in the URL tree, root first (the browsable API's breadcrumbs). */
  readonly trail?: readonly ViewCrumb[];
  /** Whether `.json`-style suffixes route here (DRF's format_suffix_patterns; the router's views). */
  readonly formatSuffixes?: boolean;
  /** DRF's metadata `actions` for OPTIONS: field descriptions per method the user may use. */
  readonly actions?: (request: FastifyRequest) => Record<string, unknown> | undefined;
  /**
   * DRF's `get_object()`, which SimpleMetadata calls before describing PUT: it throws (NotFound)
   * when the URL names no object, and OPTIONS then leaves PUT out of `actions`.
   */
  readonly getObject?: (request: FastifyRequest, lookup: string | undefined) => Promise<unknown>;
}
