// DRF's DecimalField for the price, in exact decimal arithmetic (no floats), plus the Python text rules it shares.

/** DRF's guard against huge numeric strings (`MAX_STRING_LENGTH` in rest_framework/fields.py). */
export const MAX_STRING_LENGTH = 1000;
/** The model's `max_digits` for `price`. */
export const PRICE_MAX_DIGITS = 10;
/** The model's `decimal_places` for `price`. */
export const PRICE_DECIMAL_PLACES = 2;
const MAX_WHOLE_DIGITS = PRICE_MAX_DIGITS - PRICE_DECIMAL_PLACES;

/** DRF DecimalField's messages, with this model's limits filled in. */
export const DECIMAL_MESSAGES = Object.freeze({
  invalid: 'A valid number is required.',
  maxStringLength: 'String value too large.',
  maxDigits: `Ensure that there are no more than ${PRICE_MAX_DIGITS} digits in total.`,
  maxDecimalPlaces: `Ensure that there are no more than ${PRICE_DECIMAL_PLACES} decimal places.`,
  maxWholeDigits: `Ensure that there are no more than ${MAX_WHOLE_DIGITS} digits before the decimal point.`,
});

/** Outcome of {@link parseDecimalCents}: whole cents, or the one message DRF raises. */
export type DecimalResult =
  { readonly ok: true; readonly cents: number } | { readonly ok: false; readonly message: string };

/** Python's `str.isspace()` set (what `str.strip()` and `re`'s `\s` remove), as UTF-16 code units: all in the BMP. */
export const PYTHON_WHITESPACE: readonly number[] = Object.freeze([
  0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002,
  0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000,
]);
const PY_WHITESPACE: ReadonlySet<number> = new Set(PYTHON_WHITESPACE);
const UNICODE_DIGIT = /^\p{Nd}$/u;
const NOT_PRINTABLE = /^[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]$/u; // Python's str.isprintable(), bar ' '
// Python Decimal's string syntax once underscores are gone; NaN and Infinity do not match (DRF rejects them).
const DECIMAL_SYNTAX = /^([+-]?)(?:(\d+)(?:\.(\d*))?|\.(\d+))(?:[eE]([+-]?\d+))?$/;
// CPython's decimal (libmpdec, 64-bit) refuses to build values whose exponent leaves these bounds.
const MPD_MAX_EMAX = 999_999_999_999_999_999n;
const MPD_MIN_ETINY = -1_999_999_999_999_999_997n;

/** Whether a UTF-16 code unit is one Python's `str.isspace()` accepts. */
export function isPythonWhitespace(codeUnit: number): boolean {
  return PY_WHITESPACE.has(codeUnit);
}

/** Python's `str.strip()`: removes Python's whitespace set (not JS's `\s`) from both ends, in linear time. */
export function pythonStrip(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && PY_WHITESPACE.has(text.charCodeAt(start))) start++;
  while (end > start && PY_WHITESPACE.has(text.charCodeAt(end - 1))) end--;
  return text.slice(start, end);
}

/** Python's `len()` of a string: code points, a lone surrogate counting as one. */
export function codePointLength(text: string): number {
  let length = 0;
  for (const _ of text) length++;
  return length;
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

/**
 * The text Python's `str()` gives for a JSON number after `json.loads`. An integral JS number is
 * taken to have been a JSON integer (exact digits, `1e21` -> `"1000000000000000000000"`); other
 * numbers are Python floats, whose `repr` uses the same shortest round-trip digits as `String(n)`
 * but switches to exponent form below 1e-4 (`1e-05`, `1.5e-07`). JSON cannot tell us whether the
 * client wrote `5` or `5.0`, so integral floats lose Python's `.0`.
 */
export function pythonNumberText(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (value === Infinity) return 'inf';
  if (value === -Infinity) return '-inf';
  if (Number.isInteger(value)) return BigInt(value).toString();
  const match = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(value));
  if (!match) throw new Error(`unexpected number text ${String(value)}`);
  const [, sign = '', whole = '', fraction = '', exponent = '0'] = match;
  const mantissa = whole + fraction;
  const significant = mantissa.replace(/^0+/, '');
  const digits = significant.replace(/0+$/, '');
  // The value is 0.<digits> * 10^point.
  const point = whole.length + Number(exponent) - (mantissa.length - significant.length);
  if (point <= -4 || point > 16) {
    const power = point - 1;
    const rest = digits.length > 1 ? `.${digits.slice(1)}` : '';
    return `${sign}${digits[0] ?? '0'}${rest}e${power < 0 ? '-' : '+'}${String(Math.abs(power)).padStart(2, '0')}`;
  }
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}.0`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** Whether Python's `str()` of a JSON array, object, boolean or null is longer than `limit` code points. */
function reprLongerThan(value: unknown, limit: number): boolean {
  let used = 0;
  const add = (count: number): boolean => (used += count) > limit;
  const walk = (item: unknown): boolean => {
    if (typeof item === 'string') return add(stringReprLength(item));
    if (typeof item === 'number') return add(pythonNumberText(item).length);
    if (typeof item === 'boolean') return add(item ? 4 : 5);
    if (item === null || typeof item !== 'object') return add(4); // None
    const entries = Array.isArray(item)
      ? item.map((element: unknown) => [undefined, element] as const)
      : Object.entries(item).map(([key, element]) => [key, element as unknown] as const);
    if (add(2 + Math.max(0, entries.length - 1) * 2)) return true; // brackets and ", "
    return entries.some(([key, element]) => (key !== undefined && (walk(key) || add(2))) || walk(element));
  };
  return walk(value);
}

/** Length of Python's `repr()` of a string: quotes, backslash escapes and `\xhh`/`\uhhhh`/`\Uhhhhhhhh`. */
function stringReprLength(text: string): number {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let length = 2;
  for (const ch of text) {
    const codePoint = ch.codePointAt(0) ?? 0;
    if (ch === quote || ch === '\\' || ch === '\t' || ch === '\n' || ch === '\r') length += 2;
    else if (ch !== ' ' && NOT_PRINTABLE.test(ch))
      length += codePoint < 0x100 ? 4 : codePoint < 0x10000 ? 6 : 10;
    else length += 1;
  }
  return length;
}

/** Python's `Decimal(text)` as (sign, coefficient digits, exponent); undefined where it raises or is not finite. */
function parsePythonDecimal(
  text: string,
): { negative: boolean; coefficient: string; exponent: bigint } | undefined {
  const match = DECIMAL_SYNTAX.exec(asciiDigits(text.replaceAll('_', '')));
  if (!match) return undefined;
  const [, sign, whole = '', pointed, bare, exponentText = '0'] = match;
  const fraction = pointed ?? bare ?? '';
  const coefficient = (whole + fraction).replace(/^0+/, '') || '0';
  const exponent = BigInt(exponentText) - BigInt(fraction.length);
  const adjusted = exponent + BigInt(coefficient.length) - 1n;
  if (adjusted > MPD_MAX_EMAX || exponent < MPD_MIN_ETINY) return undefined;
  return { negative: sign === '-', coefficient, exponent };
}

/**
 * DRF's `DecimalField(max_digits=10, decimal_places=2).to_internal_value`: `smart_str(data).strip()`,
 * the 1000-character guard, `Decimal()` (exponents, `+`, `_`, Unicode digits; NaN/Infinity refused),
 * then `validate_precision` exactly as DRF counts digits from `as_tuple()`, and the quantized value
 * as integer cents. Negative zero (`"-0"`) stays `-0`, as DRF's `Decimal('-0.00')` does.
 */
export function parseDecimalCents(input: unknown): DecimalResult {
  let text: string;
  if (typeof input === 'string') text = input;
  else if (typeof input === 'number') text = pythonNumberText(input);
  else {
    // str() of True/None/a list/a dict is never a number; only its length decides the message.
    const tooLong = reprLongerThan(input, MAX_STRING_LENGTH);
    return fail(tooLong ? DECIMAL_MESSAGES.maxStringLength : DECIMAL_MESSAGES.invalid);
  }
  text = pythonStrip(text);
  if (codePointLength(text) > MAX_STRING_LENGTH) return fail(DECIMAL_MESSAGES.maxStringLength);
  const decimal = parsePythonDecimal(text);
  if (!decimal) return fail(DECIMAL_MESSAGES.invalid);

  const { negative, coefficient, exponent } = decimal;
  const digitCount = BigInt(coefficient.length);
  let totalDigits: bigint;
  let wholeDigits: bigint;
  let decimalPlaces: bigint;
  if (exponent >= 0n) {
    totalDigits = digitCount + exponent;
    wholeDigits = totalDigits;
    decimalPlaces = 0n;
  } else if (digitCount > -exponent) {
    totalDigits = digitCount;
    wholeDigits = digitCount + exponent;
    decimalPlaces = -exponent;
  } else {
    totalDigits = -exponent;
    wholeDigits = 0n;
    decimalPlaces = totalDigits;
  }
  if (totalDigits > BigInt(PRICE_MAX_DIGITS)) return fail(DECIMAL_MESSAGES.maxDigits);
  if (decimalPlaces > BigInt(PRICE_DECIMAL_PLACES)) return fail(DECIMAL_MESSAGES.maxDecimalPlaces);
  if (wholeDigits > BigInt(MAX_WHOLE_DIGITS)) return fail(DECIMAL_MESSAGES.maxWholeDigits);

  // At most 2 places and 8 whole digits: quantizing to cents is exact and fits in 10 digits.
  const magnitude = Number(BigInt(coefficient) * 10n ** (exponent + BigInt(PRICE_DECIMAL_PLACES)));
  return { ok: true, cents: negative ? -magnitude : magnitude };
}

function fail(message: string): DecimalResult {
  return { ok: false, message };
}

/** Cents as DRF renders the price: `"20.48"`, `"-0.50"`, `"0.00"`, `"1000.00"` (and `"-0.00"` for -0). */
export function formatCents(cents: number): string {
  if (!Number.isSafeInteger(cents)) throw new RangeError(`cents must be a safe integer, got ${cents}`);
  const negative = cents < 0 || Object.is(cents, -0);
  const digits = String(negative ? -cents : cents).padStart(PRICE_DECIMAL_PLACES + 1, '0');
  const point = digits.length - PRICE_DECIMAL_PLACES;
  return `${negative ? '-' : ''}${digits.slice(0, point)}.${digits.slice(point)}`;
}
