// openDatabase on what the host already has: a pg.Pool or a better-sqlite3 handle, left open by close().
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { sqlitePath } from '../../src/db/database-url.js';
import type { KeygateDatabase } from '../../src/db/keygate-database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { openDatabase } from '../../src/db/open-database.js';
import { createTestDatabase, POSTGRES_AVAILABLE, type TestDatabase } from '../helpers.js';

const ISO_MICROS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/** Adds a user through keygate's Kysely and reads it back; returns its date_joined as read. */
async function roundTrip(database: KeygateDatabase, username: string): Promise<unknown> {
  await database.db
    .insertInto('users')
    .values({
      username,
      password: '!',
      is_active: true,
      is_staff: false,
      is_superuser: false,
      date_joined: '2026-11-27T23:29:42.748410Z',
    })
    .execute();
  const row = await database.db
    .selectFrom('users')
    .select(['username', 'date_joined'])
    .where('username', '=', username)
    .executeTakeFirstOrThrow();
  assert.equal(row.username, username);
  return row.date_joined;
}

describe('openDatabase on a host pg.Pool [postgres]', { skip: !POSTGRES_AVAILABLE }, () => {
  let test: TestDatabase;
  let pool: pg.Pool;
  let database: KeygateDatabase;

  before(async () => {
    test = await createTestDatabase('postgres');
    // A host pool as an application makes it: no keygate type parsers, the server's time zone.
    pool = new pg.Pool({ connectionString: test.url, max: 3, options: '-c TimeZone=Europe/Paris' });
    database = openDatabase(pool);
  });

  after(async () => {
    await pool?.end();
    await test?.drop();
  });

  it('is PostgreSQL, located without a password, migrated by the caller', () => {
    assert.equal(database.dialect, 'postgres');
    assert.equal(database.migratesItself, false);
    assert.equal(database.location, new URL(test.url).toString());
    assert.equal(database.dataVersion, null);
  });

  it('runs the migrations and queries on the pool, reading values as keygate does', async () => {
    assert.ok((await migrateToLatest(database)).length > 0);
    // keygate's parsers, not the pool's (which would give a Date in Paris time).
    assert.equal(await roundTrip(database, 'hosted'), '2026-11-27T23:29:42.748410Z');
    const prepared = database.prepare<{ n: number }>(
      'keygate_test_count',
      database.db
        .selectFrom('users')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .compile(),
    );
    assert.deepEqual(await prepared.first([]), { n: 1 });
  });

  it('hears notifications over a client made from the pool options', async () => {
    const heard: string[] = [];
    let up = (): void => undefined;
    const listening = new Promise<void>((resolve) => (up = resolve));
    const notifications = database.listen('keygate_test_channel', {
      message: (payload) => heard.push(payload),
      up: () => up(),
      down: () => undefined,
    });
    assert.ok(notifications !== null);
    try {
      await listening;
      // Resolves once the listening session has answered, so the message has been handled.
      await database.notifyAndWait('keygate_test_channel', 5000);
      assert.equal(heard.length, 1);
      assert.match(heard[0]!, /^wait:/);
    } finally {
      await notifications.close();
    }
  });

  it('close() leaves the host pool open and usable', async () => {
    await database.close();
    assert.equal(pool.ended, false);
    const { rows } = await pool.query<{ username: string }>('SELECT username FROM users');
    assert.deepEqual(
      rows.map((r) => r.username),
      ['hosted'],
    );
  });

  it("a URL still opens (and closes) keygate's own pool", async () => {
    const own = openDatabase(test.url, { poolSize: 1 });
    assert.equal(await roundTrip(own, 'by-url'), '2026-11-27T23:29:42.748410Z');
    await own.close();
  });
});

describe('openDatabase on a host better-sqlite3 handle [sqlite]', () => {
  let test: TestDatabase;
  let handle: SQLite.Database;
  let database: KeygateDatabase;

  before(async () => {
    test = await createTestDatabase('sqlite');
    handle = new SQLite(sqlitePath(test.url));
    database = openDatabase(handle);
  });

  after(async () => {
    if (handle?.open) handle.close();
    await test?.drop();
  });

  it('is SQLite on the handle file, migrating itself, with a data version', () => {
    assert.equal(database.dialect, 'sqlite');
    assert.equal(database.migratesItself, true);
    assert.equal(database.location, handle.name);
    assert.equal(typeof database.dataVersion, 'function');
    assert.equal(handle.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(handle.pragma('foreign_keys', { simple: true }), 1);
  });

  it('runs the migrations and queries through the handle', async () => {
    assert.ok((await migrateToLatest(database)).length > 0);
    const version = database.dataVersion!();
    assert.match(String(await roundTrip(database, 'hosted')), ISO_MICROS);
    // The write went through the host's handle; keygate's reader sees it committed.
    assert.notEqual(database.dataVersion!(), version);
    const prepared = database.prepare<{ n: number }>(
      'count',
      database.db
        .selectFrom('users')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .compile(),
    );
    assert.deepEqual(await prepared.first([]), { n: 1 });
  });

  it('close() leaves the host handle open and usable', async () => {
    await database.close();
    assert.equal(handle.open, true);
    assert.deepEqual(handle.prepare('SELECT username FROM users').pluck().all(), ['hosted']);
  });

  it('an in-memory handle works too, with no data version (only this process writes it)', async () => {
    const memory = new SQLite(':memory:');
    const onMemory = openDatabase(memory);
    try {
      assert.equal(onMemory.dataVersion, null);
      await migrateToLatest(onMemory);
      assert.match(String(await roundTrip(onMemory, 'in-memory')), ISO_MICROS);
      await onMemory.close();
      assert.equal(memory.open, true);
    } finally {
      memory.close();
    }
  });
});
