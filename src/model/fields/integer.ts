// IntegerField: DRF's to_internal_value (string guard, `re_decimal`, Python `int()`) and exact range validators.
import { Type } from 'typebox';
import * as pythonText from '../../fields/index.js';
import { accept, refuse, type Checked, type CommonFieldOptions, type ModelField } from '../field.js';
import { makeField, storedNumber } from './common.js';

const { asciiDigits, codePointLength, isPythonWhitespace, pythonNumberText, strip } = pythonText;

/** DRF's guard against huge numeric strings (`MAX_STRING_LENGTH` in rest_framework/fields.py). */
export const MAX_STRING_LENGTH = 1000;
/** Django IntegerField's range on both databases (32-bit), the default `min`/`max`. */
export const INTEGER_RANGE = Object.freeze({ min: -2147483648, max: 2147483647 });

/** Options of `fields.integer`. */
export interface IntegerFieldOptions extends CommonFieldOptions<number> {
  /** DRF `min_value` (default -2147483648, Django IntegerField's range validator, shown in OPTIONS). */
  readonly min?: number;
  /** DRF `max_value` (default 2147483647). */
  readonly max?: number;
}

/** The messages DRF's IntegerField gives. */
export const INTEGER_MESSAGES = Object.freeze({
  invalid: 'A valid integer is required.',
  maxStringLength: 'String value too large.',
  minValue: (limit: number | string) => `Ensure this value is greater than or equal to ${limit}.`,
  maxValue: (limit: number | string) => `Ensure this value is less than or equal to ${limit}.`,
});

/** DRF's `re_decimal.sub('', text)` with `re_decimal = r'\.0*\s*$'`: drops a trailing `.000  `. */
function withoutZeroFraction(text: string): string {
  let end = text.length;
  while (end > 0 && isPythonWhitespace(text.charCodeAt(end - 1))) end--;
  while (end > 0 && text[end - 1] === '0') end--;
  return end > 0 && text[end - 1] === '.' ? text.slice(0, end - 1) : text;
}

/** Python's `int(text)` in base 10: whitespace, a sign, Unicode digits, single `_` between digits. */
export function pythonInt(text: string): bigint | undefined {
  const ascii = asciiDigits(strip(text));
  return /^[+-]?\d+(?:_\d+)*$/.test(ascii) ? BigInt(ascii.replaceAll('_', '')) : undefined;
}

/**
 * IntegerField.to_internal_value then run_validators: the 1000-character guard on strings, then
 * `int(re_decimal.sub('', str(data)))` (so `"5.0"` passes; booleans, whose `str()` is `True`, do
 * not), then MaxValueValidator and MinValueValidator (appended in that order), compared exactly.
 */
export function parseInteger(raw: unknown, min: number, max: number): Checked<number> {
  if (typeof raw === 'string' && codePointLength(raw) > MAX_STRING_LENGTH) {
    return refuse(INTEGER_MESSAGES.maxStringLength);
  }
  if (typeof raw !== 'string' && typeof raw !== 'number') return refuse(INTEGER_MESSAGES.invalid);
  const parsed = pythonInt(withoutZeroFraction(typeof raw === 'string' ? raw : pythonNumberText(raw)));
  if (parsed === undefined) return refuse(INTEGER_MESSAGES.invalid);
  const messages: string[] = [];
  if (parsed > BigInt(max)) messages.push(INTEGER_MESSAGES.maxValue(max));
  if (parsed < BigInt(min)) messages.push(INTEGER_MESSAGES.minValue(min));
  return messages.length > 0 ? refuse(...messages) : accept(Number(parsed));
}

/** Django IntegerField -> DRF IntegerField(min_value, max_value) (OPTIONS type `integer`). */
export function integer(options: IntegerFieldOptions = {}): ModelField<number, IntegerFieldOptions> {
  const min = options.min ?? INTEGER_RANGE.min;
  const max = options.max ?? INTEGER_RANGE.max;
  if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max)) {
    throw new RangeError('integer(): min and max must be safe integers');
  }
  return makeField<number, IntegerFieldOptions>({
    kind: 'integer',
    options,
    type: 'integer',
    limits: { min_value: min, max_value: max },
    parse: (raw) => parseInteger(raw, min, max),
    rules: `A whole number from ${min} to ${max} (its decimal text is accepted too: "7" or "7.0").`,
    toColumn: (value) => value,
    fromColumn: storedNumber,
    represent: (value) => value,
    output: () => Type.Integer({ minimum: min, maximum: max }),
  });
}
