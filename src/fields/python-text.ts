// Python's str methods and `re` classes that DRF's fields and Django's validators use, to the code point.

// str.isdigit() is true for Numeric_Type Decimal or Digit: \p{Nd} plus these (superscripts,
// circled digits and the like; Unicode 14, as Python 3.11 has them). JavaScript has no
// Numeric_Type property, so they are listed.
const DIGIT = new RegExp(
  '^[\\p{Nd}\\u00B2\\u00B3\\u00B9\\u1369-\\u1371\\u19DA\\u2070\\u2074-\\u2079\\u2080-\\u2089' +
    '\\u2460-\\u2468\\u2474-\\u247C\\u2488-\\u2490\\u24EA\\u24F5-\\u24FD\\u24FF\\u2776-\\u277E' +
    '\\u2780-\\u2788\\u278A-\\u2792\\u{10A40}-\\u{10A43}\\u{10E60}-\\u{10E68}\\u{11052}-\\u{1105A}' +
    '\\u{1F100}-\\u{1F10A}]+$',
  'u',
);

/**
 * Python's `str.isspace()` set (what `str.strip()` and `re`'s `\s` remove), as UTF-16 code units:
 * all in the BMP. Zs plus the bidi classes WS, B and S; not JavaScript's `trim()` set, which lacks
 * U+001C-U+001F and U+0085 and adds U+FEFF.
 */
export const PYTHON_WHITESPACE: readonly number[] = Object.freeze([
  0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002,
  0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000,
]);
const WHITESPACE: ReadonlySet<number> = new Set(PYTHON_WHITESPACE);

const UNICODE_DIGIT = /^\p{Nd}$/u;

// `re`'s \W on str patterns: anything but a letter, a number or the underscore (str.isalnum()).
const NON_WORD = /[^\p{L}\p{N}_]+/u;

/** Whether a UTF-16 code unit is one Python's `str.isspace()` accepts. */
export function isPythonWhitespace(codeUnit: number): boolean {
  return WHITESPACE.has(codeUnit);
}

/** Python's `s.strip()` without arguments: Python's whitespace (not JS's `\s`) off both ends, in linear time. */
export function strip(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && WHITESPACE.has(text.charCodeAt(start))) start++;
  while (end > start && WHITESPACE.has(text.charCodeAt(end - 1))) end--;
  return text.slice(start, end);
}

/** Python's `len(s)`: the number of code points, not of UTF-16 units (a lone surrogate counts as one). */
export function codePointLength(text: string): number {
  let length = 0;
  for (const _ of text) length++;
  return length;
}

/** Python's `s.isdigit()`: not empty, and every character a digit (Unicode's, not only 0-9). */
export function isDigits(text: string): boolean {
  return DIGIT.test(text);
}

/** Python's `s.lower()` (full case mapping, final sigma included, as JavaScript's). */
export function lower(text: string): string {
  return text.toLowerCase();
}

/** Python's `re.split(r"\W+", s)`: empty strings at either end are kept, as Python keeps them. */
export function splitOnNonWord(text: string): string[] {
  return text.split(NON_WORD);
}

/**
 * Replaces every Unicode decimal digit (`\p{Nd}`, e.g. Arabic-Indic `٣`) with its ASCII digit, as
 * Python's `int()` and `Decimal()` do before parsing. Unicode assigns such digits in runs of 0..9,
 * so a digit's value is its distance from the start of its run, modulo 10.
 */
export function asciiDigits(text: string): string {
  let out = '';
  for (const ch of text) {
    if ((ch >= '0' && ch <= '9') || !UNICODE_DIGIT.test(ch)) {
      out += ch;
      continue;
    }
    const codePoint = ch.codePointAt(0) ?? 0;
    let offset = 0;
    while (UNICODE_DIGIT.test(String.fromCodePoint(codePoint - offset - 1))) offset++;
    out += String(offset % 10);
  }
  return out;
}
