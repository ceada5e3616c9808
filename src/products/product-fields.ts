// DRF's ModelSerializer rules for Product input: presence, null and blank, then each field's coercion and validators.
import { pythonText, type FieldErrors } from '../index.js';

const { asciiDigits, codePointLength, isPythonWhitespace, pythonNumberText, strip } = pythonText;
import { MAX_STRING_LENGTH, parseDecimalCents } from './decimal.js';

/** The model's `max_length` for `name` (`description` is a TextField: no limit). */
export const NAME_MAX_LENGTH = 100;
/** `PositiveIntegerField`'s range as DRF maps it: `IntegerField(min_value=0, max_value=2147483647)`. */
export const STOCK_MIN = 0;
/** See {@link STOCK_MIN}. */
export const STOCK_MAX = 2147483647;

/**
 * Validated writable fields: those given. Create (POST) and update (PUT) always hold `name` and
 * `priceCents`; a missing `description` or `stock` is absent (DRF's SkipField), so a create gets the
 * model default and an update keeps the stored value. Partial (PATCH) holds only what was given.
 */
export interface ProductInput {
  name?: string;
  description?: string;
  priceCents?: number;
  stock?: number;
}

/** `create` (POST) and `update` (PUT) require name and price; `partial` (PATCH) requires nothing. */
export type ProductValidationMode = 'create' | 'update' | 'partial';

/** Where the data came from. */
export interface ProductValidationOptions {
  /**
   * The body was a form (urlencoded or multipart: DRF's `html.is_html_input`, a QueryDict). A form
   * cannot send "nothing" for a field, so `Field.get_value` reads an empty value of a field that is
   * neither required nor allows blank as missing: `stock=` is no stock at all.
   */
  readonly form?: boolean;
}

/**
 * How ModelSerializer built each writable field from the seed model (rest_framework/utils/
 * field_mapping.py `get_field_kwargs`): `required=False` for a model field with a default or
 * `blank=True`, `allow_blank=True` for a blank CharField/TextField. None of them is `null=True`.
 */
export const PRODUCT_FIELD_RULES = Object.freeze({
  name: { required: true, allowBlank: false },
  description: { required: false, allowBlank: true },
  price: { required: true, allowBlank: false },
  stock: { required: false, allowBlank: false },
} as const satisfies Record<string, { required: boolean; allowBlank: boolean }>);

/** Outcome of {@link validateProduct}. */
export type ProductValidation = { ok: true; value: ProductInput } | { ok: false; errors: FieldErrors };

/** The messages DRF's Field, CharField and IntegerField raise for this model. */
export const FIELD_MESSAGES = Object.freeze({
  required: 'This field is required.',
  null: 'This field may not be null.',
  blank: 'This field may not be blank.',
  invalidString: 'Not a valid string.',
  nameMaxLength: `Ensure this field has no more than ${NAME_MAX_LENGTH} characters.`,
  nullCharacters: 'Null characters are not allowed.',
  invalidInteger: 'A valid integer is required.',
  integerStringTooLarge: 'String value too large.',
  stockMinValue: `Ensure this value is greater than or equal to ${STOCK_MIN}.`,
  stockMaxValue: `Ensure this value is less than or equal to ${STOCK_MAX}.`,
});

type Checked<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly messages: string[] };

const invalid = (...messages: string[]): Checked<never> => ({ ok: false, messages });

/**
 * DRF's `ProductSerializer(data=input, partial=mode === 'partial').is_valid()` for the writable
 * fields, in field order (name, description, price, stock). `id`, `created`, `updated` and unknown
 * keys are ignored; a key whose value is `undefined` counts as missing. A missing field that is not
 * required is left out of the value (`Field.validate_empty_values` -> `get_default` raises SkipField:
 * ModelSerializer passes no serializer default, so the model's default applies on create). The
 * caller has already refused input that is not a JSON object.
 */
export function validateProduct(
  input: unknown,
  mode: ProductValidationMode,
  options: ProductValidationOptions = {},
): ProductValidation {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new TypeError('validateProduct expects a plain object');
  }
  const data = input as Readonly<Record<string, unknown>>;
  const errors: FieldErrors = {};
  const value: ProductInput = {};
  const run = <T>(
    field: keyof typeof PRODUCT_FIELD_RULES,
    toInternal: (raw: unknown) => Checked<T>,
    accept: (parsed: T) => void,
  ) => {
    const { required, allowBlank } = PRODUCT_FIELD_RULES[field];
    let raw = Object.hasOwn(data, field) ? data[field] : undefined;
    // Field.get_value for HTML input: '' of a field that is not required and not allow_blank is `empty`.
    if (options.form === true && raw === '' && !required && !allowBlank) raw = undefined;
    let outcome: Checked<T>;
    if (raw === undefined) {
      // validate_empty_values: partial -> SkipField; required -> 'required'; else get_default -> SkipField.
      if (mode === 'partial' || !required) return;
      outcome = invalid(FIELD_MESSAGES.required);
    } else if (raw === null) {
      outcome = invalid(FIELD_MESSAGES.null);
    } else {
      outcome = toInternal(raw);
    }
    if (outcome.ok) accept(outcome.value);
    else errors[field] = outcome.messages;
  };
  run(
    'name',
    (raw) => charField(raw, NAME_MAX_LENGTH),
    (name) => (value.name = name),
  );
  run(
    'description',
    (raw) => charField(raw, undefined, PRODUCT_FIELD_RULES.description.allowBlank),
    (description) => (value.description = description),
  );
  run('price', priceField, (cents) => (value.priceCents = cents));
  run('stock', stockField, (stock) => (value.stock = stock));
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, value };
}

/**
 * CharField(trim_whitespace=True): the blank test of `run_validation` (`''` or whitespace alone is
 * `''` when `allow_blank`, with no validator run, else 'may not be blank'), then `to_internal_value`
 * (strings, and numbers through Python's `str()`), then every validator, whose messages accumulate:
 * MaxLengthValidator, ProhibitNullCharactersValidator, ProhibitSurrogateCharactersValidator.
 */
function charField(raw: unknown, maxLength?: number, allowBlank = false): Checked<string> {
  if (typeof raw === 'string' && strip(raw) === '') {
    return allowBlank ? { ok: true, value: '' } : invalid(FIELD_MESSAGES.blank);
  }
  if (typeof raw !== 'string' && typeof raw !== 'number') return invalid(FIELD_MESSAGES.invalidString);
  const text = strip(typeof raw === 'string' ? raw : pythonNumberText(raw));
  const messages: string[] = [];
  if (maxLength !== undefined && codePointLength(text) > maxLength)
    messages.push(FIELD_MESSAGES.nameMaxLength);
  if (text.includes('\0')) messages.push(FIELD_MESSAGES.nullCharacters);
  const surrogate = firstLoneSurrogate(text);
  if (surrogate !== undefined) {
    messages.push(`Surrogate characters are not allowed: U+${surrogate.toString(16).toUpperCase()}.`);
  }
  return messages.length > 0 ? invalid(...messages) : { ok: true, value: text };
}

function firstLoneSurrogate(text: string): number | undefined {
  for (const ch of text) {
    const unit = ch.charCodeAt(0);
    if (ch.length === 1 && unit >= 0xd800 && unit <= 0xdfff) return unit;
  }
  return undefined;
}

/** DecimalField(max_digits=10, decimal_places=2), as integer cents. */
function priceField(raw: unknown): Checked<number> {
  const parsed = parseDecimalCents(raw);
  return parsed.ok ? { ok: true, value: parsed.cents } : invalid(parsed.message);
}

/**
 * IntegerField(min_value=0, max_value=2147483647): the 1000-character guard on strings, then
 * `int(re.sub(r'\.0*\s*$', '', str(data)))` (so `"5.0"` passes; booleans, whose `str()` is `True`,
 * do not), then the range validators compared exactly as big integers.
 */
function stockField(raw: unknown): Checked<number> {
  if (typeof raw === 'string' && codePointLength(raw) > MAX_STRING_LENGTH) {
    return invalid(FIELD_MESSAGES.integerStringTooLarge);
  }
  if (typeof raw !== 'string' && typeof raw !== 'number') return invalid(FIELD_MESSAGES.invalidInteger);
  const parsed = pythonInt(withoutZeroFraction(typeof raw === 'string' ? raw : pythonNumberText(raw)));
  if (parsed === undefined) return invalid(FIELD_MESSAGES.invalidInteger);
  if (parsed > BigInt(STOCK_MAX)) return invalid(FIELD_MESSAGES.stockMaxValue);
  if (parsed < BigInt(STOCK_MIN)) return invalid(FIELD_MESSAGES.stockMinValue);
  return { ok: true, value: Number(parsed) };
}

/** DRF's `re_decimal.sub('', text)` with `re_decimal = r'\.0*\s*$'`: drops a trailing `.000  `. */
function withoutZeroFraction(text: string): string {
  let end = text.length;
  while (end > 0 && isPythonWhitespace(text.charCodeAt(end - 1))) end--;
  while (end > 0 && text[end - 1] === '0') end--;
  return end > 0 && text[end - 1] === '.' ? text.slice(0, end - 1) : text;
}

/** Python's `int(text)` in base 10: whitespace, a sign, Unicode digits, single `_` between digits. */
function pythonInt(text: string): bigint | undefined {
  const ascii = asciiDigits(strip(text));
  return /^[+-]?\d+(?:_\d+)*$/.test(ascii) ? BigInt(ascii.replaceAll('_', '')) : undefined;
}
