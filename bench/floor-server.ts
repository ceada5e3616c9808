// The Fastify floor: the least a Fastify server does to answer the benchmark's reads with keygate's bytes.
// Run as its own process: node --import tsx bench/floor-server.ts <port> <database-url> <responses.json>
//
// Per request: parse `Authorization: Token <key>`, SHA-256 of the key, one token⋈user read, then one
// product read (detail) or the page with its count (list), JSON.stringify; no logging, no hooks.
// SQLite through better-sqlite3 (WAL), PostgreSQL through a `pg` pool of keygate's default size
// (10) with named statements. The headers are keygate's, captured per workload, so the wire bytes
// are the same as keygate's and the bare server's.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import SQLite from 'better-sqlite3';
import Fastify, { type FastifyReply } from 'fastify';
import pg from 'pg';
import { dialectOf, sqlitePath } from '../src/db/database-url.js';
import type { CannedResponse } from './canned-response.js';

/** What the token read returns: enough to decide DRF's TokenAuthentication outcome. */
interface TokenOwner {
  readonly is_active: number | boolean;
  readonly expires_at: string | null;
}

/** A products row (PostgreSQL's int8 and timestamptz already turned into a number and ISO text). */
interface ProductRow {
  readonly id: number;
  readonly name: string;
  readonly description: string;
  readonly price_cents: number;
  readonly stock: number;
  readonly created: string;
  readonly updated: string;
  readonly total?: number | null;
}

/** The three reads, on either database. */
interface FloorStore {
  tokenOwner(digest: string): TokenOwner | undefined | Promise<TokenOwner | undefined>;
  product(id: number): ProductRow | undefined | Promise<ProductRow | undefined>;
  /** The page's rows, each with the count of all products beside it (keygate's trigger-kept count). */
  page(limit: number, offset: number): ProductRow[] | Promise<ProductRow[]>;
  /** The count alone, for a page past the end (no row to carry it). */
  count(): { n: number } | undefined | Promise<{ n: number } | undefined>;
  close(): Promise<void>;
}

const COLUMNS = 'id, name, description, price_cents, stock, created, updated';
const TOKEN_SQL = (p: string) =>
  `SELECT u.is_active, t.expires_at FROM tokens t JOIN users u ON u.id = t.user_id WHERE t.digest = ${p}`;
const PRODUCT_SQL = (p: string) => `SELECT ${COLUMNS} FROM products WHERE id = ${p}`;
const COUNT_SQL = 'SELECT n FROM product_count WHERE id = 1';
const PAGE_SQL = (limit: string, offset: string) =>
  `SELECT ${COLUMNS}, (SELECT n FROM product_count WHERE id = 1) AS total FROM products ORDER BY id LIMIT ${limit} OFFSET ${offset}`;

function sqliteStore(path: string): FloorStore {
  const db = new SQLite(path);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  const token = db.prepare<[string], TokenOwner>(TOKEN_SQL('?'));
  const product = db.prepare<[number], ProductRow>(PRODUCT_SQL('?'));
  const page = db.prepare<[number, number], ProductRow>(PAGE_SQL('?', '?'));
  const count = db.prepare<[], { n: number }>(COUNT_SQL);
  return {
    tokenOwner: (digest) => token.get(digest),
    product: (id) => product.get(id),
    page: (limit, offset) => page.all(limit, offset),
    count: () => count.get(),
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
  return {
    tokenOwner: async (digest) => (await query<TokenOwner>('floor_token', TOKEN_SQL('$1'), [digest]))[0],
    product: async (id) => (await query<ProductRow>('floor_product', PRODUCT_SQL('$1'), [id]))[0],
    page: (limit, offset) => query<ProductRow>('floor_page', PAGE_SQL('$1', '$2'), [limit, offset]),
    count: async () => (await query<{ n: number }>('floor_count', COUNT_SQL, []))[0],
    close: () => pool.end(),
  };
}

type HeaderSet = Readonly<Record<string, string>>;

/** keygate's headers on one route: a success, a 401 without credentials, a 401 for a bad token. */
interface RouteHeaders {
  readonly ok: HeaderSet;
  readonly missing: HeaderSet;
  readonly invalid: HeaderSet;
}

/**
 * keygate's headers, from its captured responses: the list's 200, the detail's 200 and the list's
 * 401 without credentials as captured; the other 401s are those with the route's Allow and the
 * challenge, and `Vary: Accept` alone once a Token header was given (keygate then never asks the
 * session, so the Cookie does not vary the answer).
 */
function headersFrom(canned: readonly CannedResponse[]): { detail: RouteHeaders; list: RouteHeaders } {
  const fallback = { 'content-type': 'application/json' };
  const find = (test: (c: CannedResponse) => boolean): HeaderSet => canned.find(test)?.headers ?? fallback;
  const detail = find((c) => c.status === 200 && /^\/product_api\/\d+\/$/.test(c.url));
  const list = find((c) => c.status === 200 && /^\/product_api\/(\?|$)/.test(c.url));
  const missing = find((c) => c.status === 401);
  const with401 = (ok: HeaderSet, vary: string | undefined): HeaderSet => {
    const headers: Record<string, string> = { ...ok };
    const challenge = missing['www-authenticate'];
    if (challenge !== undefined) headers['www-authenticate'] = challenge;
    if (vary !== undefined) headers.vary = vary;
    return headers;
  };
  return {
    detail: { ok: detail, missing: with401(detail, missing.vary), invalid: with401(detail, detail.vary) },
    list: { ok: list, missing, invalid: with401(list, list.vary) },
  };
}

/** The product as keygate's serializer writes it: fields in model order, the price as a decimal string. */
function productJson(row: ProductRow) {
  const cents = Number(row.price_cents);
  const price = `${Math.trunc(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
  return {
    id: Number(row.id),
    name: row.name,
    description: row.description,
    price,
    stock: Number(row.stock),
    created: row.created,
    updated: row.updated,
  };
}

/** DRF's `_positive_int` for the common case (digits only); null otherwise. */
function positiveInt(raw: unknown, strict: boolean): number | null {
  if (typeof raw !== 'string' || !/^\d+$/.test(raw)) return null;
  const value = Number(raw);
  return strict && value === 0 ? null : value;
}

/**
 * The body as a Buffer: Fastify appends `; charset=utf-8` to a string's JSON type, and keygate's
 * `application/json` (DRF's) has none, so keygate sends Buffers too.
 */
const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));

function main(): void {
  const [portText, databaseUrl, responsesFile] = process.argv.slice(2);
  if (portText === undefined || databaseUrl === undefined || responsesFile === undefined) {
    process.stderr.write('usage: floor-server.ts <port> <database-url> <responses.json>\n');
    process.exit(2);
  }
  const headers = headersFrom(JSON.parse(readFileSync(responsesFile, 'utf8')) as CannedResponse[]);
  const store =
    dialectOf(databaseUrl) === 'sqlite' ? sqliteStore(sqlitePath(databaseUrl)) : postgresStore(databaseUrl);
  const app = Fastify({ logger: false });

  const deny = (reply: FastifyReply, headers: HeaderSet, detail: string): Buffer => {
    reply.code(401).headers(headers);
    return json({ detail });
  };
  /** DRF's TokenAuthentication + IsAuthenticated: null when the request may go on, else the 401 body. */
  const authenticate = async (
    reply: FastifyReply,
    route: RouteHeaders,
    header: string | undefined,
  ): Promise<Buffer | null> => {
    if (header === undefined || !header.startsWith('Token ')) {
      return deny(reply, route.missing, 'Authentication credentials were not provided.');
    }
    const digest = createHash('sha256').update(header.slice(6), 'utf8').digest('hex');
    const owner = await store.tokenOwner(digest);
    if (owner === undefined) return deny(reply, route.invalid, 'Invalid token.');
    if (!owner.is_active) return deny(reply, route.invalid, 'User inactive or deleted.');
    if (owner.expires_at !== null && Date.parse(owner.expires_at) <= Date.now()) {
      return deny(reply, route.invalid, 'Invalid token.');
    }
    return null;
  };

  app.get<{ Params: { id: string } }>('/product_api/:id/', async (request, reply) => {
    const refused = await authenticate(reply, headers.detail, request.headers.authorization);
    if (refused !== null) return refused;
    const id = positiveInt(request.params.id, true);
    const row = id === null ? undefined : await store.product(id);
    reply.headers(headers.detail.ok);
    if (row === undefined) {
      reply.code(404);
      return json({ detail: 'Not found.' });
    }
    return json(productJson(row));
  });

  app.get<{ Querystring: Record<string, string> }>('/product_api/', async (request, reply) => {
    const refused = await authenticate(reply, headers.list, request.headers.authorization);
    if (refused !== null) return refused;
    const limit = positiveInt(request.query.limit, true) ?? 100;
    const offset = positiveInt(request.query.offset, false) ?? 0;
    const rows = await store.page(limit, offset);
    const first = rows[0];
    const count = Number(first === undefined ? ((await store.count())?.n ?? 0) : first.total);
    // DRF's LimitOffsetPagination links, absolute from the Host header (the bench's URLs carry no
    // other parameters, so `?limit=&offset=` is the whole query).
    const base = `http://${request.headers.host ?? ''}/product_api/`;
    const next = offset + limit >= count ? null : `${base}?limit=${limit}&offset=${offset + limit}`;
    const previous =
      offset <= 0
        ? null
        : offset - limit <= 0
          ? `${base}?limit=${limit}`
          : `${base}?limit=${limit}&offset=${offset - limit}`;
    reply.headers(headers.list.ok);
    return json({ count, next, previous, results: rows.map(productJson) });
  });

  app.listen({ port: Number(portText), host: '127.0.0.1' }).then(
    () => process.stdout.write(`Fastify floor listening on 127.0.0.1:${portText}\n`),
    (error: unknown) => {
      process.stderr.write(`floor: ${String(error)}\n`);
      process.exit(1);
    },
  );
  const stop = (): void => {
    void app.close().then(() => store.close().finally(() => process.exit(0)));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main();
