// CPython 3.11's json.loads (Lib/json/decoder.py over Modules/_json.c's scanner), ported for its errors.
import { PythonValueError, jsonDecodeError as decodeError } from './python-errors.js';

/**
 * Nesting Python's json refuses: each array or object level is one C-level recursion, and
 * CPython 3.11's limit of 1000 frames is shared with the ~100 a Django request already stands in.
 * DRF lets the RecursionError through (a 500); keygate answers it as a parse error.
 */
export const MAX_JSON_DEPTH = 900;
/** Python 3.11's `sys.get_int_max_str_digits()`: longer integer literals are a ValueError. */
export const MAX_INT_DIGITS = 4300;

/** What DRF's `parse_constant` (rest_framework/utils/json.py `strict_constant`) raises. */
function strictConstant(constant: string): PythonValueError {
  return new PythonValueError(`Out of range float values are not JSON compliant: '${constant}'`);
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
// _json.c's escapes other than \u; anything else is an "Invalid \escape".
const ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

function isWhitespace(unit: number): boolean {
  return unit === 0x20 || unit === 0x09 || unit === 0x0a || unit === 0x0d;
}

function isDigit(unit: number): boolean {
  return unit >= 0x30 && unit <= 0x39;
}

function hexValue(unit: number): number {
  if (unit >= 0x30 && unit <= 0x39) return unit - 0x30;
  if (unit >= 0x61 && unit <= 0x66) return unit - 0x61 + 10;
  if (unit >= 0x41 && unit <= 0x46) return unit - 0x41 + 10;
  return -1;
}

/**
 * _json.c's scanner, statement for statement, over JavaScript's UTF-16 units. Indexing units rather
 * than code points changes no decision (every test that looks past a character wants an ASCII one)
 * and no position (errors fall on ASCII characters or on the first unit of a pair), so only the
 * reported positions are converted to code points.
 */
class Scanner {
  readonly #text: string;
  readonly #end: number; // end_idx: the last index

  constructor(text: string) {
    this.#text = text;
    this.#end = text.length - 1;
  }

  #at(index: number): number {
    return this.#text.charCodeAt(index);
  }

  #skipWhitespace(index: number): number {
    let i = index;
    while (i <= this.#end && isWhitespace(this.#at(i))) i++;
    return i;
  }

  #matches(index: number, word: string): boolean {
    return index + word.length - 1 <= this.#end && this.#text.startsWith(word, index);
  }

  /** scan_once_unicode: one value starting at `index`; returns it and the index after it. */
  scan(index: number, depth: number): [unknown, number] {
    // StopIteration(idx), which raw_decode turns into this, wherever it was raised.
    if (index > this.#end) throw decodeError('Expecting value', this.#text, index);
    switch (this.#text[index]) {
      case '"':
        return this.#string(index + 1);
      case '{':
      case '[': {
        const kind = this.#text[index] === '{' ? 'object' : 'array';
        if (depth >= MAX_JSON_DEPTH) {
          throw new PythonValueError(
            `maximum recursion depth exceeded while decoding a JSON ${kind} from a unicode string`,
          );
        }
        return kind === 'object' ? this.#object(index + 1, depth + 1) : this.#array(index + 1, depth + 1);
      }
      case 'n':
        if (this.#matches(index, 'null')) return [null, index + 4];
        break;
      case 't':
        if (this.#matches(index, 'true')) return [true, index + 4];
        break;
      case 'f':
        if (this.#matches(index, 'false')) return [false, index + 5];
        break;
      case 'N':
        if (this.#matches(index, 'NaN')) throw strictConstant('NaN');
        break;
      case 'I':
        if (this.#matches(index, 'Infinity')) throw strictConstant('Infinity');
        break;
      case '-':
        if (this.#matches(index, '-Infinity')) throw strictConstant('-Infinity');
        break;
      default:
        break;
    }
    return this.#number(index);
  }

  /** _match_number_unicode. */
  #number(start: number): [unknown, number] {
    const end = this.#end;
    let i = start;
    if (this.#at(i) === 0x2d) {
      i++;
      if (i > end) throw decodeError('Expecting value', this.#text, start);
    }
    const first = this.#at(i);
    if (first >= 0x31 && first <= 0x39) {
      i++;
      while (i <= end && isDigit(this.#at(i))) i++;
    } else if (first === 0x30) {
      i++;
    } else {
      throw decodeError('Expecting value', this.#text, start);
    }
    const integerEnd = i;
    let isFloat = false;
    if (i < end && this.#at(i) === 0x2e && isDigit(this.#at(i + 1))) {
      isFloat = true;
      i += 2;
      while (i <= end && isDigit(this.#at(i))) i++;
    }
    if (i < end && (this.#at(i) === 0x65 || this.#at(i) === 0x45)) {
      const exponentStart = i;
      i++;
      if (i < end && (this.#at(i) === 0x2d || this.#at(i) === 0x2b)) i++;
      while (i <= end && isDigit(this.#at(i))) i++;
      if (isDigit(this.#at(i - 1))) isFloat = true;
      else i = exponentStart;
    }
    const literal = this.#text.slice(start, i);
    if (!isFloat) {
      const digits = integerEnd - (this.#at(start) === 0x2d ? start + 1 : start);
      if (digits > MAX_INT_DIGITS) {
        throw new PythonValueError(
          `Exceeds the limit (${MAX_INT_DIGITS} digits) for integer string conversion: ` +
            `value has ${digits} digits; use sys.set_int_max_str_digits() to increase the limit`,
        );
      }
    }
    // The same double JSON.parse gives: a JSON number literal is valid JavaScript number syntax.
    return [Number(literal), i];
  }

  /** scanstring_unicode with strict=True; `start` is the index after the opening quote. */
  #string(start: number): [string, number] {
    const text = this.#text;
    const length = text.length;
    const begin = start - 1;
    let chunks: string[] | undefined; // only once there is an escape: most strings are one slice
    let end = start;
    for (;;) {
      let next = end;
      let unit = 0;
      for (; next < length; next++) {
        unit = this.#at(next);
        if (unit === QUOTE || unit === BACKSLASH) break;
        if (unit <= 0x1f) throw decodeError('Invalid control character at', text, next);
      }
      if (next >= length) throw decodeError('Unterminated string starting at', text, begin);
      if (unit === QUOTE && chunks === undefined) return [text.slice(end, next), next + 1];
      chunks ??= [];
      if (next !== end) chunks.push(text.slice(end, next));
      next++;
      if (unit === QUOTE) return [chunks.join(''), next];
      if (next === length) throw decodeError('Unterminated string starting at', text, begin);
      const escape = text[next] ?? '';
      if (escape !== 'u') {
        end = next + 1;
        const decoded = ESCAPES[escape];
        if (decoded === undefined) throw decodeError('Invalid \\escape', text, end - 2);
        chunks.push(decoded);
        continue;
      }
      next++;
      end = next + 4;
      if (end >= length) throw decodeError('Invalid \\uXXXX escape', text, next - 1);
      let code = this.#hex4(next, end);
      // A high surrogate followed by \u and a low one is one character; anything else leaves it alone.
      if (
        code >= 0xd800 &&
        code <= 0xdbff &&
        end + 6 < length &&
        this.#at(end) === BACKSLASH &&
        text[end + 1] === 'u'
      ) {
        const low = this.#hex4(end + 2, end + 6);
        if (low >= 0xdc00 && low <= 0xdfff) {
          code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
          end += 6;
        }
      }
      chunks.push(String.fromCodePoint(code));
    }
  }

  /** Four hex digits in [from, to); an invalid one is reported at the escape's `u` (to - 5). */
  #hex4(from: number, to: number): number {
    let code = 0;
    for (let i = from; i < to; i++) {
      const digit = hexValue(this.#at(i));
      if (digit < 0) throw decodeError('Invalid \\uXXXX escape', this.#text, to - 5);
      code = (code << 4) | digit;
    }
    return code;
  }

  /** _parse_object_unicode: `index` is after the `{`. Keys are set as JSON.parse sets them. */
  #object(index: number, depth: number): [Record<string, unknown>, number] {
    const end = this.#end;
    const result: Record<string, unknown> = {};
    let i = this.#skipWhitespace(index);
    if (i > end || this.#text[i] !== '}') {
      for (;;) {
        if (i > end || this.#at(i) !== QUOTE) {
          throw decodeError('Expecting property name enclosed in double quotes', this.#text, i);
        }
        const [key, afterKey] = this.#string(i + 1);
        i = this.#skipWhitespace(afterKey);
        if (i > end || this.#text[i] !== ':') throw decodeError("Expecting ':' delimiter", this.#text, i);
        i = this.#skipWhitespace(i + 1);
        const [value, afterValue] = this.scan(i, depth);
        // `__proto__` as a data property, as JSON.parse makes it: assigning it would set the prototype.
        if (key === '__proto__') {
          Object.defineProperty(result, key, { value, writable: true, enumerable: true, configurable: true });
        } else {
          result[key] = value;
        }
        i = this.#skipWhitespace(afterValue);
        if (i <= end && this.#text[i] === '}') break;
        if (i > end || this.#text[i] !== ',') throw decodeError("Expecting ',' delimiter", this.#text, i);
        i = this.#skipWhitespace(i + 1);
      }
    }
    return [result, i + 1];
  }

  /** _parse_array_unicode: `index` is after the `[`. */
  #array(index: number, depth: number): [unknown[], number] {
    const end = this.#end;
    const result: unknown[] = [];
    let i = this.#skipWhitespace(index);
    if (i > end || this.#text[i] !== ']') {
      for (;;) {
        const [value, afterValue] = this.scan(i, depth);
        result.push(value);
        i = this.#skipWhitespace(afterValue);
        if (i <= end && this.#text[i] === ']') break;
        if (i > end || this.#text[i] !== ',') throw decodeError("Expecting ',' delimiter", this.#text, i);
        i = this.#skipWhitespace(i + 1);
      }
    }
    return [result, i + 1];
  }

  /** JSONDecoder.decode: whitespace, one value, whitespace, and nothing else. */
  decode(): unknown {
    const [value, after] = this.scan(this.#skipWhitespace(0), 0);
    const end = this.#skipWhitespace(after);
    if (end !== this.#text.length) throw decodeError('Extra data', this.#text, end);
    return value;
  }
}

/**
 * Python 3.11's `json.loads(text, parse_constant=strict_constant)` as DRF calls it: the same values
 * JSON.parse gives where Python accepts the text, and Python's own ValueError where it does not
 * (JSONDecodeError's message and position, DRF's NaN/Infinity refusal, the integer digit limit;
 * nesting past {@link MAX_JSON_DEPTH} raises Python's RecursionError text). Throws {@link PythonValueError}.
 */
export function pythonJsonLoads(text: string): unknown {
  if (text.charCodeAt(0) === 0xfeff) {
    throw decodeError('Unexpected UTF-8 BOM (decode using utf-8-sig)', text, 0);
  }
  return new Scanner(text).decode();
}
