// The admin's search: case-insensitive "contains" on both databases, with LIKE's wildcards escaped.
import { sql, type RawBuilder } from 'kysely';
import type { Dialect } from '../db/database.js';

/**
 * A LIKE pattern matching `text` anywhere. `%`, `_` and `\` in what was typed match themselves
 * (escaped with `\`, declared by the ESCAPE clause callers add through {@link likeContains}).
 */
export function searchPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * Whether `text` can be searched for at all. No stored text holds a NUL (every field refuses it, as
 * Django's ProhibitNullCharactersValidator does), and PostgreSQL refuses NUL in a text parameter, so
 * a search containing one matches nothing and never reaches the database.
 */
export function searchable(text: string): boolean {
  return !text.includes('\0');
}

/** `column LIKE pattern ESCAPE '\'`, case-insensitive on both databases (ILIKE on PostgreSQL). */
export function likeContains(column: string, text: string, dialect: Dialect): RawBuilder<boolean> {
  if (!searchable(text)) return sql<boolean>`1 = 0`;
  const pattern = searchPattern(text);
  return dialect === 'sqlite'
    ? sql<boolean>`${sql.ref(column)} like ${pattern} escape '\\'`
    : sql<boolean>`${sql.ref(column)} ilike ${pattern} escape '\\'`;
}
