// The Fastify floor: the least a Fastify server does to answer the benchmark's requests as keygate does.
// Run as its own process: node --import tsx bench/floor-server.ts <port> <database-url> <responses.json>
//
// Per request: parse `Authorization: Token <key>`, SHA-256 of the key, one token⋈user read, then one
// product read (detail), the page with its count (list), Fastify's JSON body parser, the fields'
// least check and one INSERT ... RETURNING (create) or UPDATE ... RETURNING (patch), then
// JSON.stringify; no logging, no hooks. SQLite through better-sqlite3 (WAL), PostgreSQL through a
// `pg` pool of keygate's default size (10) with named statements (floor-store.ts). The headers are
// keygate's, captured per workload, so the reads' wire bytes are keygate's and the bare server's.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import Fastify, { type FastifyReply } from 'fastify';
import { nowTimestamp } from '../src/time.js';
import type { CannedResponse } from './canned-response.js';
import { newProduct, positiveInt, productChanges, productJson, type FieldErrors } from './floor-product.js';
import { openFloorStore } from './floor-store.js';

type HeaderSet = Readonly<Record<string, string>>;

/** keygate's headers for one workload: a success, a 401 without credentials, a 401 for a bad token. */
interface RouteHeaders {
  readonly ok: HeaderSet;
  readonly missing: HeaderSet;
  readonly invalid: HeaderSet;
}

/**
 * keygate's headers, from its captured responses: the list's 200, the detail's 200, the create's
 * 201, the patch's 200 and the list's 401 without credentials as captured; the other 401s are
 * those with the route's Allow and the
 * challenge, and `Vary: Accept` alone once a Token header was given (keygate then never asks the
 * session, so the Cookie does not vary the answer).
 */
function headersFrom(canned: readonly CannedResponse[]) {
  const fallback = { 'content-type': 'application/json' };
  const find = (test: (c: CannedResponse) => boolean, otherwise: HeaderSet = fallback): HeaderSet =>
    canned.find(test)?.headers ?? otherwise;
  const isDetail = (c: CannedResponse) => /^\/product_api\/\d+\/$/.test(c.url);
  const detail = find((c) => c.method === 'GET' && c.status === 200 && isDetail(c));
  const list = find((c) => c.method === 'GET' && c.status === 200 && /^\/product_api\/(\?|$)/.test(c.url));
  const created = find((c) => c.method === 'POST' && c.status === 201, list);
  const patched = find((c) => c.method === 'PATCH' && c.status === 200 && isDetail(c), detail);
  const missing = find((c) => c.status === 401);
  const with401 = (ok: HeaderSet, vary: string | undefined): HeaderSet => {
    const headers: Record<string, string> = { ...ok };
    const challenge = missing['www-authenticate'];
    if (challenge !== undefined) headers['www-authenticate'] = challenge;
    if (vary !== undefined) headers.vary = vary;
    return headers;
  };
  const detailRoute = { missing: with401(detail, missing.vary), invalid: with401(detail, detail.vary) };
  const listRoute = { missing, invalid: with401(list, list.vary) };
  return {
    detail: { ok: detail, ...detailRoute },
    list: { ok: list, ...listRoute },
    create: { ok: created, ...listRoute },
    patch: { ok: patched, ...detailRoute },
  } satisfies Record<string, RouteHeaders>;
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
  const store = openFloorStore(databaseUrl);
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

  const invalid = (reply: FastifyReply, route: RouteHeaders, errors: FieldErrors): Buffer => {
    reply.code(400).headers(route.ok);
    return json(errors);
  };

  app.post('/product_api/', async (request, reply) => {
    const refused = await authenticate(reply, headers.create, request.headers.authorization);
    if (refused !== null) return refused;
    const checked = newProduct(request.body, nowTimestamp());
    if ('errors' in checked) return invalid(reply, headers.create, checked.errors);
    const row = await store.insert(checked.product);
    if (row === undefined) throw new Error('INSERT ... RETURNING gave no row');
    reply.code(201).headers(headers.create.ok);
    return json(productJson(row));
  });

  app.patch<{ Params: { id: string } }>('/product_api/:id/', async (request, reply) => {
    const refused = await authenticate(reply, headers.patch, request.headers.authorization);
    if (refused !== null) return refused;
    const id = positiveInt(request.params.id, true);
    const checked = productChanges(request.body, nowTimestamp());
    if ('errors' in checked) return invalid(reply, headers.patch, checked.errors);
    const row = id === null ? undefined : await store.update(id, checked.changes);
    reply.headers(headers.patch.ok);
    if (row === undefined) {
      reply.code(404);
      return json({ detail: 'Not found.' });
    }
    return json(productJson(row));
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
