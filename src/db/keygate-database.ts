// The database contract every dialect implements (sqlite-database.ts, postgres-database.ts).
import type { CompiledQuery, Kysely, RawBuilder } from 'kysely';
import type { Database as Schema } from './schema.js';
import type { WriteListener } from './write-watch.js';

/** The SQL dialect behind a connection. */
export type Dialect = 'sqlite' | 'postgres';

/** A statement prepared once per connection and run many times with fresh parameters. */
export interface PreparedQuery<Row> {
  /** Runs the statement with these parameters (in the compiled query's order); all rows. */
  execute(parameters: readonly unknown[]): Promise<Row[]>;
  /** The first row, or undefined: on SQLite no result array is built. */
  first(parameters: readonly unknown[]): Promise<Row | undefined>;
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

/** An open database: the Kysely instance plus what Kysely cannot do fast enough on the hot path. */
export interface KeygateDatabase {
  /** The Kysely instance over keygate's tables ({@link Database}); use it for the app's own queries too. */
  readonly db: Kysely<Schema>;
  /** `sqlite` or `postgres`. */
  readonly dialect: Dialect;
  /** Where the data lives, for messages: a file path or a PostgreSQL URL without its password. */
  readonly location: string;
  /**
   * Whether commands may apply pending migrations on their own when they open the database: true
   * for SQLite (the embedded database is the laptop's and nobody else's), false for PostgreSQL,
   * where migrating a shared database is an explicit operator step.
   */
  readonly migratesItself: boolean;
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
  /**
   * A condition true when `column` contains `text`, ignoring case (LIKE on SQLite, ILIKE on
   * PostgreSQL). `%`, `_` and `\` in `text` match themselves; a `text` holding a NUL matches
   * nothing (no stored text holds one, and PostgreSQL refuses it as a parameter).
   */
  contains(column: string, text: string): RawBuilder<boolean>;
  /**
   * `column` compared and ordered by code point (SQLite's BINARY, PostgreSQL's `"C"` collation
   * whatever the database's own), for orderings that must not depend on the server's language.
   */
  byCodePoint(column: string): RawBuilder<string>;
  /**
   * A condition true when `column` starts with `prefix`, case-sensitively: a range over
   * {@link byCodePoint}, which an index on that expression answers (LIKE would not be). A `prefix`
   * holding a NUL matches nothing.
   */
  startsWith(column: string, prefix: string): RawBuilder<boolean>;
  /** True when a write failed on a unique constraint (a lost get-or-create race, a taken username). */
  isUniqueViolation(error: unknown): boolean;
  /** True when the database could not be reached or is shutting down: a 503, not a bug. */
  isUnavailable(error: unknown): boolean;
  /**
   * Closes what keygate opened. A pool or handle the host passed in (see `DatabaseSource`) stays
   * open: the host closes it.
   */
  close(): Promise<void>;
}
