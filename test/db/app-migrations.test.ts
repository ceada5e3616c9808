// An application's own migrations given to openKeygate: migrate() applies them after keygate's,
// each is told its dialect, and /readyz stays 503 until they are applied.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import Fastify from 'fastify';
import { sql } from 'kysely';
import { keygatePlugin, openKeygate, type AppMigrations, type Keygate } from '../../src/index.js';
import { createTestDatabase, POSTGRES_AVAILABLE, type TestDatabase } from '../helpers.js';

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe(
    `openKeygate({ migrations }) [${dialect}]`,
    { skip: dialect === 'postgres' && !POSTGRES_AVAILABLE },
    () => {
      const seen: string[] = [];
      const migrations: AppMigrations = {
        '0001-notes': {
          async up(db, { dialect: told, primaryKey, timestamp }) {
            seen.push(told);
            await db.schema
              .createTable('notes')
              .addColumn('id', 'integer', primaryKey)
              .addColumn('text', 'text', (c) => c.notNull())
              .addColumn('created', timestamp, (c) => c.notNull())
              .execute();
          },
        },
      };
      let database: TestDatabase;
      let keygate: Keygate;

      after(async () => {
        await keygate?.close();
        await database?.drop();
      });

      it('answers /readyz 503 while the application migration is pending, then migrates it last', async () => {
        database = await createTestDatabase(dialect);
        // keygate's own schema first: only the application's migration is then pending.
        const bare = openKeygate({ database: database.url });
        const own = await bare.migrate();
        await bare.close();
        keygate = openKeygate({ database: database.url, migrations });
        assert.equal(keygate.migrations, migrations);
        const app = Fastify();
        await app.register(keygatePlugin, { keygate, health: true });
        try {
          const pending = await app.inject({ url: '/readyz' });
          assert.equal(pending.statusCode, 503);
          assert.match(pending.body, /migrations pending/);
          const applied = await keygate.migrate();
          assert.deepEqual(applied, ['app:0001-notes']);
          assert.ok(own.length > 0 && !own.some((name) => name.startsWith('app:')));
          assert.deepEqual(seen, [dialect]);
          assert.equal((await app.inject({ url: '/readyz' })).statusCode, 200);
          assert.deepEqual(await keygate.migrate(), [], 'nothing left to apply');
          const stamp = '2026-11-27T23:29:42.748410Z';
          await sql`insert into notes (text, created) values ('a', ${stamp}), ('b', ${stamp})`.execute(
            keygate.database.db,
          );
          const rows = await sql<{
            id: number;
            created: string;
          }>`select id, created from notes order by id`.execute(keygate.database.db);
          assert.deepEqual(
            rows.rows.map((row) => [Number(row.id), row.created]),
            [
              [1, stamp],
              [2, stamp],
            ],
            'ids are numbered; timestamps read back as written',
          );
        } finally {
          await app.close();
        }
      });
    },
  );
}
