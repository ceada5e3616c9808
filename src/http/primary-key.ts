// The id in a resource's detail URL: Django's int() of the path segment, within the id column's range.
import { NotFound } from '../errors.js';

// Django casts a URL's pk with int(): sign, digits and underscores between digits are accepted.
const PK_PATTERN = /^\+?\d+(?:_\d+)*$/;
/** The largest id: id columns are 32-bit integers (Django's AutoField); PostgreSQL refuses larger values. */
export const MAX_PK = 2147483647;

/** The id a detail URL names, or a 404 (`/abc/`, `/-1/` and ids past the id column's range name nothing). */
export function parsePk(raw: string | undefined): number {
  if (raw === undefined || !PK_PATTERN.test(raw)) throw new NotFound();
  const id = Number(raw.replace(/[+_]/g, ''));
  if (!Number.isSafeInteger(id) || id > MAX_PK) throw new NotFound();
  return id;
}
