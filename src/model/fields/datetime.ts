// DateTimeField: ISO 8601 input made UTC, stored as keygate's timestamp text, shown as DRF's isoformat with Z.
import { Type } from 'typebox';
import { nowTimestamp } from '../../time.js';
import { accept, refuse, type CommonFieldOptions, type ModelField } from '../field.js';
import { makeField } from './common.js';
import { parseDateTime } from './datetime-parse.js';

/** Options of `fields.dateTime`; values are stored timestamps (`2026-11-27T23:29:42.748410Z`). */
export interface DateTimeFieldOptions extends CommonFieldOptions<string> {
  /** Django `auto_now`: read-only, set to now by the engine on every save (create and update). */
  readonly autoNow?: boolean;
  /** Django `auto_now_add`: read-only, set to now by the engine on create. */
  readonly autoNowAdd?: boolean;
}

/** DRF DateTimeField's messages with `ISO_8601` as the only input format. */
export const DATETIME_MESSAGES = Object.freeze({
  invalid:
    'Datetime has wrong format. Use one of these formats instead: ' +
    'YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].',
  /** Only for a Python `date` object: JSON and form text never gives one (a date alone is midnight). */
  date: 'Expected a datetime but got a date.',
  overflow: 'Datetime value out of range.',
});

const ZERO_MICROSECONDS = '.000000Z';

/**
 * DRF's `to_representation` with `ISO_8601`: `value.isoformat()` with `+00:00` as `Z`, which leaves
 * out the microseconds when they are zero (`2026-01-02T10:20:00Z`).
 */
export function representTimestamp(stored: string): string {
  return stored.endsWith(ZERO_MICROSECONDS) ? `${stored.slice(0, -ZERO_MICROSECONDS.length)}Z` : stored;
}

/**
 * Django DateTimeField -> DRF DateTimeField. `autoNow`/`autoNowAdd` make it read-only (Django sets
 * `editable=False`) and give create its value (`defaultValue()` is now); the engine also sets an
 * `autoNow` field on update (`savedValues`).
 */
export function dateTime(options: DateTimeFieldOptions = {}): ModelField<string, DateTimeFieldOptions> {
  const automatic = options.autoNow === true || options.autoNowAdd === true;
  return makeField<string, DateTimeFieldOptions>({
    kind: 'datetime',
    options,
    type: 'datetime',
    readOnly: automatic,
    ...(automatic && { defaultValue: nowTimestamp }),
    parse(raw) {
      const parsed = parseDateTime(raw);
      if (parsed.ok) return accept(parsed.timestamp);
      return refuse(parsed.reason === 'overflow' ? DATETIME_MESSAGES.overflow : DATETIME_MESSAGES.invalid);
    },
    toColumn: (value) => value,
    fromColumn: (stored) =>
      stored instanceof Date ? `${stored.toISOString().slice(0, 23)}000Z` : String(stored),
    represent: representTimestamp,
    output: () => Type.String({ format: 'date-time', examples: ['2026-11-27T23:29:42.748410Z'] }),
  });
}
