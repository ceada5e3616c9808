// BooleanField: DRF's TRUE_VALUES / FALSE_VALUES / NULL_VALUES, and an unticked checkbox meaning false.
import { Type } from 'typebox';
import { accept, refuse, type Checked, type CommonFieldOptions, type ModelField } from '../field.js';
import { makeField } from './common.js';

/** Options of `fields.boolean`. */
export type BooleanFieldOptions = CommonFieldOptions<boolean>;

/** DRF BooleanField's message. */
export const BOOLEAN_MESSAGES = Object.freeze({ invalid: 'Must be a valid boolean.' });

// rest_framework/fields.py BooleanField: strings compared after str.lower(); 1 == 1.0 == True in Python sets.
const TRUE_STRINGS: ReadonlySet<string> = new Set(['t', 'y', 'yes', 'true', 'on', '1']);
const FALSE_STRINGS: ReadonlySet<string> = new Set(['f', 'n', 'no', 'false', 'off', '0']);
const NULL_STRINGS: ReadonlySet<string> = new Set(['null', '']);

/** BooleanField.to_internal_value; lists and objects are unhashable in Python (TypeError) and so invalid. */
export function parseBoolean(raw: unknown, allowNull: boolean): Checked<boolean | null> {
  if (raw === true || raw === 1) return accept(true);
  if (raw === false || raw === 0) return accept(false);
  if (typeof raw === 'string') {
    const lowered = raw.toLowerCase();
    if (TRUE_STRINGS.has(lowered)) return accept(true);
    if (FALSE_STRINGS.has(lowered)) return accept(false);
    if (allowNull && NULL_STRINGS.has(lowered)) return accept(null);
  }
  return refuse(BOOLEAN_MESSAGES.invalid);
}

/**
 * Django BooleanField -> DRF BooleanField. Stored as 0/1 on both databases (an integer column), read
 * back from 0/1, `'0'`/`'1'` or a PostgreSQL boolean. In a form body (not PATCH), a missing key is
 * `false` (`default_empty_html = False`: an unticked checkbox sends nothing), or null when nullable.
 */
export function boolean(options: BooleanFieldOptions = {}): ModelField<boolean, BooleanFieldOptions> {
  const allowNull = options.null === true;
  return makeField<boolean, BooleanFieldOptions>({
    kind: 'boolean',
    options,
    type: 'boolean',
    formAbsentValue: allowNull ? null : false,
    parse: (raw) => parseBoolean(raw, allowNull),
    // A `boolean` column on both databases (keygate's SQLite driver binds booleans as 1 and 0).
    toColumn: (value) => value,
    fromColumn: (stored) =>
      stored === true || stored === 1 || stored === '1' || stored === 't' || stored === 1n,
    represent: (value) => value,
    output: () => Type.Boolean(),
  });
}
