// Renderers (DRF's renderer classes), and JSON exactly as DRF's JSONRenderer writes it.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { MediaType } from './media-type.js';
import type { JsonSerializer } from './schema-json.js';

/** A view above another in the URL tree: the browsable API's breadcrumbs link it by its name. */
export interface ViewCrumb {
  readonly name: string;
  /** Its URL path (`/product_api/`). */
  readonly url: string;
}

/** What a page about a view needs to know of it (DRF's renderer_context['view']). */
export interface RenderedView {
  /** DRF's view name ("Product Model List"). */
  readonly name: string;
  /** The views whose URLs are prefixes of this one's, root first (DRF's get_breadcrumbs). */
  readonly trail: readonly ViewCrumb[];
  readonly description: string;
  /** The `Allow` header value. */
  readonly allow: string;
  /** The methods the view implements. */
  readonly methods: readonly string[];
  /** OPTIONS' `actions` for this request: writable field metadata per method the user may use. */
  actions(request: FastifyRequest): Readonly<Record<string, unknown>> | undefined;
}

/** DRF's renderer_context: the request, the response so far, and the view (null outside API views). */
export interface RenderContext {
  readonly request: FastifyRequest;
  readonly reply: FastifyReply;
  /** The status the view answered with. */
  readonly status: number;
  readonly view: RenderedView | null;
  /** The response's schema serializer, when the view has one (see ApiResponse.json). */
  readonly json?: JsonSerializer;
}

/** A response body renderer, chosen by content negotiation. */
export interface Renderer {
  /** The `?format=` / `.suffix` name. */
  readonly format: string;
  readonly mediaType: string;
  render(data: unknown, accepted: MediaType, context?: RenderContext): string;
  /** The Content-Type header; by default the accepted media type as the client wrote it. */
  contentType?(accepted: MediaType): string;
  /** Runs once negotiation chose this renderer, before authentication (e.g. to read the session). */
  prepare?(request: FastifyRequest): Promise<void>;
  /**
   * Whether an empty response (204) is rendered too. DRF's browsable API shows a page for it,
   * answering 200 so browsers display it (the page still says 204).
   */
  readonly rendersEmpty?: boolean;
}

// JSON.stringify leaves these raw; DRF escapes them so the output is also valid JavaScript.
const LINE_SEPARATORS = /[\u2028\u2029]/g;
const HAS_LINE_SEPARATOR = /[\u2028\u2029]/;

function escapeSeparators(json: string): string {
  return json.replace(LINE_SEPARATORS, (c) => (c === '\u2028' ? '\\u2028' : '\\u2029'));
}

/**
 * Python's `json.dumps(data, indent=n, separators=(',', ':'))`: one item per line like
 * JSON.stringify with an indent, but no space after the colon, and `[]`/`{}` for empty containers.
 */
function pythonIndented(value: unknown, indent: number, depth: number): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const pad = ' '.repeat(indent * (depth + 1));
    const items = value.map((item: unknown) => pad + pythonIndented(item ?? null, indent, depth + 1));
    return `[\n${items.join(',\n')}\n${' '.repeat(indent * depth)}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return '{}';
    const pad = ' '.repeat(indent * (depth + 1));
    const items = entries.map(
      ([k, v]) => `${pad}${JSON.stringify(k)}:${pythonIndented(v, indent, depth + 1)}`,
    );
    return `{\n${items.join(',\n')}\n${' '.repeat(indent * depth)}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** DRF's `indent` media type parameter: an integer clamped to 0..8; 0 or junk means compact. */
export function indentOf(accepted: MediaType): number {
  const raw = accepted.params.get('indent');
  if (raw === undefined || !/^\s*[+-]?\d+\s*$/.test(raw)) return 0;
  return Math.max(Math.min(Number(raw), 8), 0);
}

/**
 * Serialises `data` as DRF does: compact unless the accepted media type asks for an indent;
 * compact output comes from `serialize` (the response's schema) when given.
 */
export function renderJson(data: unknown, indent = 0, serialize?: JsonSerializer): string {
  const json =
    indent > 0
      ? pythonIndented(data, indent, 0)
      : serialize !== undefined
        ? serialize(data)
        : JSON.stringify(data);
  return HAS_LINE_SEPARATOR.test(json) ? escapeSeparators(json) : json;
}

/** DRF's JSONRenderer. */
export const jsonRenderer: Renderer = {
  format: 'json',
  mediaType: 'application/json',
  render: (data, accepted, context) => renderJson(data, indentOf(accepted), context?.json),
};
