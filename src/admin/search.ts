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

/** `column LIKE pattern ESCAPE '\'`, case-insensitive on both databases (ILIKE on PostgreSQL). */
export function likeContains(column: string, text: string, dialect: Dialect): RawBuilder<boolean> {
  const pattern = searchPattern(text);
  return dialect === 'sqlite'
    ? sql<boolean>`${sql.ref(column)} like ${pattern} escape '\\'`
    : sql<boolean>`${sql.ref(column)} ilike ${pattern} escape '\\'`;
}
