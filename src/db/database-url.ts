// What a DATABASE_URL names, without connecting: its dialect and, for SQLite, its file.
import { resolve } from 'node:path';
import type { Dialect } from './keygate-database.js';

/** The file path of an `sqlite:` URL (`sqlite::memory:` is an in-memory database). */
export function sqlitePath(url: string): string {
  const rest = url.slice('sqlite:'.length);
  if (rest === ':memory:') return rest;
  if (rest.startsWith('///')) return rest.slice(2);
  if (rest.startsWith('//')) return resolve(rest.slice(2));
  return resolve(rest);
}

/** The dialect a DATABASE_URL names, without connecting. */
export function dialectOf(url: string): Dialect {
  return url.startsWith('sqlite:') ? 'sqlite' : 'postgres';
}
