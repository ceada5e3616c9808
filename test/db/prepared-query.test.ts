// KeygateDatabase.prepare on each dialect: row objects by column name, values typed as keygate reads them.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import type { Dialect, KeygateDatabase } from '../../src/db/keygate-database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { openDatabase } from '../../src/db/open-database.js';
import { productDb } from '../../src/products/product-table.js';
import { createTestDatabase, POSTGRES_AVAILABLE, type TestDatabase } from '../helpers.js';

const CREATED = '2026-11-27T23:29:42.748410Z';

/** Two products and the users the null-column checks read; the product count is kept by triggers. */
async function seed(database: KeygateDatabase): Promise<void> {
  await productDb(database.db)
    .insertInto('products')
    .values([
      // Beyond 2^31: a bigint that still fits in 2^53 comes back as a number.
      { name: 'Kettle', description: '', price_cents: 2 ** 40, stock: 3, created: CREATED, updated: CREATED },
      { name: 'Mug', description: 'blue', price_cents: 450, stock: 0, created: CREATED, updated: CREATED },
    ])
    .execute();
  await database.db
    .insertInto('users')
    .values({
      username: 'ann',
      password: '!',
      is_active: true,
      is_staff: false,
      is_superuser: false,
      date_joined: CREATED,
    })
    .execute();
}

/** The tests, on a fresh database of `dialect` opened by `open` from its URL. */
function preparedQueryTests(dialect: Dialect, open: (url: string) => KeygateDatabase): void {
  let test: TestDatabase;
  let database: KeygateDatabase;

  before(async () => {
    test = await createTestDatabase(dialect);
    database = open(test.url);
    await migrateToLatest(database);
    await seed(database);
  });

  after(async () => {
    await database?.close();
    await test?.drop();
  });

  it('builds each row under its column names and aliases, in order, with the count as a number', async () => {
    const page = database.prepare(
      'keygate_test_page',
      productDb(database.db)
        .selectFrom('products')
        .select(['id', 'name', 'price_cents', 'created'])
        .select(sql<number>`(select n from product_count where id = 1)`.as('total'))
        .orderBy('id')
        .limit(0)
        .offset(0)
        .compile(),
    );
    const rows = await page.execute([10, 0]);
    assert.deepEqual(
      rows.map((row) => ({ ...row, id: Number(row.id) })),
      [
        { id: 1, name: 'Kettle', price_cents: 2 ** 40, created: CREATED, total: 2 },
        { id: 2, name: 'Mug', price_cents: 450, created: CREATED, total: 2 },
      ],
    );
    assert.deepEqual(Object.keys(rows[0]!), ['id', 'name', 'price_cents', 'created', 'total']);
    // Run again with other parameters: the same statement, the same names.
    const second = await page.execute([10, 1]);
    assert.deepEqual(
      second.map((row) => row.name),
      ['Mug'],
    );
    assert.equal(second[0]!.total, 2);
  });

  it('gives no rows, and `first` undefined, when nothing matches', async () => {
    const byId = database.prepare(
      'keygate_test_product',
      productDb(database.db).selectFrom('products').select(['id', 'name']).where('id', '=', 0).compile(),
    );
    assert.deepEqual(await byId.execute([999]), []);
    assert.equal(await byId.first([999]), undefined);
    assert.equal((await byId.first([2]))?.name, 'Mug');
  });

  it('keeps null columns null and reads timestamps as ISO text with microseconds', async () => {
    const user = database.prepare(
      'keygate_test_user',
      database.db
        .selectFrom('users')
        .select(['username', 'last_login', 'date_joined'])
        .where('username', '=', '')
        .compile(),
    );
    const row = await user.first(['ann']);
    assert.deepEqual(row, { username: 'ann', last_login: null, date_joined: CREATED });
  });
}

describe('prepare [sqlite]', () => {
  preparedQueryTests('sqlite', (url) => openDatabase(url));
});

describe("prepare on keygate's pool [postgres]", { skip: !POSTGRES_AVAILABLE }, () => {
  preparedQueryTests('postgres', (url) => openDatabase(url, { poolSize: 2 }));
});

describe(
  'prepare on a host pool without keygate type parsers [postgres]',
  { skip: !POSTGRES_AVAILABLE },
  () => {
    let pool: pg.Pool | null = null;
    after(() => pool?.end());
    preparedQueryTests('postgres', (url) => {
      pool = new pg.Pool({ connectionString: url, max: 2, options: '-c TimeZone=Europe/Paris' });
      return openDatabase(pool);
    });
  },
);
