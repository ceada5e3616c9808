// Renderers (DRF's renderer classes), and JSON exactly as DRF's JSONRenderer writes it.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { MediaType } from './media-type.js';

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
}

/** A response body renderer, chosen by content negotiation. */
export interface Renderer {
  /** The `?format=` / `.suffix` name. */
  readonly format: string;
  readonly mediaType: string;
  render(data: unknown, accepted: MediaType, context?: RenderContext): string;
  /**
   * The Content-Type header. By default the renderer's media type, never the accepted one (DRF's
   * Response.rendered_content), so `Accept: application/json; indent=4` is answered as plain
   * `application/json`.
   */
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

// What Python's int() accepts from a string (ASCII digits: header values are Latin-1): surrounding
// whitespace (Python's includes U+0085; the C0 separators it also strips never pass Node's header
// parser), a sign, and single underscores between digits.
const PYTHON_INT = /^[\s\x85]*[+-]?\d+(?:_\d+)*[\s\x85]*$/;

/**
 * DRF's JSONRenderer.get_indent: `zero_as_none(max(min(int(params['indent']), 8), 0))` of the
 * accepted media type; a value int() refuses means no indent. 0 means compact.
 */
export function indentOf(accepted: MediaType): number {
  const raw = accepted.params.get('indent');
  if (raw === undefined || !PYTHON_INT.test(raw)) return 0;
  return Math.max(Math.min(Number(raw.replace(/_/g, '')), 8), 0);
}

/**
 * Serialises `data` as DRF does: compact unless an indent is given. Indented output is Python's
 * `json.dumps(data, indent=n, separators=(',', ': '))` (DRF's INDENT_SEPARATORS), which is what
 * JSON.stringify writes with an indent: one item a line, `"key": value`, no space before a line
 * break, and `[]`/`{}` for empty containers. (V8's JSON.stringify measured faster than code
 * compiled from the response schemas, and writes one flat string.)
 */
export function renderJson(data: unknown, indent = 0): string {
  const json = indent > 0 ? JSON.stringify(data, null, indent) : JSON.stringify(data);
  return HAS_LINE_SEPARATOR.test(json) ? escapeSeparators(json) : json;
}

/** DRF's JSONRenderer. */
export const jsonRenderer: Renderer = {
  format: 'json',
  mediaType: 'application/json',
  render: (data, accepted) => renderJson(data, indentOf(accepted)),
};
