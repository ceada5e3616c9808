// Opens keygate's database from a DATABASE_URL or a handle the host already has, choosing the dialect.
import type SQLite from 'better-sqlite3';
import type pg from 'pg';
import { sqlitePath } from './database-url.js';
import type { KeygateDatabase } from './keygate-database.js';
import { openPostgres } from './postgres-database.js';
import { openSqlite } from './sqlite-database.js';

/**
 * What keygate opens: a DATABASE_URL (`sqlite:path`, `sqlite::memory:`, `postgres://...`), or a
 * database the host application already has: a `pg.Pool` or a better-sqlite3 `Database`. keygate
 * closes only what it opened: a host's pool or handle stays open after `close()`.
 */
export type DatabaseSource = string | pg.Pool | SQLite.Database;

/** Options for opening a database. */
export interface OpenOptions {
  /** PostgreSQL pool size when keygate opens the pool itself (a host's pool keeps its own size). */
  readonly poolSize?: number;
}

function isSqliteHandle(source: pg.Pool | SQLite.Database): source is SQLite.Database {
  // Not `instanceof`: the host may load its own copy of better-sqlite3 or pg.
  return typeof (source as Partial<SQLite.Database>).pragma === 'function';
}

/** Opens the database `source` names or is. See {@link DatabaseSource}. */
export function openDatabase(source: DatabaseSource, options: OpenOptions = {}): KeygateDatabase {
  if (typeof source === 'string') {
    if (source.startsWith('sqlite:')) return openSqlite(sqlitePath(source));
    return openPostgres(source, options.poolSize ?? 10);
  }
  return isSqliteHandle(source) ? openSqlite(source) : openPostgres(source, options.poolSize ?? 10);
}
