// Kysely's SqliteDialect over a better-sqlite3 handle: immediate transactions, cached statements, booleans bound as 0/1.
import type SQLite from 'better-sqlite3';
import {
  CompiledQuery,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type SqliteDialectConfig,
} from 'kysely';

/** Compiled SQLite statements kept per connection, keyed by their SQL text. */
const STATEMENT_CACHE_SIZE = 500;

/** `parameters` as better-sqlite3 binds them: it binds no booleans, and Kysely passes them as they are. */
export function bindable(parameters: readonly unknown[]): unknown[] {
  return parameters.map((p) => (typeof p === 'boolean' ? (p ? 1 : 0) : p));
}

/**
 * Transactions take SQLite's write lock when they begin (BEGIN IMMEDIATE). A deferred transaction
 * that reads and then writes cannot wait for another process's lock and fails with SQLITE_BUSY at
 * once; an immediate one waits up to busy_timeout, so several processes can share the file.
 */
class ImmediateTransactionDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class KeygateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new ImmediateTransactionDriver(this.#config);
  }
}

/**
 * The Kysely dialect writing through `writer`. Destroying the Kysely instance closes `writer` only
 * when `owned` (a handle the host passed in stays open).
 */
export function sqliteDialect(writer: SQLite.Database, owned: boolean): Dialect {
  // Deliberate cache: Kysely asks SQLite to compile every query it runs, and the SQL text of a query
  // shape never changes, so each text is compiled once (bounded; cleared wholesale when full).
  const statements = new Map<string, SQLite.Statement>();
  const preparedByText = (sql: string): SQLite.Statement => {
    let statement = statements.get(sql);
    if (statement === undefined) {
      if (statements.size >= STATEMENT_CACHE_SIZE) statements.clear();
      statement = writer.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  };

  // The shape Kysely's SqliteDialect expects, converting booleans on the way in.
  const kyselyView = {
    close: () => {
      if (owned) writer.close();
    },
    prepare(sql: string) {
      const statement = preparedByText(sql);
      return {
        get reader() {
          return statement.reader;
        },
        all: (parameters: readonly unknown[]) => statement.all(...bindable(parameters)),
        run: (parameters: readonly unknown[]) => statement.run(...bindable(parameters)),
        iterate: (parameters: readonly unknown[]) => statement.iterate(...bindable(parameters)),
      };
    },
  };
  return new KeygateSqliteDialect({ database: kyselyView });
}
