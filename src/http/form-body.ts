// A urlencoded body as Django reads it (QueryDict), for every framework keygate answers on.
import { parse as parseQueryString } from 'node:querystring';
import { ParseError } from '../errors.js';

/** Fields a form body may have (Django's DATA_UPLOAD_MAX_NUMBER_FIELDS); past it, a 400, never a cut. */
export const MAX_FORM_FIELDS = 1000;

/** Django's QueryDict gives the last value of a repeated form field. */
export function lastValues<T>(
  fields: Readonly<Record<string, T | T[] | undefined>>,
): Record<string, T | string> {
  const out: Record<string, T | string> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    out[key] = Array.isArray(value) ? (value.at(-1) ?? '') : value;
  }
  return out;
}

/** A urlencoded body as Django's QueryDict: the last value of a repeated field, and a bounded count. */
export function parseForm(text: string): Record<string, string> {
  // querystring stops at maxKeys pairs silently: one more than allowed tells a cut from a full form.
  const fields = parseQueryString(text, '&', '=', { maxKeys: MAX_FORM_FIELDS + 1 });
  let count = 0;
  for (const value of Object.values(fields)) count += Array.isArray(value) ? value.length : 1;
  if (count > MAX_FORM_FIELDS) {
    throw new ParseError(`Form parse error - Too many fields (at most ${MAX_FORM_FIELDS}).`);
  }
  return lastValues(fields);
}
