// DRF's DecimalField for the price, in exact decimal arithmetic (no floats).
import { pythonText } from '../index.js';

const { asciiDigits, codePointLength, pythonNumberText, pythonStrLongerThan, strip } = pythonText;

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

// Python Decimal's string syntax once underscores are gone; NaN and Infinity do not match (DRF rejects them).
const DECIMAL_SYNTAX = /^([+-]?)(?:(\d+)(?:\.(\d*))?|\.(\d+))(?:[eE]([+-]?\d+))?$/;
// CPython's decimal (libmpdec, 64-bit) refuses to build values whose exponent leaves these bounds.
const MPD_MAX_EMAX = 999_999_999_999_999_999n;
const MPD_MIN_ETINY = -1_999_999_999_999_999_997n;

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
    const tooLong = pythonStrLongerThan(input, MAX_STRING_LENGTH);
    return fail(tooLong ? DECIMAL_MESSAGES.maxStringLength : DECIMAL_MESSAGES.invalid);
  }
  text = strip(text);
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
