// SQLite's cross-process change signal: PRAGMA data_version, read synchronously on a connection that never writes.
import type SQLite from 'better-sqlite3';

/**
 * A function returning SQLite's `PRAGMA data_version` on `readConnection()`: it changes whenever
 * another connection (this process's writer, another process, the sqlite3 shell) has committed
 * since the last read, and never for the reading connection's own writes, so that connection must
 * not write. A few microseconds, no waiting on another process.
 */
export function sqliteDataVersion(readConnection: () => SQLite.Database): () => number {
  let statement: SQLite.Statement | null = null;
  return () => {
    statement ??= readConnection().prepare('PRAGMA data_version').pluck();
    return statement.get() as number;
  };
}
