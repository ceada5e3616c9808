// DRF's serializers.CharField (no length limits): the blank, required and null checks, coercion, validators.
import { pythonNumberText } from '../fields/python-str.js';
import { strip } from '../fields/python-text.js';

/** The messages CharField and its always-on validators raise. */
export const CHAR_FIELD_MESSAGES = Object.freeze({
  required: 'This field is required.',
  null: 'This field may not be null.',
  blank: 'This field may not be blank.',
  invalid: 'Not a valid string.',
  nullCharacters: 'Null characters are not allowed.',
});

/** CharField's options that matter here; `allow_blank` and `allow_null` are DRF's default False. */
export interface CharFieldOptions {
  /** DRF's `trim_whitespace` (default true): strip Python whitespace before and after validation. */
  readonly trimWhitespace?: boolean;
}

/** Outcome of {@link runCharField}: the internal value, or the field's messages. */
export type CharFieldResult =
  { readonly ok: true; readonly value: string } | { readonly ok: false; readonly messages: string[] };

const fail = (...messages: string[]): CharFieldResult => ({ ok: false, messages });

/** The first code unit of a lone surrogate (Python sees one as a character of its own). */
function firstLoneSurrogate(text: string): number | undefined {
  for (const ch of text) {
    const unit = ch.charCodeAt(0);
    if (ch.length === 1 && unit >= 0xd800 && unit <= 0xdfff) return unit;
  }
  return undefined;
}

/**
 * `CharField.run_validation(raw)`, `undefined` standing for DRF's `empty` (the key is missing).
 * DRF's order: the blank test comes first (`data == ''`, or, when trimming, `str(data).strip() == ''`;
 * only a string can pass it), then `validate_empty_values` (required, null), then
 * `to_internal_value` (booleans and composites are not strings; numbers go through Python's
 * `str()`; trimmed when asked), then every validator, whose messages accumulate:
 * ProhibitNullCharactersValidator and ProhibitSurrogateCharactersValidator.
 */
export function runCharField(raw: unknown, options: CharFieldOptions = {}): CharFieldResult {
  const trim = options.trimWhitespace ?? true;
  if (typeof raw === 'string' && (raw === '' || (trim && strip(raw) === ''))) {
    return fail(CHAR_FIELD_MESSAGES.blank);
  }
  if (raw === undefined) return fail(CHAR_FIELD_MESSAGES.required);
  if (raw === null) return fail(CHAR_FIELD_MESSAGES.null);
  if (typeof raw !== 'string' && typeof raw !== 'number') return fail(CHAR_FIELD_MESSAGES.invalid);
  const text = typeof raw === 'string' ? raw : pythonNumberText(raw);
  const value = trim ? strip(text) : text;

  const messages: string[] = [];
  if (value.includes('\0')) messages.push(CHAR_FIELD_MESSAGES.nullCharacters);
  const surrogate = firstLoneSurrogate(value);
  if (surrogate !== undefined) {
    messages.push(`Surrogate characters are not allowed: U+${surrogate.toString(16).toUpperCase()}.`);
  }
  return messages.length > 0 ? fail(...messages) : { ok: true, value };
}
