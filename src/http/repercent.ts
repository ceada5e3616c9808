// Django's repercent_broken_unicode: a path's escapes that are not UTF-8 become literal text, not an error.

const HEX = /^[0-9A-Fa-f]{2}$/;

/**
 * How many continuation bytes follow a UTF-8 lead byte, and the range the first of them must lie
 * in (Unicode's well-formed byte sequences, table 3-7: no overlongs, surrogates or values past
 * U+10FFFF); null for a byte that cannot start a sequence.
 */
function sequenceOf(
  lead: number,
): { readonly length: number; readonly low: number; readonly high: number } | null {
  if (lead >= 0xc2 && lead <= 0xdf) return { length: 1, low: 0x80, high: 0xbf };
  if (lead === 0xe0) return { length: 2, low: 0xa0, high: 0xbf };
  if (lead === 0xed) return { length: 2, low: 0x80, high: 0x9f };
  if (lead >= 0xe1 && lead <= 0xef) return { length: 2, low: 0x80, high: 0xbf };
  if (lead === 0xf0) return { length: 3, low: 0x90, high: 0xbf };
  if (lead >= 0xf1 && lead <= 0xf3) return { length: 3, low: 0x80, high: 0xbf };
  if (lead === 0xf4) return { length: 3, low: 0x80, high: 0x8f };
  return null;
}

/**
 * Which of `bytes` Python's UTF-8 decoder reports as errors (each maximal ill-formed subpart, as
 * `bytes.decode()` raises them one after another in repercent_broken_unicode's loop).
 */
function invalidBytes(bytes: readonly number[]): boolean[] {
  const invalid = new Array<boolean>(bytes.length).fill(false);
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i]!;
    if (lead < 0x80) {
      i += 1;
      continue;
    }
    const sequence = sequenceOf(lead);
    let j = i + 1;
    if (sequence !== null) {
      for (let k = 0; k < sequence.length && j < bytes.length; k += 1, j += 1) {
        const byte = bytes[j]!;
        const [low, high] = k === 0 ? [sequence.low, sequence.high] : [0x80, 0xbf];
        if (byte < low || byte > high) break;
      }
      if (j - i === sequence.length + 1) {
        i = j;
        continue;
      }
    }
    for (let k = i; k < j; k += 1) invalid[k] = true;
    i = j;
  }
  return invalid;
}

/** One piece of a path: a character as sent, or one `%XX` escape and the byte it stands for. */
interface Piece {
  readonly text: string;
  readonly byte: number;
  readonly escape: boolean;
}

/**
 * Rewrites a request target's path as Django sees it. The WSGI server percent-decodes the path to
 * bytes; Django's get_path_info then runs repercent_broken_unicode, which turns every byte that is
 * not part of valid UTF-8 back into its `%XX` escape, as literal text in the path; a `%` that
 * starts no escape (`%zz`, a final `%`) stays a literal `%` too. So `/product_api/%ff/` is the path
 * `/product_api/%FF/`, which the product detail pattern matches (its 404 is the view's), and
 * `/gettoken/%B9` is `/gettoken/%B9`, which matches nothing (Django's 404 page).
 *
 * Fastify's router instead refuses such a path outright. Here each such byte's escape becomes the
 * escape of its literal text (`%ff` -> `%25FF`, `%zz` -> `%25zz`), which the router decodes back to
 * exactly Django's path, and which is what Django itself writes for that path in a link or a
 * redirect (escape_uri_path). Paths without a broken escape, nearly all, are returned as they are.
 */
export function repercentBrokenUnicode(url: string): string {
  const first = url.indexOf('%');
  if (first === -1) return url;
  let end = url.length;
  for (const delimiter of ['?', '#']) {
    const at = url.indexOf(delimiter);
    if (at !== -1 && at < end) end = at;
  }
  if (first >= end) return url;

  const pieces: Piece[] = [];
  let brokenEscape = false;
  for (let i = 0; i < end;) {
    const hex = url.slice(i + 1, i + 3);
    if (url[i] === '%' && HEX.test(hex)) {
      pieces.push({ text: url.slice(i, i + 3), byte: parseInt(hex, 16), escape: true });
      i += 3;
    } else {
      if (url[i] === '%') brokenEscape = true;
      // Node's parser lets only ASCII through in a request target, so a character is one byte.
      pieces.push({ text: url[i]!, byte: url.charCodeAt(i) & 0xff, escape: false });
      i += 1;
    }
  }
  const invalid = invalidBytes(pieces.map((piece) => piece.byte));
  if (!brokenEscape && !invalid.includes(true)) return url;

  let path = '';
  pieces.forEach((piece, index) => {
    if (piece.escape && invalid[index] === true) path += `%25${piece.text.slice(1).toUpperCase()}`;
    else if (piece.text === '%') path += '%25';
    else path += piece.text;
  });
  return path + url.slice(end);
}
