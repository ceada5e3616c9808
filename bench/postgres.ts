// The benchmark's own PostgreSQL database: created fresh for a run, dropped afterwards.
import pg from 'pg';

/** The server the benchmark uses unless `--pg-url` says otherwise (a maintenance database on it). */
export const DEFAULT_PG_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
/** The database the benchmark creates and drops. */
export const BENCH_DATABASE = 'keygate_bench';

async function withAdmin<T>(adminUrl: string, action: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    return await action(client);
  } finally {
    await client.end();
  }
}

/** Whether a PostgreSQL server answers at `adminUrl`; the reason when it does not. */
export async function postgresAnswers(adminUrl: string): Promise<{ ok: boolean; reason?: string }> {
  try {
    await withAdmin(adminUrl, (client) => client.query('SELECT 1'));
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

/** The URL of database `name` on the server of `adminUrl`. */
export function databaseUrl(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Drops (if it exists) and creates the benchmark database; returns its URL. */
export async function createBenchDatabase(adminUrl: string, name = BENCH_DATABASE): Promise<string> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain database name: ${name}`);
  await withAdmin(adminUrl, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${name}`);
  });
  return databaseUrl(adminUrl, name);
}

/** Drops the benchmark database (connections still open are ended). */
export async function dropBenchDatabase(adminUrl: string, name = BENCH_DATABASE): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain database name: ${name}`);
  await withAdmin(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}
