// CharField, TextField and EmailField: DRF's CharField rules (blank, trim, str() of numbers) and accumulated validators.
import { Type } from 'typebox';
import * as pythonText from '../../fields/index.js';
import { accept, refuse, type Checked, type CommonFieldOptions, type ModelField } from '../field.js';
import { isDjangoEmail } from './email-validator.js';
import { makeField } from './common.js';

const { codePointLength, pythonNumberText, strip, PYTHON_WHITESPACE } = pythonText;

// Input patterns: everything they match the field accepts (it accepts more: numbers as their text,
// surrounding whitespace). Each is linear to match (no nested or overlapping repetition) and uses
// only JSON Schema's recommended regex subset, with code units written as \u escapes.
const hex = (unit: number) => `\\u${unit.toString(16).padStart(4, '0')}`;

/** A character class body for sorted UTF-16 code units, runs written as ranges (`\u2000-\u200a`). */
function classOf(units: readonly number[]): string {
  let body = '';
  for (let i = 0; i < units.length; i++) {
    let end = i;
    while (end + 1 < units.length && units[end + 1] === units[end]! + 1) end++;
    body += end > i ? `${hex(units[i]!)}-${hex(units[end]!)}` : hex(units[i]!);
    i = end;
  }
  return body;
}

/** Python's whitespace, which DRF's CharField trims (`str.strip()`), as a character class body. */
const SPACE = classOf(PYTHON_WHITESPACE);
/** What CharField's validators refuse: NUL (ProhibitNullCharactersValidator) and lone surrogates. */
const REFUSED = `${hex(0)}${hex(0xd800)}-${hex(0xdfff)}`;

/**
 * The input pattern of a char or text field: no NUL or surrogate code unit; unless blank is allowed,
 * at least one character that is not whitespace when trimmed (leading whitespace, then one such
 * character, then anything allowed), or at least one character when not trimmed.
 */
export function charPattern(options: Pick<CharFieldOptions, 'blank' | 'trim'>): string {
  if (options.blank === true) return `^[^${REFUSED}]*$`;
  if (options.trim === false) return `^[^${REFUSED}]+$`;
  return `^[${SPACE}]*[^${SPACE}${REFUSED}][^${REFUSED}]*$`;
}

/** Options of `fields.char`, `fields.text` and `fields.email`. */
export interface CharFieldOptions extends CommonFieldOptions<string> {
  /** Django `max_length`: MaxLengthValidator, in code points as Python's `len`. */
  readonly maxLength?: number;
  /** DRF `min_length`: MinLengthValidator. */
  readonly minLength?: number;
  /** DRF `trim_whitespace` (default true): Python's `str.strip()` before the validators. */
  readonly trim?: boolean;
}

/** The messages DRF's CharField and Django's validators give. */
export const CHAR_MESSAGES = Object.freeze({
  invalid: 'Not a valid string.',
  blank: 'This field may not be blank.',
  maxLength: (limit: number) => `Ensure this field has no more than ${limit} characters.`,
  minLength: (limit: number) => `Ensure this field has at least ${limit} characters.`,
  nullCharacters: 'Null characters are not allowed.',
  surrogate: (unit: number) => `Surrogate characters are not allowed: U+${unit.toString(16).toUpperCase()}.`,
  email: 'Enter a valid email address.',
});

function firstLoneSurrogate(text: string): number | undefined {
  for (const ch of text) {
    const unit = ch.charCodeAt(0);
    if (ch.length === 1 && unit >= 0xd800 && unit <= 0xdfff) return unit;
  }
  return undefined;
}

/**
 * DRF CharField.run_validation: `''` (or, trimmed, whitespace alone) is `''` when `allow_blank` with
 * no validator run, else 'may not be blank'; then `to_internal_value` (str, int and float through
 * Python's `str()`; bool and the rest refused), then every validator with messages accumulated
 * (Field.run_validators): MaxLength, MinLength, ProhibitNullCharacters, ProhibitSurrogateCharacters,
 * then EmailValidator for an EmailField (EmailField.__init__ appends it last).
 */
function parseChar(raw: unknown, options: CharFieldOptions, email: boolean): Checked<string> {
  const trim = options.trim !== false;
  if (raw === '' || (trim && typeof raw === 'string' && strip(raw) === '')) {
    return options.blank === true ? accept('') : refuse(CHAR_MESSAGES.blank);
  }
  if (typeof raw !== 'string' && typeof raw !== 'number') return refuse(CHAR_MESSAGES.invalid);
  const given = typeof raw === 'string' ? raw : pythonNumberText(raw);
  const text = trim ? strip(given) : given;
  const messages: string[] = [];
  const length = codePointLength(text);
  if (options.maxLength !== undefined && length > options.maxLength)
    messages.push(CHAR_MESSAGES.maxLength(options.maxLength));
  if (options.minLength !== undefined && length < options.minLength)
    messages.push(CHAR_MESSAGES.minLength(options.minLength));
  if (text.includes('\0')) messages.push(CHAR_MESSAGES.nullCharacters);
  const surrogate = firstLoneSurrogate(text);
  if (surrogate !== undefined) messages.push(CHAR_MESSAGES.surrogate(surrogate));
  if (email && !isDjangoEmail(text)) messages.push(CHAR_MESSAGES.email);
  return messages.length > 0 ? refuse(...messages) : accept(text);
}

/** What a char, text or email field accepts, in words (its input schema's description). */
export function charRules(options: CharFieldOptions, email: boolean): string {
  const trim = options.trim !== false;
  const parts: string[] = [];
  if (trim) parts.push('Trimmed of surrounding whitespace');
  if (options.blank === true) parts.push(trim ? 'whitespace alone is stored as ""' : 'may be ""');
  else parts.push(trim ? 'may not be blank (whitespace only)' : 'may not be ""');
  if (options.minLength !== undefined) parts.push(`at least ${options.minLength} characters (code points)`);
  if (options.maxLength !== undefined) parts.push(`at most ${options.maxLength} characters (code points)`);
  else parts.push('any length');
  parts.push('no NUL or lone surrogate');
  if (email) parts.push("a valid email address (Django's EmailValidator)");
  return `${parts.join('; ')}. A JSON number is accepted too, as its text.`;
}

function charLike(
  kind: 'char' | 'text' | 'email',
  type: string,
  options: CharFieldOptions,
): ModelField<string, CharFieldOptions> {
  const limits: Record<string, number> = {};
  if (options.minLength !== undefined) limits.min_length = options.minLength;
  if (options.maxLength !== undefined) limits.max_length = options.maxLength;
  const bounds = {
    ...(options.maxLength !== undefined && { maxLength: options.maxLength }),
    ...(kind === 'email' && { format: 'email' }),
  };
  return makeField<string, CharFieldOptions>({
    kind,
    options,
    type,
    limits,
    allowBlank: options.blank === true,
    parse: (raw) => parseChar(raw, options, kind === 'email'),
    rules: charRules(options, kind === 'email'),
    toColumn: (value) => value,
    fromColumn: (stored) => String(stored),
    represent: (value) => value,
    output: () => Type.String(bounds),
    input: () =>
      Type.String({
        ...bounds,
        ...(options.minLength !== undefined && { minLength: options.minLength }),
        ...(options.minLength === undefined && options.blank !== true && { minLength: 1 }),
        // An email's format says more; char and text fields get the pattern of what they accept.
        ...(kind !== 'email' && { pattern: charPattern(options) }),
      }),
  });
}

/** Django CharField -> DRF CharField (OPTIONS type `string`). */
export function char(options: CharFieldOptions = {}): ModelField<string, CharFieldOptions> {
  return charLike('char', 'string', options);
}

/** Django TextField -> DRF CharField shown as a textarea; no `max_length` unless given. */
export function text(options: CharFieldOptions = {}): ModelField<string, CharFieldOptions> {
  return charLike('text', 'string', options);
}

/** Django EmailField (`max_length` 254 by default) -> DRF EmailField (OPTIONS type `email`). */
export function email(options: CharFieldOptions = {}): ModelField<string, CharFieldOptions> {
  return charLike('email', 'email', { maxLength: 254, ...options });
}
