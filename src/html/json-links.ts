// Pretty JSON for the browsable API, cut into text and links (DRF's urlize_quoted_links).

/** A piece of the rendered JSON: plain text, or a URL to show as a link. */
export interface JsonSegment {
  readonly text: string;
  /** Set when the text is an http(s) URL found in a JSON string. */
  readonly href?: string;
}

// A whole JSON string holding an absolute http(s) URL with no escapes in it.
const QUOTED_URL = /"(https?:\/\/[^"\\\s]+)"/g;

/**
 * Indents `data` (4 spaces, as the browsable API shows it) and splits out the URLs so a template
 * can make them links. The segments are data, not markup: the template escapes every one.
 */
export function jsonSegments(data: unknown): JsonSegment[] {
  if (data === undefined) return [];
  const json = JSON.stringify(data, null, 4) ?? 'null';
  const segments: JsonSegment[] = [];
  let last = 0;
  for (const match of json.matchAll(QUOTED_URL)) {
    const url = match[1]!;
    const start = match.index;
    segments.push({ text: `${json.slice(last, start)}"` });
    segments.push({ text: url, href: url });
    last = start + match[0].length - 1;
  }
  segments.push({ text: json.slice(last) });
  return segments.filter((s) => s.text !== '');
}
