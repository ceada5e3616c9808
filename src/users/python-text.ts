// Python's str methods and `re` classes that Django's password validators use, to the code point.

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

// str.isspace(): Zs plus the bidi classes WS, B and S. Not JavaScript's trim() set, which lacks
// U+001C-U+001F and U+0085 and adds U+FEFF.
const SPACE = '[\\t-\\r\\x1C-\\x20\\x85\\xA0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000]';
const STRIP = new RegExp(`^${SPACE}+|${SPACE}+$`, 'gu');

// `re`'s \W on str patterns: anything but a letter, a number or the underscore (str.isalnum()).
const NON_WORD = /[^\p{L}\p{N}_]+/u;

/** Python's `len(s)`: the number of code points, not of UTF-16 units. */
export function codePointLength(text: string): number {
  let length = 0;
  for (const _ of text) length++;
  return length;
}

/** Python's `s.isdigit()`: not empty, and every character a digit (Unicode's, not only 0-9). */
export function isDigits(text: string): boolean {
  return DIGIT.test(text);
}

/** Python's `s.strip()` without arguments. */
export function strip(text: string): string {
  return text.replace(STRIP, '');
}

/** Python's `s.lower()` (full case mapping, final sigma included, as JavaScript's). */
export function lower(text: string): string {
  return text.toLowerCase();
}

/** Python's `re.split(r"\W+", s)`: empty strings at either end are kept, as Python keeps them. */
export function splitOnNonWord(text: string): string[] {
  return text.split(NON_WORD);
}
