// JSON exactly as DRF's JSONRenderer writes it: compact, UTF-8, Python's layout when indented.
import type { MediaType } from './media-type.js';

/** A response body renderer, chosen by content negotiation. */
export interface Renderer {
  /** The `?format=` / `.suffix` name. */
  readonly format: string;
  readonly mediaType: string;
  render(data: unknown, accepted: MediaType): string;
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

/** Serialises `data` as DRF does: compact unless the accepted media type asks for an indent. */
export function renderJson(data: unknown, indent = 0): string {
  const json = indent > 0 ? pythonIndented(data, indent, 0) : JSON.stringify(data);
  return HAS_LINE_SEPARATOR.test(json) ? escapeSeparators(json) : json;
}

/** DRF's JSONRenderer. */
export const jsonRenderer: Renderer = {
  format: 'json',
  mediaType: 'application/json',
  render: (data, accepted) => renderJson(data, indentOf(accepted)),
};
