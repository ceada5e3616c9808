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

/**
 * The database a DATABASE_URL names, for a person and without its password: `SQLite file <path>`,
 * or `PostgreSQL database <name> on <host>:<port>`.
 */
export function describeDatabase(url: string): string {
  if (dialectOf(url) === 'sqlite') {
    const path = sqlitePath(url);
    return path === ':memory:' ? 'SQLite in memory' : `SQLite file ${path}`;
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'PostgreSQL';
  }
  const host = parsed.searchParams.get('host') ?? (parsed.hostname || 'localhost');
  const name = decodeURIComponent(parsed.pathname.slice(1)) || decodeURIComponent(parsed.username);
  return `PostgreSQL database ${name} on ${host}:${parsed.port || '5432'}`;
}
