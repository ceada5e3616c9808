// Reports every write this process makes through Kysely, once it has committed, so that copies of
// rows (the token caches of this and other processes) can be dropped before the writer's caller is answered.
import type {
  CompiledQuery,
  DatabaseConnection,
  Dialect,
  Driver,
  OperationNode,
  QueryResult,
  TransactionSettings,
} from 'kysely';

/** One committed write. `table` is `*` when it cannot be told which tables changed (DDL, raw SQL). */
export interface TableWrite {
  readonly table: string;
  readonly kind: 'insert' | 'update' | 'delete' | 'other';
  /** The columns an update sets; empty for other kinds. */
  readonly columns: readonly string[];
}

/**
 * Called after a write commits: at once for a single statement, at COMMIT inside a transaction. The
 * writer's caller waits for a returned promise (telling other processes takes a round trip); it
 * must not reject.
 */
export type WriteListener = (writes: readonly TableWrite[]) => void | Promise<void>;

/** The listeners of one database's committed writes. */
export class WriteWatch {
  readonly #listeners = new Set<WriteListener>();

  /** Adds a listener; returns a function that removes it. */
  on(listener: WriteListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Runs every listener; resolves when the promises they returned have. */
  async emit(writes: readonly TableWrite[]): Promise<void> {
    if (writes.length === 0) return;
    const pending: Promise<void>[] = [];
    for (const listener of this.#listeners) {
      const result = listener(writes);
      if (result !== undefined) pending.push(result);
    }
    if (pending.length > 0) await Promise.allSettled(pending);
  }
}

const READ_ONLY_SQL = /^\s*(select|pragma|explain|show)\b/i;

function tableName(node: OperationNode | undefined): string {
  if (node === undefined) return '*';
  if (node.kind === 'AliasNode') return tableName((node as unknown as { node: OperationNode }).node);
  if (node.kind === 'TableNode') {
    return (node as unknown as { table: { identifier: { name: string } } }).table.identifier.name;
  }
  return '*';
}

function columnName(node: OperationNode): string {
  if (node.kind === 'ColumnNode') return (node as unknown as { column: { name: string } }).column.name;
  return '*';
}

/** The writes a compiled query makes: none for reads. Unknown statements count as writes to `*`. */
export function writesOf(query: CompiledQuery): TableWrite[] {
  const node = query.query as OperationNode & Record<string, unknown>;
  if (node.with !== undefined) return [{ table: '*', kind: 'other', columns: [] }];
  switch (node.kind) {
    case 'SelectQueryNode':
      return [];
    case 'InsertQueryNode':
      return [{ table: tableName(node.into as OperationNode | undefined), kind: 'insert', columns: [] }];
    case 'UpdateQueryNode': {
      const updates = (node.updates ?? []) as readonly { column: OperationNode }[];
      const columns = updates.map((u) => columnName(u.column));
      return [{ table: tableName(node.table as OperationNode | undefined), kind: 'update', columns }];
    }
    case 'DeleteQueryNode': {
      const froms = (node.from as { froms: readonly OperationNode[] }).froms;
      return froms.map((from) => ({ table: tableName(from), kind: 'delete', columns: [] }));
    }
    case 'RawNode':
      return READ_ONLY_SQL.test(query.sql) ? [] : [{ table: '*', kind: 'other', columns: [] }];
    default:
      return [{ table: '*', kind: 'other', columns: [] }];
  }
}

/** A connection that notes its writes; inside a transaction they wait for COMMIT. */
class WatchedConnection implements DatabaseConnection {
  pending: TableWrite[] | null = null;

  constructor(
    readonly inner: DatabaseConnection,
    readonly watch: WriteWatch,
  ) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const writes = writesOf(query);
    if (writes.length === 0) return this.inner.executeQuery<R>(query);
    if (this.pending !== null) {
      this.pending.push(...writes);
      return this.inner.executeQuery<R>(query);
    }
    try {
      return await this.inner.executeQuery<R>(query);
    } finally {
      // Also after a failure: a statement the client gave up on may still have committed.
      await this.watch.emit(writes);
    }
  }

  streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    return this.inner.streamQuery<R>(query, chunkSize);
  }
}

class WatchingDriver implements Driver {
  readonly #wrapped = new WeakMap<DatabaseConnection, WatchedConnection>();

  constructor(
    readonly inner: Driver,
    readonly watch: WriteWatch,
  ) {}

  init(): Promise<void> {
    return this.inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const connection = await this.inner.acquireConnection();
    let watched = this.#wrapped.get(connection);
    if (watched === undefined) {
      watched = new WatchedConnection(connection, this.watch);
      this.#wrapped.set(connection, watched);
    }
    return watched;
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const watched = connection as WatchedConnection;
    await this.inner.beginTransaction(watched.inner, settings);
    watched.pending = [];
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const watched = connection as WatchedConnection;
    const writes = watched.pending ?? [];
    watched.pending = null;
    try {
      await this.inner.commitTransaction(watched.inner);
    } finally {
      await this.watch.emit(writes);
    }
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const watched = connection as WatchedConnection;
    watched.pending = null;
    await this.inner.rollbackTransaction(watched.inner);
  }

  async savepoint(
    connection: DatabaseConnection,
    name: string,
    compile: Parameters<NonNullable<Driver['savepoint']>>[2],
  ): Promise<void> {
    await this.inner.savepoint?.((connection as WatchedConnection).inner, name, compile);
  }

  async rollbackToSavepoint(
    connection: DatabaseConnection,
    name: string,
    compile: Parameters<NonNullable<Driver['rollbackToSavepoint']>>[2],
  ): Promise<void> {
    // The writes since the savepoint are undone, but which ones is not tracked: keep them all noted.
    await this.inner.rollbackToSavepoint?.((connection as WatchedConnection).inner, name, compile);
  }

  async releaseSavepoint(
    connection: DatabaseConnection,
    name: string,
    compile: Parameters<NonNullable<Driver['releaseSavepoint']>>[2],
  ): Promise<void> {
    await this.inner.releaseSavepoint?.((connection as WatchedConnection).inner, name, compile);
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.inner.releaseConnection((connection as WatchedConnection).inner);
  }

  destroy(): Promise<void> {
    return this.inner.destroy();
  }
}

/** `dialect` with every committed write reported to `watch`. */
export function watchingDialect(dialect: Dialect, watch: WriteWatch): Dialect {
  return {
    createDriver: () => new WatchingDriver(dialect.createDriver(), watch),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createAdapter: () => dialect.createAdapter(),
    createIntrospector: (db) => dialect.createIntrospector(db),
  };
}
