// Opens the database named by DATABASE_URL: SQLite (better-sqlite3, WAL) or PostgreSQL (pg).
// This folder is the only place in keygate that knows which one it is talking to.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import {
  CompiledQuery,
  Kysely,
  PostgresDialect,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type Driver,
  type SqliteDialectConfig,
} from 'kysely';
import pg from 'pg';
import { listenPostgres, PostgresWaiter } from './postgres-notifications.js';
import type { Database as Schema } from './schema.js';
import { watchingDialect, WriteWatch, type WriteListener } from './write-watch.js';

/** The SQL dialect behind a connection. */
export type Dialect = 'sqlite' | 'postgres';

/** A statement prepared once per connection and run many times with fresh parameters. */
export interface PreparedQuery<Row> {
  execute(parameters: readonly unknown[]): Promise<Row[]>;
  /** The first row, or undefined: on SQLite no result array is built. */
  first(parameters: readonly unknown[]): Promise<Row | undefined>;
}

/** An open database: the Kysely instance plus what Kysely cannot do fast enough on the hot path. */
export interface KeygateDatabase {
  readonly db: Kysely<Schema>;
  readonly dialect: Dialect;
  /** Where the data lives, for messages: a file path or a PostgreSQL URL without its password. */
  readonly location: string;
  /**
   * Prepares a compiled Kysely query once. On SQLite the statement runs on a separate read-only
   * connection (WAL readers never see another request's uncommitted transaction); on PostgreSQL it
   * is a named statement, parsed once per pooled connection.
   */
  prepare<Row>(name: string, query: CompiledQuery<Row>): PreparedQuery<Row>;
  /**
   * Calls `listener` after each write this process makes through `db` has committed (at once for a
   * single statement, at COMMIT for a transaction), before the writer's caller sees the result.
   * Returns a function that removes it.
   */
  onCommittedWrites(listener: WriteListener): () => void;
  /**
   * A number that differs from the last one read whenever anything (this process, another keygate
   * process, the sqlite3 shell) has committed to the database since, read synchronously: SQLite's
   * `PRAGMA data_version` on the read connection, a few microseconds and no waiting on another
   * process. Null where there is none: PostgreSQL (see {@link listen}), and an in-memory SQLite
   * database, which only this process writes.
   */
  readonly dataVersion: (() => number) | null;
  /**
   * Listens for notifications on `channel` from other processes. PostgreSQL: LISTEN over a
   * connection of its own, reconnecting when it is lost. Null on SQLite, which has no
   * notifications (see {@link dataVersion}).
   */
  listen(channel: string, handlers: NotificationHandlers): Notifications | null;
  /**
   * After a commit: notifies `channel`'s listeners in every other process and resolves once each
   * of them has handled it (PostgreSQL: a NOTIFY that every listening session answers), or after
   * `withinMs` if some do not answer. Never rejects. At once on SQLite, which has no listeners.
   * PostgreSQL's triggers also notify the channel at COMMIT, whoever writes; only a keygate
   * writer waits.
   */
  notifyAndWait(channel: string, withinMs: number): Promise<void>;
  /** True when a write failed on a unique constraint (a lost get-or-create race, a taken username). */
  isUniqueViolation(error: unknown): boolean;
  /** True when the database could not be reached or is shutting down: a 503, not a bug. */
  isUnavailable(error: unknown): boolean;
  close(): Promise<void>;
}

/** What a {@link KeygateDatabase.listen} caller is told. */
export interface NotificationHandlers {
  /** A notification arrived. */
  message(payload: string): void;
  /** Listening has (re)started: notifications sent while it was down were missed. */
  up(): void;
  /** The connection was lost: notifications are missed until `up`. */
  down(): void;
}

/** A running listener. */
export interface Notifications {
  close(): Promise<void>;
}

/** Options for opening a database. */
export interface OpenOptions {
  /** PostgreSQL pool size. */
  readonly poolSize?: number;
}

/** Opens the database a DATABASE_URL names. */
export function openDatabase(url: string, options: OpenOptions = {}): KeygateDatabase {
  if (url.startsWith('sqlite:')) return openSqlite(sqlitePath(url));
  return openPostgres(url, options.poolSize ?? 10);
}

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

// better-sqlite3 binds no booleans; Kysely hands it JavaScript values as they are.
function bindable(parameters: readonly unknown[]): unknown[] {
  return parameters.map((p) => (typeof p === 'boolean' ? (p ? 1 : 0) : p));
}

// better-sqlite3 is synchronous: a throw becomes a rejected promise, as an asynchronous driver's would.
function settled<T>(run: () => T): Promise<T> {
  return new Promise((resolve) => resolve(run()));
}

function configureSqlite(connection: SQLite.Database): void {
  connection.pragma('journal_mode = WAL');
  connection.pragma('foreign_keys = ON');
  connection.pragma('busy_timeout = 5000');
  connection.pragma('synchronous = NORMAL');
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

/** Compiled SQLite statements kept per connection, keyed by their SQL text. */
const STATEMENT_CACHE_SIZE = 500;

function openSqlite(path: string): KeygateDatabase {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const writer = new SQLite(path);
  configureSqlite(writer);
  let reader: SQLite.Database | null = null;
  const readConnection = (): SQLite.Database => {
    if (path === ':memory:') return writer;
    if (reader === null) {
      reader = new SQLite(path, { readonly: true });
      reader.pragma('busy_timeout = 5000');
    }
    return reader;
  };

  let versionStatement: SQLite.Statement | null = null;
  const dataVersion = (): number => {
    versionStatement ??= readConnection().prepare('PRAGMA data_version').pluck();
    return versionStatement.get() as number;
  };

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
    close: () => writer.close(),
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
  const writes = new WriteWatch();
  const db = new Kysely<Schema>({
    dialect: watchingDialect(new KeygateSqliteDialect({ database: kyselyView }), writes),
  });

  return {
    db,
    dialect: 'sqlite',
    location: path,
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
    dataVersion: path === ':memory:' ? null : dataVersion,
    listen: () => null,
    notifyAndWait: () => Promise.resolve(),
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

const PG_TIMESTAMPTZ = 1184;
const PG_INT8 = 20;

/** `2026-11-27 23:29:42.74841+00` (the session runs in UTC) -> `2026-11-27T23:29:42.748410Z`. */
export function pgTimestampToIso(text: string): string {
  const match = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?([+-]\d{2}(?::?\d{2})?)?$/.exec(
    text,
  );
  if (match === null) return text;
  const [, day, time, fraction = '', offset = '+00'] = match;
  if (/^[+-]00(:?00)?$/.test(offset)) return `${day}T${time}.${fraction.padEnd(6, '0')}Z`;
  // Only reached if the session time zone is not UTC: go through Date, keeping the microseconds.
  const millis = Date.parse(`${day}T${time}${offset.length === 3 ? `${offset}:00` : offset}`);
  return `${new Date(millis).toISOString().slice(0, 19)}.${fraction.padEnd(6, '0')}Z`;
}

const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === PG_TIMESTAMPTZ) return pgTimestampToIso;
    // BIGINT: counts and cents. Every value keygate stores fits in 2^53.
    if (oid === PG_INT8) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format) as (value: string) => unknown;
  },
};

function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres://(unparseable)';
  }
}

// Connection failures (socket errors, pool connect timeouts), SQLSTATE class 08 (connection
// exception) and 57P01-57P03 (the server is shutting down or starting up).
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
  '57P01',
  '57P02',
  '57P03',
]);
const UNAVAILABLE_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection ended unexpectedly/;

function isPostgresUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || code.startsWith('08'))) return true;
  if (error instanceof AggregateError) return error.errors.some(isPostgresUnavailable);
  return UNAVAILABLE_MESSAGES.test(error.message);
}

function openPostgres(url: string, poolSize: number): KeygateDatabase {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    types: pgTypes,
    options: '-c TimeZone=UTC',
    // Fail fast while the server is down, so requests get a 503 instead of queueing.
    connectionTimeoutMillis: 2000,
    query_timeout: 15_000,
  });
  // An idle client losing its connection (server restart) must not crash the process.
  pool.on('error', () => undefined);
  // Nor may a checked-out one: pg-pool listens only to idle clients, and a client whose socket dies
  // mid-query also emits 'error'. The query itself still fails (a 503), and pg-pool discards the client.
  pool.on('connect', (client) => client.on('error', () => undefined));
  const writes = new WriteWatch();
  const db = new Kysely<Schema>({ dialect: watchingDialect(new PostgresDialect({ pool }), writes) });
  const waiter = new PostgresWaiter(url);
  return {
    db,
    dialect: 'postgres',
    location: redactUrl(url),
    prepare<Row>(name: string, query: CompiledQuery<Row>): PreparedQuery<Row> {
      const execute = async (parameters: readonly unknown[]): Promise<Row[]> => {
        const result = await pool.query({ name, text: query.sql, values: parameters as unknown[] });
        return result.rows as Row[];
      };
      return {
        execute,
        first: async (parameters) => (await execute(parameters))[0],
      };
    },
    onCommittedWrites: (listener) => writes.on(listener),
    dataVersion: null,
    listen: (channel, handlers) => listenPostgres(url, channel, handlers),
    notifyAndWait: (channel, withinMs) => waiter.notifyAndWait(channel, withinMs),
    isUniqueViolation: (error) => (error as { code?: unknown } | null)?.code === '23505',
    isUnavailable: isPostgresUnavailable,
    async close() {
      await waiter.close();
      await db.destroy();
    },
  };
}
