// How keygate reads PostgreSQL values: timestamptz as DRF's ISO text, bigint as a number.
import pg from 'pg';

const PG_TIMESTAMPTZ = 1184;
const PG_INT8 = 20;

/** `2026-11-27 23:29:42.74841+00` (the session runs in UTC) -> `2026-11-27T23:29:42.748410Z`. */
export function pgTimestampToIso(text: string): string {
  const match = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?([+-]\d{2}(?::?\d{2})?)?$/.exec(
    text,
  );
  if (match === null) return text;
  const [, day, time, fraction = '', offset = '+00'] = match;
  if (/^[+-]00(:?00)?$/.test(offset)) return `${day}T${time}.${fraction.padEnd(6, '0')}Z`;
  // Only reached if the session time zone is not UTC: go through Date, keeping the microseconds.
  const millis = Date.parse(`${day}T${time}${offset.length === 3 ? `${offset}:00` : offset}`);
  return `${new Date(millis).toISOString().slice(0, 19)}.${fraction.padEnd(6, '0')}Z`;
}

/** The type parsers of every keygate query (pg's own for the types not named here). */
export const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === PG_TIMESTAMPTZ) return pgTimestampToIso;
    // BIGINT: counts and cents. Every value keygate stores fits in 2^53.
    if (oid === PG_INT8) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format) as (value: string) => unknown;
  },
};
