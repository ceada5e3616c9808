// The PostgreSQL implementation of KeygateDatabase: a pg pool (keygate's or the host's) plus LISTEN/NOTIFY.
import {
  Kysely,
  PostgresDialect,
  sql,
  type CompiledQuery,
  type PostgresPool,
  type PostgresPoolClient,
} from 'kysely';
import pg from 'pg';
import type { KeygateDatabase, PreparedQuery } from './keygate-database.js';
import { isPostgresUnavailable, isPostgresUniqueViolation } from './postgres-errors.js';
import { listenPostgres, PostgresWaiter } from './postgres-notifications.js';
import { pgTypes } from './postgres-types.js';
import type { Database as Schema } from './schema.js';
import { codePointPrefix, likeContains } from './text-search.js';
import { watchingDialect, WriteWatch } from './write-watch.js';

/** How long the listening and waiting connections wait to connect: fail fast while the server is down. */
const NOTIFY_CONNECT_TIMEOUT_MS = 2000;

function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres://(unparseable)';
  }
}

/** Where a host's pool connects, for messages, without its password. */
function poolLocation(options: pg.PoolConfig): string {
  if (options.connectionString !== undefined) return redactUrl(options.connectionString);
  const user = options.user === undefined ? '' : `${encodeURIComponent(options.user)}@`;
  const port = options.port === undefined ? '' : `:${options.port}`;
  return `postgres://${user}${options.host ?? 'localhost'}${port}/${options.database ?? ''}`;
}

function ownPool(url: string, poolSize: number): pg.Pool {
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
  return pool;
}

/**
 * The host's pool as Kysely sees it: every query parsed with keygate's type parsers (the host's
 * pool has its own), and `end()` a no-op, so destroying keygate's Kysely leaves the pool open.
 */
function borrowedPool(pool: pg.Pool): PostgresPool {
  const wrapped = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  return {
    async connect() {
      const client = await pool.connect();
      let view = wrapped.get(client);
      if (view === undefined) {
        // Kysely only streams through a cursor when the dialect has one; keygate's has none.
        view = {
          query: (text: string, values: readonly unknown[]) =>
            client.query({ text, values: [...values], types: pgTypes }),
          release: (destroy?: boolean) => client.release(destroy),
        } as unknown as PostgresPoolClient;
        wrapped.set(client, view);
      }
      return view;
    },
    end: () => Promise.resolve(),
  };
}

/**
 * Opens PostgreSQL: a pool of `poolSize` connections to the URL `source`, or the host's `pg.Pool`.
 * On a host pool keygate runs its queries with its own type parsers (timestamptz as ISO text in
 * UTC, bigint as a number) whatever the pool's, and `close()` leaves the pool open. Listening for
 * other processes' notifications and waiting for their answers (the token cache's revocation)
 * each need a connection that is not the pool's: keygate opens two `pg.Client`s from the pool's
 * options (`new pg.Client(pool.options)`), at first use, and closes them on `close()`.
 */
export function openPostgres(source: string | pg.Pool, poolSize: number): KeygateDatabase {
  const owned = typeof source === 'string';
  const pool = owned ? ownPool(source, poolSize) : source;
  const connection: pg.ClientConfig = owned
    ? { connectionString: source, connectionTimeoutMillis: NOTIFY_CONNECT_TIMEOUT_MS }
    : { ...source.options, connectionTimeoutMillis: NOTIFY_CONNECT_TIMEOUT_MS };
  const writes = new WriteWatch();
  const dialect = new PostgresDialect({ pool: owned ? pool : borrowedPool(pool) });
  const db = new Kysely<Schema>({ dialect: watchingDialect(dialect, writes) });
  const waiter = new PostgresWaiter(connection);
  const byCodePoint = (column: string) => sql<string>`${sql.ref(column)} collate "C"`;
  return {
    db,
    dialect: 'postgres',
    location: owned ? redactUrl(source) : poolLocation(pool.options),
    migratesItself: false,
    prepare<Row>(name: string, query: CompiledQuery<Row>): PreparedQuery<Row> {
      const execute = async (parameters: readonly unknown[]): Promise<Row[]> => {
        const result = await pool.query({
          name,
          text: query.sql,
          values: parameters as unknown[],
          types: pgTypes,
        });
        return result.rows as Row[];
      };
      return {
        execute,
        first: async (parameters) => (await execute(parameters))[0],
      };
    },
    onCommittedWrites: (listener) => writes.on(listener),
    dataVersion: null,
    listen: (channel, handlers) => listenPostgres(connection, channel, handlers),
    notifyAndWait: (channel, withinMs) => waiter.notifyAndWait(channel, withinMs),
    contains: (column, text) => likeContains('ilike', column, text),
    // Named explicitly so a database created with a language collation (en_US) compares by code
    // point too, answered from an index on `column collate "C"` (migration 0006 for usernames).
    byCodePoint,
    startsWith: (column, prefix) => codePointPrefix(byCodePoint(column), prefix),
    isUniqueViolation: isPostgresUniqueViolation,
    isUnavailable: isPostgresUnavailable,
    async close() {
      await waiter.close();
      await db.destroy();
    },
  };
}
