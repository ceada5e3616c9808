// The text conditions each dialect builds: contains (any case, wildcards literal), startsWith and code point order.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Dialect, KeygateDatabase } from '../../src/db/keygate-database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { openDatabase } from '../../src/db/open-database.js';
import { createTestDatabase, POSTGRES_AVAILABLE, type TestDatabase } from '../helpers.js';

const USERNAMES = ['Alice', 'alice', 'al%ce', 'al_x', 'alb', 'b\\ob', 'Zed', 'éclair'];

for (const dialect of ['sqlite', 'postgres'] as const satisfies readonly Dialect[]) {
  describe(`text conditions [${dialect}]`, { skip: dialect === 'postgres' && !POSTGRES_AVAILABLE }, () => {
    let test: TestDatabase;
    let database: KeygateDatabase;

    before(async () => {
      test = await createTestDatabase(dialect);
      database = openDatabase(test.url, { poolSize: 1 });
      await migrateToLatest(database);
      const date_joined = new Date().toISOString();
      await database.db
        .insertInto('users')
        .values(
          USERNAMES.map((username) => ({
            username,
            password: '!',
            is_active: true,
            is_staff: false,
            is_superuser: false,
            date_joined,
          })),
        )
        .execute();
    });

    after(async () => {
      await database?.close();
      await test?.drop();
    });

    async function matching(condition: ReturnType<KeygateDatabase['contains']>): Promise<string[]> {
      const rows = await database.db
        .selectFrom('users')
        .select('username')
        .where(condition)
        .orderBy(database.byCodePoint('username'))
        .execute();
      return rows.map((row) => row.username);
    }

    it('contains ignores case and matches %, _ and \\ literally', async () => {
      assert.deepEqual(await matching(database.contains('username', 'ALI')), ['Alice', 'alice']);
      assert.deepEqual(await matching(database.contains('username', '%')), ['al%ce']);
      assert.deepEqual(await matching(database.contains('username', '_')), ['al_x']);
      assert.deepEqual(await matching(database.contains('username', '\\')), ['b\\ob']);
    });

    it('a NUL matches nothing and never fails', async () => {
      assert.deepEqual(await matching(database.contains('username', 'a\0')), []);
      assert.deepEqual(await matching(database.startsWith('username', 'a\0')), []);
    });

    it('startsWith is case-sensitive, and byCodePoint orders by code point', async () => {
      assert.deepEqual(await matching(database.startsWith('username', 'al')), [
        'al%ce',
        'al_x',
        'alb',
        'alice',
      ]);
      assert.deepEqual(await matching(database.startsWith('username', 'A')), ['Alice']);
      assert.deepEqual(await matching(database.startsWith('username', '')), [
        'Alice',
        'Zed',
        'al%ce',
        'al_x',
        'alb',
        'alice',
        'b\\ob',
        'éclair',
      ]);
    });
  });
}
