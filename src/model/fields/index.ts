// The field constructors of a keygate model, as one `fields` namespace (`fields.char({ maxLength: 100 })`).
import { boolean } from './boolean.js';
import { char, email, text } from './char.js';
import { dateTime } from './datetime.js';
import { decimal } from './decimal.js';
import { integer } from './integer.js';
import { foreignKey, owner } from './relation.js';

/** The field constructors of {@link fields}. */
export interface FieldConstructors {
  /**
   * Django's `CharField` -> DRF's `CharField`: trimmed text (`trim: false` keeps it), `maxLength`,
   * `minLength`, `blank` (allows `''`), no NUL or lone surrogate; numbers are taken as their text.
   */
  readonly char: typeof char;
  /** Django's `TextField`: a `char` without a length limit, edited in a textarea. */
  readonly text: typeof text;
  /** Django's `EmailField`: a `char` (254 at most) checked by Django's `EmailValidator`. */
  readonly email: typeof email;
  /**
   * Django's `IntegerField` -> DRF's `IntegerField`: whole numbers (also `"7"` and `"7.0"`), within
   * `min`/`max` (default the 32-bit range, as Django's range validators).
   */
  readonly integer: typeof integer;
  /**
   * Django's `DecimalField(max_digits, decimal_places)` -> DRF's `DecimalField`: exact decimals,
   * shown as strings with every place (`"20.48"`), stored as a scaled integer (`2048`): `maxDigits`
   * is at most 15.
   */
  readonly decimal: typeof decimal;
  /** Django's `BooleanField` -> DRF's `BooleanField`: `true`/`false`, `"yes"`, `"on"`, `1`, ...; an unticked form box is false. */
  readonly boolean: typeof boolean;
  /**
   * Django's `DateTimeField` -> DRF's `DateTimeField`: ISO 8601 in, made UTC, shown as
   * `2026-12-06T10:00:00.123456Z`; `autoNowAdd`/`autoNow` set it on create/each save (read-only).
   */
  readonly dateTime: typeof dateTime;
  /**
   * Django's `ForeignKey` -> DRF's `PrimaryKeyRelatedField`: the related row's id, checked to exist;
   * stored in `<name>_id`.
   */
  readonly foreignKey: typeof foreignKey;
  /** A read-only `ForeignKey` to the user, set to the requesting user on create (stored in `<name>_id`). */
  readonly owner: typeof owner;
}

/** Constructors of model fields, each DRF's ModelSerializer field for the matching Django model field. */
export const fields: FieldConstructors = Object.freeze({
  char,
  text,
  email,
  integer,
  decimal,
  boolean,
  dateTime,
  foreignKey,
  owner,
});

export type { BooleanFieldOptions } from './boolean.js';
export type { CharFieldOptions } from './char.js';
export type { DateTimeFieldOptions } from './datetime.js';
export type { DecimalFieldOptions } from './decimal.js';
export type { IntegerFieldOptions } from './integer.js';
export type { ForeignKeyOptions, OwnerFieldOptions, OwnerOptions, RelatedModel } from './relation.js';
export { BOOLEAN_MESSAGES } from './boolean.js';
export { CHAR_MESSAGES } from './char.js';
export { DATETIME_MESSAGES, representTimestamp } from './datetime.js';
export { DECIMAL_MESSAGES, formatScaled, parseScaledDecimal } from './decimal-number.js';
export { MAX_DECIMAL_DIGITS } from './decimal.js';
export { INTEGER_MESSAGES, INTEGER_RANGE } from './integer.js';
export { RELATION_MESSAGES } from './relation.js';
