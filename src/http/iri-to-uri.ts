// Python's urllib.parse.quote and Django's iri_to_uri: text made safe for a URL or a Location header.

// quote() never escapes letters, digits and `_.-~` (Python 3.7+), whatever `safe` says.
const ALWAYS_SAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~';

/**
 * Django's iri_to_uri safe set: RFC 3986's reserved characters (gen-delims and sub-delims) and `%`,
 * which RFC 3987 §3.1 says must not be converted, so escapes already in the text are kept.
 */
const IRI_SAFE = "/#%[]=:;$&()+,!?*@'~";

const UTF8 = new TextEncoder();

// Deliberate cache: one 128-entry table per `safe` string; the strings are constants of this codebase.
const tables = new Map<string, readonly boolean[]>();

function safeTable(safe: string): readonly boolean[] {
  let table = tables.get(safe);
  if (table === undefined) {
    const keep = new Array<boolean>(128).fill(false);
    for (const char of ALWAYS_SAFE + safe) {
      const code = char.charCodeAt(0);
      if (code < 128) keep[code] = true;
    }
    table = keep;
    tables.set(safe, table);
  }
  return table;
}

function percentEncoded(char: string): string {
  let out = '';
  for (const byte of UTF8.encode(char)) out += `%${byte < 16 ? '0' : ''}${byte.toString(16).toUpperCase()}`;
  return out;
}

/**
 * Python's `urllib.parse.quote(text, safe)`: every character that is not a letter, a digit, one
 * of `_.-~` or in `safe` becomes the %XX escapes of its UTF-8 bytes (upper-case hex). A lone
 * surrogate, which Python refuses with an exception, is encoded as U+FFFD instead: a URL built
 * from client input must never turn into a 500.
 */
export function quote(text: string, safe = '/'): string {
  const keep = safeTable(safe);
  let start = 0;
  while (start < text.length) {
    const code = text.charCodeAt(start);
    if (code >= 128 || !keep[code]) break;
    start += 1;
  }
  if (start === text.length) return text;
  let out = text.slice(0, start);
  for (const char of text.slice(start)) {
    const code = char.charCodeAt(0);
    out += code < 128 && keep[code] ? char : percentEncoded(char);
  }
  return out;
}

/**
 * Django's `iri_to_uri`: an IRI (or part of one) as an ASCII URI, the way Django encodes every
 * redirect's Location. Reserved characters and existing %-escapes are kept, so it is idempotent;
 * everything else (spaces, `"<>\^`{|}`, non-ASCII) is percent-encoded as UTF-8.
 */
export function iriToUri(iri: string): string {
  return quote(iri, IRI_SAFE);
}
