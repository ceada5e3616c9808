// The SQLite implementation of KeygateDatabase: better-sqlite3 in WAL mode, a writer and a read-only reader.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, sql, type CompiledQuery } from 'kysely';
import type { KeygateDatabase, PreparedQuery } from './keygate-database.js';
import type { Database as Schema } from './schema.js';
import { sqliteDataVersion } from './sqlite-data-version.js';
import { bindable, sqliteDialect } from './sqlite-dialect.js';
import { codePointPrefix, likeContains } from './text-search.js';
import { watchingDialect, WriteWatch } from './write-watch.js';

// better-sqlite3 is synchronous: a throw becomes a rejected promise, as an asynchronous driver's would.
function settled<T>(run: () => T): Promise<T> {
  return new Promise((resolve) => resolve(run()));
}

/**
 * What keygate relies on: WAL (its reader never sees a writer's uncommitted transaction), foreign
 * keys (deletes cascade), a wait for another process's lock instead of failing at once.
 */
function configureSqlite(connection: SQLite.Database): void {
  connection.pragma('journal_mode = WAL');
  connection.pragma('foreign_keys = ON');
  connection.pragma('busy_timeout = 5000');
  connection.pragma('synchronous = NORMAL');
}

/**
 * Opens SQLite: the file at `source` (created with its folder if missing; `:memory:` for an
 * in-memory database), or a better-sqlite3 handle the host already has. keygate writes through
 * the host's handle after setting the pragmas it relies on (WAL, foreign keys, busy_timeout 5000,
 * synchronous NORMAL), reads through a read-only connection of its own to the same file, and
 * leaves the handle open on `close()`.
 */
export function openSqlite(source: string | SQLite.Database): KeygateDatabase {
  const owned = typeof source === 'string';
  if (owned && source !== ':memory:') mkdirSync(dirname(source), { recursive: true });
  const writer = owned ? new SQLite(source) : source;
  const path = owned ? source : writer.name;
  const inMemory = owned ? source === ':memory:' : writer.memory;
  configureSqlite(writer);
  let reader: SQLite.Database | null = null;
  const readConnection = (): SQLite.Database => {
    if (inMemory) return writer;
    if (reader === null) {
      reader = new SQLite(path, { readonly: true });
      reader.pragma('busy_timeout = 5000');
    }
    return reader;
  };

  const writes = new WriteWatch();
  const db = new Kysely<Schema>({ dialect: watchingDialect(sqliteDialect(writer, owned), writes) });

  return {
    db,
    dialect: 'sqlite',
    location: path,
    migratesItself: true,
    prepare<Row>(_name: string, query: CompiledQuery<Row>): PreparedQuery<Row> {
      // Rows come back as arrays and become objects here: better-sqlite3 builds each row object
      // property by property in C++, which took twice as long for a page of 20 products.
      let statement: SQLite.Statement | null = null;
      let columns: readonly string[] = [];
      const prepared = (): SQLite.Statement => {
        if (statement === null) {
          statement = readConnection().prepare(query.sql).raw(true);
          columns = statement.columns().map((column) => column.name);
        }
        return statement;
      };
      const toRow = (values: readonly unknown[]): Row => {
        const row: Record<string, unknown> = {};
        for (let i = 0; i < columns.length; i += 1) row[columns[i]!] = values[i];
        return row as Row;
      };
      return {
        execute: (parameters) =>
          settled(() => (prepared().all(...bindable(parameters)) as unknown[][]).map(toRow)),
        first: (parameters) =>
          settled(() => {
            const values = prepared().get(...bindable(parameters)) as unknown[] | undefined;
            return values === undefined ? undefined : toRow(values);
          }),
      };
    },
    onCommittedWrites: (listener) => writes.on(listener),
    // The read connection never writes, so every commit (through `writer` too) changes its version.
    dataVersion: inMemory ? null : sqliteDataVersion(readConnection),
    listen: () => null,
    notifyAndWait: () => Promise.resolve(),
    // SQLite's LIKE ignores ASCII case already.
    contains: (column, text) => likeContains('like', column, text),
    // SQLite's default collation, BINARY, compares code points (UTF-8 byte order is code point order).
    byCodePoint: (column) => sql<string>`${sql.ref(column)}`,
    startsWith: (column, prefix) => codePointPrefix(sql<string>`${sql.ref(column)}`, prefix),
    // A lock held past busy_timeout by another process: retrying later can succeed.
    isUnavailable: (error) => error instanceof SQLite.SqliteError && error.code.startsWith('SQLITE_BUSY'),
    isUniqueViolation: (error) =>
      error instanceof SQLite.SqliteError &&
      (error.code === 'SQLITE_CONSTRAINT_UNIQUE' || error.code === 'SQLITE_CONSTRAINT_PRIMARYKEY'),
    async close() {
      await db.destroy();
      reader?.close();
    },
  };
}
