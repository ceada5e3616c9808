// Data generator for the scale run: N products and N users (each with a DRF-policy token), batched.
// Standalone: node --import tsx bench/generate.ts --database-url sqlite:/tmp/x.sqlite3 --products 1000000 --users 100000
import { createHash, randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { loadConfig } from '../src/config/index.js';
import { dialectOf, sqlitePath } from '../src/db/database-url.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { createKeygate } from '../src/keygate.js';
import { nowTimestamp } from '../src/time.js';
import { hashPassword } from '../src/users/passwords.js';
import type { ProductTables } from '../src/products/product-table.js';

/** What to generate, and where. */
export interface GenerateOptions {
  readonly databaseUrl: string;
  readonly products: number;
  readonly users: number;
  readonly log?: (line: string) => void;
}

/** A generated user whose token and password the benchmark can use. */
export interface SampleUser {
  readonly username: string;
  readonly password: string;
  readonly token: string;
}

/** What was generated. */
export interface GeneratedData {
  readonly products: number;
  readonly users: number;
  /** A product in the middle of the id range (a detail lookup that is not at the edge of the index). */
  readonly middleProductId: number | null;
  /** The user in the middle of the generated ones, or null when no users were generated. */
  readonly sampleUser: SampleUser | null;
  readonly seconds: number;
}

/** The password every generated user has (one argon2id hash, computed once, shared by all rows). */
export const GENERATED_PASSWORD = 'generated-password-for-bench';
const BATCH = 10_000;

function productRow(i: number): [string, string, number, number] {
  return [
    `Product ${i}`,
    `Generated product number ${i}, for the scale benchmark.`,
    99 + ((i * 7919) % 1_000_000),
    i % 1000,
  ];
}

interface GeneratedToken {
  readonly key: string;
  readonly digest: string;
  readonly hint: string;
}

function newToken(): GeneratedToken {
  const key = randomBytes(20).toString('hex');
  return { key, digest: createHash('sha256').update(key, 'utf8').digest('hex'), hint: key.slice(0, 4) };
}

function username(i: number): string {
  return `gen${String(i).padStart(7, '0')}`;
}

/** Rows are written in batches; this tells the caller how far along they are, every ~100k rows. */
function progress(log: (line: string) => void, what: string, done: number, total: number): void {
  if (done === total || done % 100_000 === 0)
    log(`  ${what}: ${done.toLocaleString('en')} / ${total.toLocaleString('en')}`);
}

function generateSqlite(
  path: string,
  options: GenerateOptions,
  passwordHash: string,
): GeneratedData['sampleUser'] {
  const log = options.log ?? (() => undefined);
  const db = new SQLite(path);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    const now = nowTimestamp();
    const insertProduct = db.prepare(
      'INSERT INTO products (name, description, price_cents, stock, created, updated) VALUES (?, ?, ?, ?, ?, ?)',
    );
    const productBatch = db.transaction((from: number, to: number) => {
      for (let i = from; i < to; i++) insertProduct.run(...productRow(i + 1), now, now);
    });
    for (let from = 0; from < options.products; from += BATCH) {
      const to = Math.min(options.products, from + BATCH);
      productBatch(from, to);
      progress(log, 'products', to, options.products);
    }

    const insertUser = db.prepare(
      'INSERT INTO users (username, email, password, is_active, is_staff, is_superuser, date_joined) VALUES (?, ?, ?, 1, 0, 0, ?)',
    );
    const insertToken = db.prepare(
      'INSERT INTO tokens (user_id, digest, key, hint, created) VALUES (?, ?, ?, ?, ?)',
    );
    const middle = Math.floor(options.users / 2);
    let sample: SampleUser | null = null;
    const userBatch = db.transaction((from: number, to: number) => {
      for (let i = from; i < to; i++) {
        const name = username(i + 1);
        const userId = insertUser.run(name, `${name}@example.com`, passwordHash, now).lastInsertRowid;
        const token = newToken();
        insertToken.run(userId, token.digest, token.key, token.hint, now);
        if (i === middle) sample = { username: name, password: GENERATED_PASSWORD, token: token.key };
      }
    });
    for (let from = 0; from < options.users; from += BATCH) {
      const to = Math.min(options.users, from + BATCH);
      userBatch(from, to);
      progress(log, 'users + tokens', to, options.users);
    }
    log('  ANALYZE and WAL checkpoint');
    db.exec('ANALYZE');
    db.pragma('wal_checkpoint(TRUNCATE)');
    return sample;
  } finally {
    db.close();
  }
}

async function generatePostgres(
  url: string,
  options: GenerateOptions,
  passwordHash: string,
): Promise<SampleUser | null> {
  const log = options.log ?? (() => undefined);
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    const now = nowTimestamp();
    for (let from = 0; from < options.products; from += BATCH) {
      const to = Math.min(options.products, from + BATCH);
      const columns: [string[], string[], number[], number[]] = [[], [], [], []];
      for (let i = from; i < to; i++)
        productRow(i + 1).forEach((value, c) => (columns[c] as unknown[]).push(value));
      await client.query(
        `INSERT INTO products (name, description, price_cents, stock, created, updated)
         SELECT n, d, p, s, $5::timestamptz, $5::timestamptz
         FROM unnest($1::text[], $2::text[], $3::bigint[], $4::int[]) AS t(n, d, p, s)`,
        [...columns, now],
      );
      progress(log, 'products', to, options.products);
    }

    const middle = Math.floor(options.users / 2);
    let sample: SampleUser | null = null;
    for (let from = 0; from < options.users; from += BATCH) {
      const to = Math.min(options.users, from + BATCH);
      const names: string[] = [];
      for (let i = from; i < to; i++) names.push(username(i + 1));
      const tokens = names.map(() => newToken());
      await client.query('BEGIN');
      const inserted = await client.query<{ id: number; username: string }>(
        `INSERT INTO users (username, email, password, is_active, is_staff, is_superuser, date_joined)
         SELECT u, u || '@example.com', $2, true, false, false, $3::timestamptz FROM unnest($1::text[]) AS t(u)
         RETURNING id, username`,
        [names, passwordHash, now],
      );
      const ids = new Map(inserted.rows.map((row) => [row.username, Number(row.id)]));
      await client.query(
        `INSERT INTO tokens (user_id, digest, key, hint, created)
         SELECT * , $5::timestamptz FROM unnest($1::int[], $2::text[], $3::text[], $4::text[])`,
        [
          names.map((n) => ids.get(n)),
          tokens.map((t) => t.digest),
          tokens.map((t) => t.key),
          tokens.map((t) => t.hint),
          now,
        ],
      );
      await client.query('COMMIT');
      if (middle >= from && middle < to) {
        sample = {
          username: names[middle - from]!,
          password: GENERATED_PASSWORD,
          token: tokens[middle - from]!.key,
        };
      }
      progress(log, 'users + tokens', to, options.users);
    }
    // A bulk load is followed by autovacuum in production; do it now so the planner and the
    // visibility map (index-only scans) see the table as a running system would.
    log('  VACUUM ANALYZE');
    await client.query('VACUUM ANALYZE products, users, tokens');
    return sample;
  } finally {
    await client.end();
  }
}

async function middleProductId(databaseUrl: string): Promise<number | null> {
  const keygate = createKeygate(loadConfig({ DATABASE_URL: databaseUrl }));
  try {
    const row = await keygate.database.db
      .withTables<ProductTables>()
      .selectFrom('products')
      .select((eb) => [eb.fn.min<number>('id').as('low'), eb.fn.max<number>('id').as('high')])
      .executeTakeFirst();
    if (row?.low === null || row?.low === undefined || row.high === null) return null;
    return Math.floor((Number(row.low) + Number(row.high)) / 2);
  } finally {
    await keygate.close();
  }
}

/** Migrates the database (idempotent) and inserts the rows; returns what the benchmark can use. */
export async function generateData(options: GenerateOptions): Promise<GeneratedData> {
  const started = performance.now();
  const keygate = createKeygate(loadConfig({ DATABASE_URL: options.databaseUrl }));
  try {
    await migrateToLatest(keygate.database);
  } finally {
    await keygate.close();
  }
  const passwordHash = await hashPassword(GENERATED_PASSWORD);
  const sampleUser =
    dialectOf(options.databaseUrl) === 'sqlite'
      ? generateSqlite(sqlitePath(options.databaseUrl), options, passwordHash)
      : await generatePostgres(options.databaseUrl, options, passwordHash);
  return {
    products: options.products,
    users: options.users,
    middleProductId: await middleProductId(options.databaseUrl),
    sampleUser,
    seconds: (performance.now() - started) / 1000,
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'database-url': { type: 'string' },
      products: { type: 'string', default: '0' },
      users: { type: 'string', default: '0' },
    },
  });
  const databaseUrl = values['database-url'];
  if (databaseUrl === undefined)
    throw new Error('--database-url is required (sqlite:<path> or postgres://...)');
  const result = await generateData({
    databaseUrl,
    products: Number(values.products),
    users: Number(values.users),
    log: (line) => process.stdout.write(`${line}\n`),
  });
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
