// The field constructors of a keygate model, as one `fields` namespace (`fields.char({ maxLength: 100 })`).
import { boolean } from './boolean.js';
import { char, email, text } from './char.js';
import { dateTime } from './datetime.js';
import { decimal } from './decimal.js';
import { integer } from './integer.js';
import { foreignKey, owner } from './relation.js';

/** Constructors of model fields, each DRF's ModelSerializer field for the matching Django model field. */
export const fields = Object.freeze({
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
export type { ForeignKeyOptions, OwnerOptions } from './relation.js';
export { BOOLEAN_MESSAGES } from './boolean.js';
export { CHAR_MESSAGES } from './char.js';
export { DATETIME_MESSAGES, representTimestamp } from './datetime.js';
export { DECIMAL_MESSAGES, formatScaled, parseScaledDecimal } from './decimal-number.js';
export { MAX_DECIMAL_DIGITS } from './decimal.js';
export { INTEGER_MESSAGES, INTEGER_RANGE } from './integer.js';
export { RELATION_MESSAGES } from './relation.js';
