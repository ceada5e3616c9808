// Python's urllib.parse query handling (parse_qs, urlencode with quote_plus), as DRF builds links.

// encodeURIComponent leaves !'()* alone; Python's quote_plus escapes them and leaves only _.-~.
const EXTRA_ESCAPES: Readonly<Record<string, string>> = {
  '!': '%21',
  "'": '%27',
  '(': '%28',
  ')': '%29',
  '*': '%2A',
};

// Text holding neither of the signs unquote_plus reads.
const ESCAPED = /[+%]/;
// What quote_plus leaves as it is.
const UNRESERVED = /^[A-Za-z0-9_.~-]*$/;

/** Python's `quote_plus(text)`. */
export function quotePlus(text: string): string {
  // Most names and values (`limit`, `20`) need no escape at all.
  if (UNRESERVED.test(text)) return text;
  return encodeURIComponent(text)
    .replace(/[!'()*]/g, (c) => EXTRA_ESCAPES[c]!)
    .replace(/%20/g, '+');
}

function unquotePlus(text: string): string {
  if (!ESCAPED.test(text)) return text;
  const spaced = text.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    // Python replaces undecodable sequences rather than failing; keep the text as it came.
    return spaced;
  }
}

/** Python's `parse_qs(query, keep_blank_values=True)`: name -> values, in first-seen order. */
export function parseQuery(query: string): Map<string, string[]> {
  const result = new Map<string, string[]>();
  for (const pair of query.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = unquotePlus(eq === -1 ? pair : pair.slice(0, eq));
    const value = eq === -1 ? '' : unquotePlus(pair.slice(eq + 1));
    const values = result.get(name);
    if (values) values.push(value);
    else result.set(name, [value]);
  }
  return result;
}

/** Python's `urlencode(sorted(query.items()), doseq=True)`. */
export function encodeSortedQuery(query: ReadonlyMap<string, readonly string[]>): string {
  let encoded = '';
  for (const name of [...query.keys()].sort(byCodeUnits)) {
    const quotedName = quotePlus(name);
    for (const value of query.get(name)!) {
      encoded += `${encoded === '' ? '' : '&'}${quotedName}=${quotePlus(value)}`;
    }
  }
  return encoded;
}

// Python's str ordering (by code point; the same as by UTF-16 unit outside astral characters).
function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function splitUrl(url: string): { base: string; query: string } {
  const hash = url.indexOf('#');
  const withoutFragment = hash === -1 ? url : url.slice(0, hash);
  const q = withoutFragment.indexOf('?');
  return q === -1
    ? { base: withoutFragment, query: '' }
    : { base: withoutFragment.slice(0, q), query: withoutFragment.slice(q + 1) };
}

/** DRF's `replace_query_param`: sets one parameter, re-encoding the query sorted. */
export function replaceQueryParam(url: string, name: string, value: string | number): string {
  const { base, query } = splitUrl(url);
  const parsed = parseQuery(query);
  parsed.set(name, [String(value)]);
  return `${base}?${encodeSortedQuery(parsed)}`;
}

/** DRF's `remove_query_param`. */
export function removeQueryParam(url: string, name: string): string {
  const { base, query } = splitUrl(url);
  const parsed = parseQuery(query);
  parsed.delete(name);
  const encoded = encodeSortedQuery(parsed);
  return encoded === '' ? base : `${base}?${encoded}`;
}
