// DRF's DecimalField for the price: the model fields' exact decimal arithmetic with the seed's limits.
import { formatScaled, parseScaledDecimal } from '../index.js';

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

/**
 * DRF's `DecimalField(max_digits=10, decimal_places=2).to_internal_value` as integer cents: the
 * model fields' decimal arithmetic (`parseScaledDecimal`) for this model's limits. Negative zero
 * (`"-0"`) stays `-0`, as DRF's `Decimal('-0.00')` does.
 */
export function parseDecimalCents(input: unknown): DecimalResult {
  const parsed = parseScaledDecimal(input, PRICE_MAX_DIGITS, PRICE_DECIMAL_PLACES);
  return parsed.ok ? { ok: true, cents: parsed.value } : { ok: false, message: parsed.messages[0]! };
}

/** Cents as DRF renders the price: `"20.48"`, `"-0.50"`, `"0.00"`, `"1000.00"` (and `"-0.00"` for -0). */
export function formatCents(cents: number): string {
  return formatScaled(cents, PRICE_DECIMAL_PLACES);
}
