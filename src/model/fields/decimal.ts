// DecimalField: DRF's parsing and precision rules, stored as an integer scaled by 10^decimalPlaces, shown as a string.
import { Type } from 'typebox';
import * as pythonText from '../../fields/index.js';
import { accept, refuse, type CommonFieldOptions, type ModelField } from '../field.js';
import { makeField, storedNumber } from './common.js';
import { formatScaled, parseScaledDecimal } from './decimal-number.js';
import { INTEGER_MESSAGES } from './integer.js';

/** Options of `fields.decimal`. */
export interface DecimalFieldOptions extends CommonFieldOptions<number> {
  /** Django `max_digits` (at most 15, so the scaled integer is exact in a double and a bigint column). */
  readonly maxDigits: number;
  /** Django `decimal_places`. */
  readonly decimalPlaces: number;
  /** DRF `min_value`, as decimal text (`"0.01"`) or a number. */
  readonly min?: string | number;
  /** DRF `max_value`, as decimal text or a number. */
  readonly max?: string | number;
}

/** Largest `maxDigits`: 10^15 - 1 is exact as a JavaScript number. */
export const MAX_DECIMAL_DIGITS = 15;

/**
 * Django DecimalField -> DRF DecimalField(max_digits, decimal_places, coerce_to_string=True). The
 * internal value, the `default` and the stored column are the number scaled by 10^decimalPlaces
 * (`20.48` with 2 places is `2048`); the representation is the quantized text (`"20.48"`).
 */
export function decimal(options: DecimalFieldOptions): ModelField<number, DecimalFieldOptions> {
  const { maxDigits, decimalPlaces } = options;
  if (!Number.isInteger(maxDigits) || maxDigits < 1 || maxDigits > MAX_DECIMAL_DIGITS) {
    throw new RangeError(`decimal(): maxDigits must be 1..${MAX_DECIMAL_DIGITS}`);
  }
  if (!Number.isInteger(decimalPlaces) || decimalPlaces < 0 || decimalPlaces > maxDigits) {
    throw new RangeError('decimal(): decimalPlaces must be 0..maxDigits');
  }
  const bound = (given: string | number | undefined) => {
    if (given === undefined) return undefined;
    const text = typeof given === 'number' ? pythonText.pythonNumberText(given) : pythonText.strip(given);
    const parsed = parseScaledDecimal(text, maxDigits, decimalPlaces);
    if (!parsed.ok) throw new RangeError(`decimal(): bound ${text} does not fit the field`);
    return { text, scaled: parsed.value };
  };
  const min = bound(options.min);
  const max = bound(options.max);
  const limits: Record<string, string> = {};
  if (min) limits.min_value = min.text;
  if (max) limits.max_value = max.text;
  const whole = maxDigits - decimalPlaces;
  const fraction = decimalPlaces > 0 ? `(\\.[0-9]{1,${decimalPlaces}})?` : '';
  return makeField<number, DecimalFieldOptions>({
    kind: 'decimal',
    options,
    type: 'decimal',
    limits,
    parse(raw) {
      const parsed = parseScaledDecimal(raw, maxDigits, decimalPlaces);
      if (!parsed.ok) return parsed;
      // DecimalField.__init__ appends MaxValueValidator, then MinValueValidator.
      const messages: string[] = [];
      if (max && parsed.value > max.scaled) messages.push(INTEGER_MESSAGES.maxValue(max.text));
      if (min && parsed.value < min.scaled) messages.push(INTEGER_MESSAGES.minValue(min.text));
      return messages.length > 0 ? refuse(...messages) : accept(parsed.value);
    },
    toColumn: (value) => value,
    fromColumn: storedNumber,
    represent: (value) => formatScaled(value, decimalPlaces),
    output: () =>
      Type.String({
        pattern: `^-?\\d{1,${Math.max(whole, 1)}}${decimalPlaces > 0 ? `\\.\\d{${decimalPlaces}}` : ''}$`,
        description: `Decimal: max ${maxDigits} digits, ${decimalPlaces} after the point`,
      }),
    input: () => Type.String({ pattern: `^-?[0-9]{1,${Math.max(whole, 1)}}${fraction}$` }),
    rules:
      `A decimal of at most ${maxDigits} digits, ${decimalPlaces} after the point (${whole} before it)` +
      (min ? `, at least ${min.text}` : '') +
      (max ? `, at most ${max.text}` : '') +
      ', as responses write it. Also accepted, as Django REST framework does: a JSON number, ' +
      'surrounding whitespace, a leading "+" or an exponent ("1e3"); the response has the canonical string.',
  });
}
