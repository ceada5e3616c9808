// The Fastify floor's SQL: the reads and writes of the benchmark, on better-sqlite3 or a `pg` pool.
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { dialectOf, sqlitePath } from '../src/db/database-url.js';

/** What the token read returns: enough to decide DRF's TokenAuthentication outcome. */
export interface TokenOwner {
  readonly is_active: number | boolean;
  readonly expires_at: string | null;
}

/** A products row (PostgreSQL's int8 and timestamptz already turned into a number and ISO text). */
export interface ProductRow {
  readonly id: number;
  readonly name: string;
  readonly description: string;
  readonly price_cents: number;
  readonly stock: number;
  readonly created: string;
  readonly updated: string;
  readonly total?: number | null;
}

/** A new product's columns: every one but the id. */
export type NewProduct = Omit<ProductRow, 'id' | 'total'>;

/** A partial update: null keeps the stored value; `updated` is always set (Django's auto_now). */
export interface ProductChanges {
  readonly name: string | null;
  readonly description: string | null;
  readonly price_cents: number | null;
  readonly stock: number | null;
  readonly updated: string;
}

type Maybe<T> = T | Promise<T>;

/** The floor's statements, on either database. */
export interface FloorStore {
  tokenOwner(digest: string): Maybe<TokenOwner | undefined>;
  product(id: number): Maybe<ProductRow | undefined>;
  /** The page's rows, each with the count of all products beside it (keygate's trigger-kept count). */
  page(limit: number, offset: number): Maybe<ProductRow[]>;
  /** The count alone, for a page past the end (no row to carry it). */
  count(): Maybe<{ n: number } | undefined>;
  /** One INSERT ... RETURNING; the product_count trigger counts the row, as for keygate's. */
  insert(product: NewProduct): Maybe<ProductRow | undefined>;
  /** One UPDATE ... RETURNING; undefined when no product has that id. */
  update(id: number, changes: ProductChanges): Maybe<ProductRow | undefined>;
  close(): Promise<void>;
}

const COLUMNS = 'id, name, description, price_cents, stock, created, updated';
const TOKEN_SQL = (p: string) =>
  `SELECT u.is_active, t.expires_at FROM tokens t JOIN users u ON u.id = t.user_id WHERE t.digest = ${p}`;
const PRODUCT_SQL = (p: string) => `SELECT ${COLUMNS} FROM products WHERE id = ${p}`;
const COUNT_SQL = 'SELECT n FROM product_count WHERE id = 1';
const PAGE_SQL = (limit: string, offset: string) =>
  `SELECT ${COLUMNS}, (SELECT n FROM product_count WHERE id = 1) AS total FROM products ORDER BY id LIMIT ${limit} OFFSET ${offset}`;
const INSERT_SQL = (p: readonly string[]) =>
  `INSERT INTO products (name, description, price_cents, stock, created, updated) VALUES (${p.join(', ')}) RETURNING ${COLUMNS}`;
// One statement for any partial update: a null parameter keeps the column.
const UPDATE_SQL = (p: readonly string[]) =>
  `UPDATE products SET name = COALESCE(${p[0]}, name), description = COALESCE(${p[1]}, description), ` +
  `price_cents = COALESCE(${p[2]}, price_cents), stock = COALESCE(${p[3]}, stock), updated = ${p[4]} ` +
  `WHERE id = ${p[5]} RETURNING ${COLUMNS}`;

const insertValues = (p: NewProduct) => [p.name, p.description, p.price_cents, p.stock, p.created, p.updated];
const updateValues = (id: number, c: ProductChanges) => [
  c.name,
  c.description,
  c.price_cents,
  c.stock,
  c.updated,
  id,
];

function sqliteStore(path: string): FloorStore {
  const db = new SQLite(path);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  const token = db.prepare<[string], TokenOwner>(TOKEN_SQL('?'));
  const product = db.prepare<[number], ProductRow>(PRODUCT_SQL('?'));
  const page = db.prepare<[number, number], ProductRow>(PAGE_SQL('?', '?'));
  const count = db.prepare<[], { n: number }>(COUNT_SQL);
  const questions = (n: number) => Array.from({ length: n }, () => '?');
  const insert = db.prepare<unknown[], ProductRow>(INSERT_SQL(questions(6)));
  const update = db.prepare<unknown[], ProductRow>(UPDATE_SQL(questions(6)));
  return {
    tokenOwner: (digest) => token.get(digest),
    product: (id) => product.get(id),
    page: (limit, offset) => page.all(limit, offset),
    count: () => count.get(),
    // `get` runs the statement and returns the row RETURNING gives.
    insert: (values) => insert.get(...insertValues(values)),
    update: (id, changes) => update.get(...updateValues(id, changes)),
    close: () => {
      db.close();
      return Promise.resolve();
    },
  };
}

/** `2026-11-27 23:29:42.74841+00` (the session is in UTC) -> `2026-11-27T23:29:42.748410Z`, as keygate writes it. */
function isoUtc(text: string): string {
  const fraction = text.charAt(19) === '.' ? text.slice(20, -3) : '';
  return `${text.slice(0, 10)}T${text.slice(11, 19)}.${fraction.padEnd(6, '0')}Z`;
}

function postgresStore(url: string): FloorStore {
  const types = {
    getTypeParser(oid: number, format?: 'text' | 'binary') {
      if (oid === 1184) return isoUtc; // timestamptz
      if (oid === 20) return Number; // int8
      return pg.types.getTypeParser(oid, format) as (value: string) => unknown;
    },
  };
  const pool = new pg.Pool({ connectionString: url, max: 10, types, options: '-c TimeZone=UTC' });
  pool.on('error', () => undefined);
  const query = async <Row>(name: string, text: string, values: unknown[]): Promise<Row[]> =>
    (await pool.query({ name, text, values })).rows as Row[];
  const dollars = (n: number) => Array.from({ length: n }, (_, i) => `$${i + 1}`);
  // The parameters' types, which COALESCE alone does not give PostgreSQL.
  const typed = ['$1::varchar', '$2::text', '$3::bigint', '$4::integer', '$5::timestamptz', '$6::integer'];
  return {
    tokenOwner: async (digest) => (await query<TokenOwner>('floor_token', TOKEN_SQL('$1'), [digest]))[0],
    product: async (id) => (await query<ProductRow>('floor_product', PRODUCT_SQL('$1'), [id]))[0],
    page: (limit, offset) => query<ProductRow>('floor_page', PAGE_SQL('$1', '$2'), [limit, offset]),
    count: async () => (await query<{ n: number }>('floor_count', COUNT_SQL, []))[0],
    insert: async (values) =>
      (await query<ProductRow>('floor_insert', INSERT_SQL(dollars(6)), insertValues(values)))[0],
    update: async (id, changes) =>
      (await query<ProductRow>('floor_update', UPDATE_SQL(typed), updateValues(id, changes)))[0],
    close: () => pool.end(),
  };
}

/** The store for a keygate database URL. */
export function openFloorStore(databaseUrl: string): FloorStore {
  return dialectOf(databaseUrl) === 'sqlite'
    ? sqliteStore(sqlitePath(databaseUrl))
    : postgresStore(databaseUrl);
}
