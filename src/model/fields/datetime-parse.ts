// Django's parse_datetime (datetime.fromisoformat, then its own regex), made aware in UTC as DRF's DateTimeField does.
import * as pythonText from '../../fields/index.js';

const { asciiDigits, PYTHON_WHITESPACE } = pythonText;

/** Outcome of {@link parseDateTime}: the UTC instant as stored text, or why DRF refuses it. */
export type DateTimeParse =
  | { readonly ok: true; readonly timestamp: string }
  | { readonly ok: false; readonly reason: 'invalid' | 'overflow' };

// Python 3.11+ datetime.fromisoformat, the common forms: YYYY-MM-DD or YYYYMMDD; then any one
// separator and HH[:MM[:SS[.f+]]] (or HHMM[SS]); then Z or +HH[:MM[:SS[.ffffff]]]. ASCII digits only.
const FROM_ISO =
  /^(\d{4})-?(\d{2})-?(\d{2})(?:[^]((\d{2})(?::?(\d{2})(?::?(\d{2})(?:[.,](\d+))?)?)?)(Z|[+-]\d{2}(?::?\d{2}(?::?\d{2}(?:\.\d{1,6})?)?)?)?)?$/;
const SPACE = `[${PYTHON_WHITESPACE.map((unit) => `\\u${unit.toString(16).padStart(4, '0')}`).join('')}]`;
// django/utils/dateparse.py datetime_re (on text whose Unicode digits are made ASCII); `$` also
// matches before a final newline, as Python's does.
const DJANGO = new RegExp(
  '^(\\d{4})-(\\d{1,2})-(\\d{1,2})[T ](\\d{1,2}):(\\d{1,2})(?::(\\d{1,2})(?:[.,](\\d{1,6})\\d*)?)?' +
    `${SPACE}*(Z|[+-]\\d{2}(?::?\\d{2})?)?\\n?$`,
);

interface Parts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  micro: number;
  offsetMicros: number; // east of UTC; naive is UTC (keygate's TIME_ZONE)
}

const MICROS_PER_MINUTE = 60_000_000;
const DAY_MICROS = 24 * 60 * MICROS_PER_MINUTE;

function fraction(digits: string | undefined): number {
  return digits === undefined ? 0 : Number(digits.slice(0, 6).padEnd(6, '0'));
}

/** A `Z`/`+HH[:MM[:SS[.ffffff]]]` suffix in microseconds (Django's form has no seconds). */
function offsetOf(tz: string | undefined): number {
  if (tz === undefined || tz === 'Z') return 0;
  const digits = tz.slice(1).replaceAll(':', '');
  const [whole = '', micro] = digits.split('.');
  const minutes = Number(whole.slice(0, 2)) * 60 + Number(whole.slice(2, 4) || '0');
  const micros = minutes * MICROS_PER_MINUTE + Number(whole.slice(4, 6) || '0') * 1e6 + fraction(micro);
  return tz.startsWith('-') ? -micros : micros;
}

function fromIso(text: string): Parts | undefined {
  const m = FROM_ISO.exec(text);
  if (!m) return undefined;
  const extendedDate = text[4] === '-';
  if (extendedDate !== (text[7] === '-')) return undefined;
  return {
    year: Number(m[1]),
    month: Number(m[2]),
    day: Number(m[3]),
    hour: Number(m[5] ?? 0),
    minute: Number(m[6] ?? 0),
    second: Number(m[7] ?? 0),
    micro: fraction(m[8]),
    offsetMicros: offsetOf(m[9]),
  };
}

function fromDjango(text: string): Parts | undefined {
  const m = DJANGO.exec(asciiDigits(text));
  if (!m) return undefined;
  const tz = m[8];
  let offsetMicros = 0;
  if (tz !== undefined && tz !== 'Z') {
    const minutes = Number(tz.slice(1, 3)) * 60 + (tz.length > 3 ? Number(tz.slice(-2)) : 0);
    offsetMicros = (tz.startsWith('-') ? -minutes : minutes) * MICROS_PER_MINUTE;
  }
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map((part) => Number(part ?? 0));
  return {
    year: year!,
    month: month!,
    day: day!,
    hour: hour!,
    minute: minute!,
    second: second!,
    micro: fraction(m[7]),
    offsetMicros,
  };
}

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}

/** Epoch microseconds of a proleptic Gregorian UTC date-time (years 1..9999 included). */
function epochMicros(p: Omit<Parts, 'offsetMicros'>): number {
  const date = new Date(0);
  date.setUTCFullYear(p.year, p.month - 1, p.day);
  date.setUTCHours(p.hour, p.minute, p.second, 0);
  return date.getTime() * 1000 + p.micro;
}

/** Epoch microseconds as keygate's stored timestamp, `YYYY-MM-DDTHH:MM:SS.ffffffZ`. */
export function formatMicros(micros: number): string {
  const millis = Math.floor(micros / 1000);
  const date = new Date(millis);
  const year = String(date.getUTCFullYear()).padStart(4, '0');
  const rest = date.toISOString().slice(-20, -5); // -MM-DDTHH:MM:SS
  const fractionDigits = String(micros - Math.floor(micros / 1e6) * 1e6).padStart(6, '0');
  return `${year}${rest}.${fractionDigits}Z`;
}

const MIN_MICROS = epochMicros({ year: 1, month: 1, day: 1, hour: 0, minute: 0, second: 0, micro: 0 });
const MAX_MICROS = epochMicros({
  year: 9999,
  month: 12,
  day: 31,
  hour: 23,
  minute: 59,
  second: 59,
  micro: 999999,
});

/**
 * DRF DateTimeField.to_internal_value with `ISO_8601` and USE_TZ in UTC: Django's `parse_datetime`
 * (`datetime.fromisoformat`, else Django's regex); a date alone is midnight; out-of-range parts are
 * invalid (`datetime()` raises ValueError); an offset is converted to UTC (`astimezone`, whose
 * OverflowError past year 1..9999 is 'overflow'); a naive value is taken as UTC.
 */
export function parseDateTime(raw: unknown): DateTimeParse {
  if (typeof raw !== 'string') return { ok: false, reason: 'invalid' };
  const parts = fromIso(raw) ?? fromDjango(raw);
  if (parts === undefined) return { ok: false, reason: 'invalid' };
  const { year, month, day, hour, minute, second, offsetMicros } = parts;
  const valid =
    year >= 1 &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month) &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59 &&
    Math.abs(offsetMicros) < DAY_MICROS;
  if (!valid) return { ok: false, reason: 'invalid' };
  const utc = epochMicros(parts) - offsetMicros;
  if (utc < MIN_MICROS || utc > MAX_MICROS) return { ok: false, reason: 'overflow' };
  return { ok: true, timestamp: formatMicros(utc) };
}
