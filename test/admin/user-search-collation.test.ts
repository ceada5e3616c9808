// The "add token" user picker's prefix search on a PostgreSQL database created with a language
// collation (ICU en-US): still a case-sensitive prefix match, answered from the "C" index.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import { createTokenAdminQueries } from '../../src/admin/token-admin-queries.js';
import type { KeygateDatabase } from '../../src/db/keygate-database.js';
import { openDatabase } from '../../src/db/open-database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { PG_ADMIN_URL, POSTGRES_AVAILABLE } from '../helpers.js';

async function admin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

describe('user prefix search under an en-US collation [postgres]', { skip: !POSTGRES_AVAILABLE }, () => {
  const name = `keygate_test_icu_${randomBytes(4).toString('hex')}`;
  let database: KeygateDatabase;

  before(async () => {
    await admin(
      `CREATE DATABASE ${name} TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'`,
    );
    const url = new URL(PG_ADMIN_URL);
    url.pathname = `/${name}`;
    database = openDatabase(url.toString(), { poolSize: 2 });
    await migrateToLatest(database);
    const now = new Date().toISOString();
    await database.db
      .insertInto('users')
      .values(
        ['alice', 'Alice', 'ALBERT', 'albert', 'al_x', 'alzzz', 'bob', 'a.l'].map((username) => ({
          username,
          password: '!',
          is_active: true,
          is_staff: false,
          is_superuser: false,
          date_joined: now,
        })),
      )
      .execute();
  });

  after(async () => {
    await database?.close();
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });

  it('the database orders usernames by language (the case the C collation is there for)', async () => {
    const rows = await database.db.selectFrom('users').select('username').orderBy('username').execute();
    assert.notDeepEqual(
      rows.map((r) => r.username),
      rows.map((r) => r.username).sort(),
      'en-US order differs from code-point order',
    );
  });

  it('finds exactly the usernames that start with the prefix, case-sensitively, in code-point order', async () => {
    const queries = createTokenAdminQueries(database);
    const found = await queries.usersStartingWith('al');
    assert.deepEqual(
      found.map((u) => u.username),
      ['al_x', 'albert', 'alice', 'alzzz'],
    );
    assert.deepEqual(
      (await queries.usersStartingWith('Al')).map((u) => u.username),
      ['Alice'],
    );
  });

  it('is answered from the users_username_c index', async () => {
    const plan = await database.db.connection().execute(async (conn) => {
      await sql`SET enable_seqscan = off`.execute(conn);
      const result = await sql<{ 'QUERY PLAN': string }>`EXPLAIN SELECT id, username FROM users
        WHERE username COLLATE "C" >= ${'al'} AND username COLLATE "C" < ${'al\u{10FFFF}'}
        ORDER BY username COLLATE "C" LIMIT 20`.execute(conn);
      await sql`RESET enable_seqscan`.execute(conn);
      return result.rows.map((row) => row['QUERY PLAN']).join('\n');
    });
    assert.match(plan, /Index Scan using users_username_c/, plan);
  });
});
