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
          async up(db, { dialect: told }) {
            seen.push(told);
            const id = told === 'postgres' ? sql`id serial primary key` : sql`id integer primary key`;
            await sql`create table notes (${id}, text text not null)`.execute(db);
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
          await sql`insert into notes (text) values ('hello')`.execute(keygate.database.db);
        } finally {
          await app.close();
        }
      });
    },
  );
}
