// The runtime's AUTH_CHANGED_CHANNEL is the channel migration 0007's triggers notify.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { AUTH_CHANGED_CHANNEL } from '../../src/db/auth-changed-channel.js';
import type { KeygateDatabase } from '../../src/db/keygate-database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { openDatabase } from '../../src/db/open-database.js';
import { createTestDatabase, POSTGRES_AVAILABLE, type TestDatabase } from '../helpers.js';

describe('AUTH_CHANGED_CHANNEL', () => {
  it('is the literal migration 0007 spells out', () => {
    const migration = readFileSync(
      new URL('../../src/db/migrations/0007-auth-change-notify.ts', import.meta.url),
      'utf8',
    );
    assert.match(migration, new RegExp(`const CHANNEL = '${AUTH_CHANGED_CHANNEL}';`));
  });
});

describe('AUTH_CHANGED_CHANNEL on a migrated database [postgres]', { skip: !POSTGRES_AVAILABLE }, () => {
  let test: TestDatabase;
  let database: KeygateDatabase;
  let listener: pg.Client;

  before(async () => {
    test = await createTestDatabase('postgres');
    database = openDatabase(test.url, { poolSize: 1 });
    await migrateToLatest(database);
    listener = new pg.Client({ connectionString: test.url });
    await listener.connect();
    await listener.query(`LISTEN ${pg.escapeIdentifier(AUTH_CHANGED_CHANNEL)}`);
  });

  after(async () => {
    await listener?.end();
    await database?.close();
    await test?.drop();
  });

  it('is the channel the triggers notify when a user changes', async () => {
    const heard = new Promise<pg.Notification>((resolve) => listener.once('notification', resolve));
    await database.db
      .insertInto('users')
      .values({
        username: 'someone',
        password: '!',
        is_active: true,
        is_staff: false,
        is_superuser: false,
        date_joined: new Date().toISOString(),
      })
      .execute();
    await database.db.updateTable('users').set({ is_active: false }).execute();
    const notification = await heard;
    assert.equal(notification.channel, AUTH_CHANGED_CHANNEL);
    assert.equal(notification.payload, 'users');
  });
});
