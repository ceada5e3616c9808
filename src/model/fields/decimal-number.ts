// DRF's DecimalField arithmetic for any (max_digits, decimal_places), exact (no floats), as scaled integers.
import * as pythonText from '../../fields/index.js';
import { accept, refuse, type Checked } from '../field.js';
import { MAX_STRING_LENGTH } from './integer.js';

const { asciiDigits, codePointLength, pythonNumberText, pythonStrLongerThan, strip } = pythonText;

/** DRF DecimalField's messages. */
export const DECIMAL_MESSAGES = Object.freeze({
  invalid: 'A valid number is required.',
  maxStringLength: 'String value too large.',
  maxDigits: (n: number) => `Ensure that there are no more than ${n} digits in total.`,
  maxDecimalPlaces: (n: number) => `Ensure that there are no more than ${n} decimal places.`,
  maxWholeDigits: (n: number) => `Ensure that there are no more than ${n} digits before the decimal point.`,
});

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
 * DRF's `DecimalField(max_digits, decimal_places).to_internal_value`: `smart_str(data).strip()`,
 * the 1000-character guard, `Decimal()` (exponents, `+`, `_`, Unicode digits; NaN/Infinity refused),
 * then `validate_precision` as DRF counts digits from `as_tuple()`, and the quantized value as an
 * integer scaled by 10^decimalPlaces. `"-0"` stays `-0`, as DRF's `Decimal('-0.00')` does.
 */
export function parseScaledDecimal(
  input: unknown,
  maxDigits: number,
  decimalPlaces: number,
): Checked<number> {
  let text: string;
  if (typeof input === 'string') text = input;
  else if (typeof input === 'number') text = pythonNumberText(input);
  else {
    // str() of True/None/a list/a dict is never a number; only its length decides the message.
    const tooLong = pythonStrLongerThan(input, MAX_STRING_LENGTH);
    return refuse(tooLong ? DECIMAL_MESSAGES.maxStringLength : DECIMAL_MESSAGES.invalid);
  }
  text = strip(text);
  if (codePointLength(text) > MAX_STRING_LENGTH) return refuse(DECIMAL_MESSAGES.maxStringLength);
  const decimal = parsePythonDecimal(text);
  if (!decimal) return refuse(DECIMAL_MESSAGES.invalid);

  const { negative, coefficient, exponent } = decimal;
  const digitCount = BigInt(coefficient.length);
  let totalDigits: bigint;
  let wholeDigits: bigint;
  let places: bigint;
  if (exponent >= 0n) {
    totalDigits = digitCount + exponent;
    wholeDigits = totalDigits;
    places = 0n;
  } else if (digitCount > -exponent) {
    totalDigits = digitCount;
    wholeDigits = digitCount + exponent;
    places = -exponent;
  } else {
    totalDigits = -exponent;
    wholeDigits = 0n;
    places = totalDigits;
  }
  if (totalDigits > BigInt(maxDigits)) return refuse(DECIMAL_MESSAGES.maxDigits(maxDigits));
  if (places > BigInt(decimalPlaces)) return refuse(DECIMAL_MESSAGES.maxDecimalPlaces(decimalPlaces));
  const maxWhole = maxDigits - decimalPlaces;
  if (wholeDigits > BigInt(maxWhole)) return refuse(DECIMAL_MESSAGES.maxWholeDigits(maxWhole));

  // Within the places and whole digits: quantizing is exact and fits in maxDigits (<= 15) digits.
  const magnitude = Number(BigInt(coefficient) * 10n ** (exponent + BigInt(decimalPlaces)));
  return accept(negative ? -magnitude : magnitude);
}

/** A scaled integer as DRF renders the quantized Decimal (`'{:f}'`): `"20.48"`, `"-0.50"`, `"7"` with 0 places. */
export function formatScaled(scaled: number, decimalPlaces: number): string {
  if (!Number.isSafeInteger(scaled)) throw new RangeError(`expected a safe integer, got ${scaled}`);
  const negative = scaled < 0 || Object.is(scaled, -0);
  const digits = String(negative ? -scaled : scaled).padStart(decimalPlaces + 1, '0');
  const point = digits.length - decimalPlaces;
  const fraction = decimalPlaces > 0 ? `.${digits.slice(point)}` : '';
  return `${negative ? '-' : ''}${digits.slice(0, point)}${fraction}`;
}
