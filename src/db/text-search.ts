// Text conditions both dialects build alike (escaped LIKE patterns, prefix ranges, the NUL rule).
import { sql, type RawBuilder } from 'kysely';

/** The highest code point: `prefix + TOP` sorts after every string that starts with `prefix`. */
const TOP = '\u{10FFFF}';

/**
 * A LIKE pattern matching `text` anywhere. `%`, `_` and `\` in what was typed match themselves
 * (escaped with `\`, declared by the ESCAPE clause {@link likeContains} adds).
 */
export function searchPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * Whether `text` can be searched for at all. No stored text holds a NUL (every field refuses it, as
 * Django's ProhibitNullCharactersValidator does), and PostgreSQL refuses NUL in a text parameter, so
 * a search containing one matches nothing and never reaches the database as a parameter.
 */
export function searchable(text: string): boolean {
  return !text.includes('\0');
}

/** `column <operator> pattern ESCAPE '\'` for `text` anywhere in `column`; `1 = 0` for a NUL. */
export function likeContains(operator: 'like' | 'ilike', column: string, text: string): RawBuilder<boolean> {
  if (!searchable(text)) return sql<boolean>`1 = 0`;
  return sql<boolean>`${sql.ref(column)} ${sql.raw(operator)} ${searchPattern(text)} escape '\\'`;
}

/**
 * `ordered >= prefix AND ordered < prefix + U+10FFFF`: a prefix match where `ordered` compares by
 * code point; `1 = 0` for a NUL.
 */
export function codePointPrefix(ordered: RawBuilder<string>, prefix: string): RawBuilder<boolean> {
  if (!searchable(prefix)) return sql<boolean>`1 = 0`;
  return sql<boolean>`(${ordered} >= ${prefix} and ${ordered} < ${prefix + TOP})`;
}
