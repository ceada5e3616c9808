// The token cache: reused lookups, and every way a change ends them (this process, other processes).
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import SQLite from 'better-sqlite3';
import { DummyDriver, Kysely, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler, sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { changesAuthentication, TokenCache } from '../../src/authtoken/token-cache.js';
import type { TokenWithUser } from '../../src/authtoken/token-repository.js';
import { loadConfig } from '../../src/config.js';
import type { KeygateDatabase } from '../../src/db/keygate-database.js';
import { sqlitePath } from '../../src/db/database-url.js';
import { AUTH_CHANGED_CHANNEL } from '../../src/db/auth-changed-channel.js';
import type { Database } from '../../src/db/schema.js';
import { writesOf, type TableWrite, type WriteListener } from '../../src/db/write-watch.js';
import { buildApp } from '../../src/app.js';
import { createKeygate, type Keygate } from '../../src/keygate.js';
import { describeEachDialect, uniqueName, type DialectContext } from '../helpers.js';
import type { ProductTables } from '../../src/products/product-table.js';

// A database stand-in for the cache's own logic: SQLite-like (no notifications), writes fed by hand.
function fakeDatabase(dataVersion: (() => number) | null = null): {
  database: KeygateDatabase;
  write: (writes: readonly TableWrite[]) => void;
} {
  const listeners: WriteListener[] = [];
  const database = {
    dialect: 'sqlite',
    onCommittedWrites(listener: WriteListener) {
      listeners.push(listener);
      return () => undefined;
    },
    dataVersion,
    listen: () => null,
    notifyAndWait: () => Promise.resolve(),
  } as unknown as KeygateDatabase;
  return { database, write: (writes) => listeners.forEach((l) => void l(writes)) };
}

function lookup(id: number, lastUsedAt: string | null = null): TokenWithUser {
  return {
    token: {
      id,
      userId: id,
      key: null,
      hint: 'x',
      name: '',
      created: '',
      expiresAt: null,
      lastUsedAt,
      scopes: [],
    },
    user: {
      id,
      username: `u${id}`,
      email: '',
      firstName: '',
      lastName: '',
      isActive: true,
      isStaff: false,
      isSuperuser: false,
      dateJoined: '',
      lastLogin: null,
    },
  };
}

describe('TokenCache', () => {
  it('reuses a lookup for ttlMs, then reads again', () => {
    let now = 1_000;
    const cache = new TokenCache(fakeDatabase().database, { ttlMs: 1000, now: () => now });
    assert.equal(cache.get('d1'), undefined);
    cache.store('d1', lookup(1), cache.begin());
    assert.equal(cache.get('d1')?.found.token.id, 1);
    now += 999;
    assert.equal(cache.get('d1')?.found.token.id, 1);
    now += 1;
    assert.equal(cache.get('d1'), undefined);
    assert.equal(cache.size, 0);
  });

  it('the age counts from when the read began, not when it finished', () => {
    let now = 0;
    const cache = new TokenCache(fakeDatabase().database, { ttlMs: 1000, now: () => now });
    cache.get('d1');
    const ticket = cache.begin();
    now = 600; // a slow read
    cache.store('d1', lookup(1), ticket);
    now = 1000;
    assert.equal(cache.get('d1'), undefined);
  });

  it('a lookup in flight while the cache was emptied is not stored', () => {
    const cache = new TokenCache(fakeDatabase().database, { ttlMs: 1000 });
    cache.get('d1');
    const ticket = cache.begin();
    cache.invalidate(); // a revocation commits while the read is on its way
    const returned = cache.store('d1', lookup(1), ticket);
    assert.equal(returned.found.token.id, 1, 'the request still gets what it read');
    assert.equal(cache.get('d1'), undefined);
  });

  it('committed writes to tokens or users empty it; bookkeeping writes and other tables do not', () => {
    const { database, write } = fakeDatabase();
    const cache = new TokenCache(database, { ttlMs: 1000 });
    cache.get('d1'); // starts watching
    const fill = () => cache.store('d1', lookup(1), cache.begin());
    fill();
    write([{ table: 'tokens', kind: 'update', columns: ['last_used_at'] }]);
    write([{ table: 'users', kind: 'update', columns: ['last_login'] }]);
    write([{ table: 'tokens', kind: 'insert', columns: [] }]);
    write([{ table: 'products', kind: 'delete', columns: [] }]);
    assert.equal(cache.size, 1);
    for (const change of [
      { table: 'tokens', kind: 'delete', columns: [] },
      { table: 'users', kind: 'update', columns: ['is_active'] },
      { table: 'users', kind: 'update', columns: ['password'] },
      { table: 'tokens', kind: 'update', columns: ['last_used_at', 'expires_at'] },
      { table: 'users', kind: 'delete', columns: [] },
      { table: '*', kind: 'other', columns: [] },
    ] as const) {
      fill();
      write([change]);
      assert.equal(cache.size, 0, JSON.stringify(change));
    }
  });

  it('SQLite: a moved data version empties it before a reuse, and retires tickets taken before', () => {
    let version = 1;
    const cache = new TokenCache(fakeDatabase(() => version).database, { ttlMs: 1000 });
    cache.get('d1');
    cache.store('d1', lookup(1), cache.begin());
    assert.equal(cache.get('d1')?.found.token.id, 1);
    version = 2; // another connection committed
    assert.equal(cache.get('d1'), undefined);
    assert.equal(cache.size, 0);
    cache.store('d1', lookup(1), cache.begin());
    assert.equal(cache.get('d1')?.found.token.id, 1, 'reused again at the new version');
    const ticket = cache.begin();
    version = 3; // a commit while a lookup is being read
    assert.equal(cache.get('d1'), undefined);
    cache.store('d2', lookup(2), ticket);
    assert.equal(cache.size, 0, 'a lookup read before the move is not kept');
  });

  it('SQLite: an unreadable data version means no reuse', () => {
    let broken = false;
    const cache = new TokenCache(
      fakeDatabase(() => {
        if (broken) throw new Error('SQLITE_IOERR');
        return 1;
      }).database,
      { ttlMs: 1000 },
    );
    cache.get('d1');
    cache.store('d1', lookup(1), cache.begin());
    broken = true;
    assert.equal(cache.get('d1'), undefined);
    broken = false;
    cache.store('d1', lookup(1), cache.begin());
    assert.ok(cache.get('d1'));
  });

  it('keeps at most maxEntries, dropping the oldest', () => {
    const cache = new TokenCache(fakeDatabase().database, { ttlMs: 1000, maxEntries: 2 });
    cache.get('a');
    for (const [i, digest] of ['a', 'b', 'c'].entries()) cache.store(digest, lookup(i), cache.begin());
    assert.equal(cache.size, 2);
    assert.equal(cache.get('a'), undefined);
    assert.ok(cache.get('c'));
  });

  it('ttlMs 0 keeps nothing', () => {
    const cache = new TokenCache(fakeDatabase().database, { ttlMs: 0 });
    cache.get('d1');
    cache.store('d1', lookup(1), cache.begin());
    assert.equal(cache.size, 0);
  });
});

describe('writesOf', () => {
  const db = new Kysely<Database & ProductTables>({
    dialect: {
      createAdapter: () => new SqliteAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (k) => new SqliteIntrospector(k),
      createQueryCompiler: () => new SqliteQueryCompiler(),
    },
  });

  it('names the table, the kind and the columns an update sets', () => {
    assert.deepEqual(writesOf(db.selectFrom('tokens').selectAll().compile()), []);
    assert.deepEqual(writesOf(db.updateTable('tokens').set({ last_used_at: 'x' }).compile()), [
      { table: 'tokens', kind: 'update', columns: ['last_used_at'] },
    ]);
    assert.deepEqual(writesOf(db.updateTable('users as u').set({ is_active: false, email: 'e' }).compile()), [
      { table: 'users', kind: 'update', columns: ['is_active', 'email'] },
    ]);
    assert.deepEqual(writesOf(db.deleteFrom('tokens').where('id', '=', 1).compile()), [
      { table: 'tokens', kind: 'delete', columns: [] },
    ]);
    assert.deepEqual(
      writesOf(
        db
          .insertInto('products')
          .values({ name: 'n' } as never)
          .compile(),
      ),
      [{ table: 'products', kind: 'insert', columns: [] }],
    );
  });

  it('counts raw statements other than reads as writes to any table', () => {
    assert.deepEqual(writesOf(sql`select 1`.compile(db)), []);
    assert.deepEqual(writesOf(sql`update users set is_active = 0`.compile(db)), [
      { table: '*', kind: 'other', columns: [] },
    ]);
    assert.deepEqual(writesOf(db.schema.dropTable('x').compile()), [
      { table: '*', kind: 'other', columns: [] },
    ]);
  });

  it('covers every column of each table but the bookkeeping one', () => {
    assert.equal(
      changesAuthentication({ table: 'tokens', kind: 'update', columns: ['last_used_at'] }),
      false,
    );
    assert.equal(changesAuthentication({ table: 'tokens', kind: 'update', columns: ['name'] }), true);
    assert.equal(changesAuthentication({ table: 'sessions', kind: 'delete', columns: [] }), false);
  });
});

/**
 * Authenticates until the lookup is cached: on PostgreSQL the cache is used only once its
 * listening connection is up, a few milliseconds after the first request.
 */
async function untilCached(request: () => Promise<number>, cache: TokenCache): Promise<void> {
  for (let i = 0; i < 100 && cache.size === 0; i += 1) {
    assert.equal(await request(), 200);
    if (cache.size === 0) await sleep(20);
  }
  assert.equal(cache.size, 1, 'the lookup is cached');
}

/** What the suites below do to a running app of one dialect. */
function appHelpers(ctx: () => DialectContext) {
  async function setUp() {
    const user = await ctx().keygate.users.createUser({
      username: uniqueName('cached'),
      password: 'pw-123456!',
    });
    const issued = await ctx().keygate.tokens.getOrCreate(user);
    return { user, key: issued.key, tokenId: issued.token.id };
  }

  async function status(key: string, app = ctx().app): Promise<number> {
    const response = await app.inject({
      method: 'GET',
      url: '/product_api/',
      headers: { authorization: `Token ${key}` },
    });
    return response.statusCode;
  }

  /** Runs `body` with a second keygate (its own pool, cache and listener) and app on this database. */
  async function withSecondProcess(
    body: (other: Keygate, app: FastifyInstance) => Promise<void>,
    env: Record<string, string> = {},
  ) {
    const other = createKeygate(loadConfig({ DATABASE_URL: ctx().url, LOG_LEVEL: 'silent', ...env }));
    const otherApp = buildApp(other, { logger: false });
    try {
      await otherApp.ready();
      await body(other, otherApp);
    } finally {
      await otherApp.close();
      await other.close();
    }
  }

  /** Milliseconds until `app` refuses `key`, polling; fails after 3 s. */
  async function msUntilRefused(key: string, app: FastifyInstance, started: number): Promise<number> {
    while (Date.now() - started < 3000) {
      if ((await status(key, app)) === 401) return Date.now() - started;
      await sleep(5);
    }
    assert.fail('the change was never seen');
  }

  return { setUp, status, withSecondProcess, msUntilRefused };
}

describeEachDialect('Token cache in a running app', (ctx) => {
  const { setUp, status, withSecondProcess, msUntilRefused } = appHelpers(ctx);

  async function cachedAfterOneRequest(key: string) {
    ctx().keygate.tokenCache.invalidate();
    await untilCached(() => status(key), ctx().keygate.tokenCache);
  }

  it('revoking a token through the service ends it at once', async () => {
    const { key, tokenId } = await setUp();
    await cachedAfterOneRequest(key);
    assert.equal(await ctx().keygate.tokens.delete(tokenId), true);
    assert.equal(ctx().keygate.tokenCache.size, 0);
    assert.equal(await status(key), 401);
  });

  it('deactivating the user ends it at once; reactivating restores it', async () => {
    const { user, key } = await setUp();
    await cachedAfterOneRequest(key);
    const inactive = await ctx().keygate.users.updateDetails(user, { isActive: false });
    assert.equal(await status(key), 401);
    await ctx().keygate.users.updateDetails(inactive, { isActive: true });
    assert.equal(await status(key), 200);
  });

  it('a password change empties the cache; the token itself stays valid, as in DRF', async () => {
    const { user, key } = await setUp();
    await cachedAfterOneRequest(key);
    await ctx().keygate.users.changePassword(user, 'another-pw-987!');
    assert.equal(ctx().keygate.tokenCache.size, 0);
    assert.equal(await status(key), 200);
  });

  it('a write through the query builder outside the services is seen at once', async () => {
    const { user, key } = await setUp();
    await cachedAfterOneRequest(key);
    await ctx()
      .keygate.database.db.updateTable('users')
      .set({ is_active: false })
      .where('id', '=', user.id)
      .execute();
    assert.equal(await status(key), 401);
  });

  it('a transaction that rolls back ends nothing; one that commits ends it only at COMMIT', async () => {
    const { key, tokenId } = await setUp();
    await cachedAfterOneRequest(key);
    const db = ctx().keygate.database.db;
    await assert.rejects(
      db.transaction().execute(async (trx) => {
        await trx.deleteFrom('tokens').where('id', '=', tokenId).execute();
        throw new Error('changed my mind');
      }),
      /changed my mind/,
    );
    assert.equal(ctx().keygate.tokenCache.size, 1);
    assert.equal(await status(key), 200);
    await db.transaction().execute(async (trx) => {
      await trx.deleteFrom('tokens').where('id', '=', tokenId).execute();
      assert.equal(ctx().keygate.tokenCache.size, 1, 'not before COMMIT');
    });
    assert.equal(ctx().keygate.tokenCache.size, 0);
    assert.equal(await status(key), 401);
  });

  it('writing last_used_at keeps the cache, and is still written', async () => {
    const { key, tokenId } = await setUp();
    await cachedAfterOneRequest(key);
    const row = async () =>
      ctx()
        .keygate.database.db.selectFrom('tokens')
        .select('last_used_at')
        .where('id', '=', tokenId)
        .executeTakeFirst();
    for (let i = 0; i < 50 && ((await row())?.last_used_at ?? null) === null; i += 1) await sleep(20);
    assert.notEqual((await row())?.last_used_at, null);
    assert.equal(ctx().keygate.tokenCache.size, 1);
  });

  it('another process hears of a change at once: NOTIFY on PostgreSQL, the data version on SQLite', async () => {
    const { user, key } = await setUp();
    await withSecondProcess(async (other, otherApp) => {
      await untilCached(() => status(key, otherApp), other.tokenCache);
      const started = Date.now();
      if (ctx().dialect === 'postgres') {
        // Any writer at all: the triggers notify (a SQL console here).
        const client = new pg.Client({ connectionString: ctx().url });
        await client.connect();
        await client.query('UPDATE users SET is_active = false WHERE id = $1', [user.id]);
        await client.end();
      } else {
        // Another keygate process (a worker, the CLI): here the first app's own services.
        await ctx().keygate.users.updateDetails(user, { isActive: false });
      }
      const elapsed = await msUntilRefused(key, otherApp, started);
      assert.ok(elapsed <= 300, `seen after ${elapsed} ms`);
    });
  });

  it('another process refuses a revoked key as soon as the revoking write has returned', async () => {
    await withSecondProcess(async (other, otherApp) => {
      const accepted: number[] = [];
      for (let i = 0; i < 20; i += 1) {
        const { key, tokenId } = await setUp();
        other.tokenCache.invalidate();
        await untilCached(() => status(key, otherApp), other.tokenCache);
        assert.equal(await ctx().keygate.tokens.delete(tokenId), true);
        // In the same tick: nothing the other process is told asynchronously can have arrived yet.
        const outcome = other.tokens.authenticate(key).then(
          () => 'accepted',
          () => 'refused',
        );
        if ((await outcome) === 'accepted') accepted.push(i);
        else if ((await status(key, otherApp)) !== 401) accepted.push(i);
      }
      assert.deepEqual(accepted, [], 'iterations in which the revoked key was still accepted');
    });
  });

  it('TOKEN_CACHE_MS=0 turns it off', async () => {
    const { key } = await setUp();
    await withSecondProcess(
      async (other, otherApp) => {
        assert.equal(await status(key, otherApp), 200);
        assert.equal(await status(key, otherApp), 200);
        assert.equal(other.tokenCache.size, 0);
      },
      { TOKEN_CACHE_MS: '0' },
    );
  });
});

describeEachDialect(
  'Token cache, SQLite',
  (ctx) => {
    const { setUp, status, withSecondProcess, msUntilRefused } = appHelpers(ctx);

    it('SQLite: a write from outside keygate (the sqlite3 shell) is seen at once too', async () => {
      const { user, key } = await setUp();
      await withSecondProcess(async (other, otherApp) => {
        await untilCached(() => status(key, otherApp), other.tokenCache);
        const connection = new SQLite(sqlitePath(ctx().url));
        connection.prepare('UPDATE users SET is_active = 0 WHERE id = ?').run(user.id);
        connection.close();
        assert.equal(await status(key, otherApp), 401);
      });
    });

    it('SQLite: after any commit elsewhere, even a bookkeeping one, the next use reads afresh', async () => {
      const { key, tokenId } = await setUp();
      await withSecondProcess(async (other, otherApp) => {
        await untilCached(() => status(key, otherApp), other.tokenCache);
        const cached = (await other.tokens.authenticate(key)).token.lastUsedAt;
        const written = '2031-01-02T03:04:05.000000Z';
        await ctx()
          .keygate.database.db.updateTable('tokens')
          .set({ last_used_at: written })
          .where('id', '=', tokenId)
          .execute();
        assert.notEqual(cached, written);
        assert.equal((await other.tokens.authenticate(key)).token.lastUsedAt, written);
      });
    });

    it('SQLite: a keygate process running with the cache off still tells the others', async () => {
      const { key, tokenId } = await setUp();
      await untilCached(() => status(key), ctx().keygate.tokenCache);
      await withSecondProcess(
        async (other) => {
          const started = Date.now();
          assert.equal(await other.tokens.delete(tokenId), true);
          const elapsed = await msUntilRefused(key, ctx().app, started);
          assert.ok(elapsed <= 300, `seen after ${elapsed} ms`);
        },
        { TOKEN_CACHE_MS: '0' },
      );
    });
  },
  { dialects: ['sqlite'] },
);

describeEachDialect(
  'Token cache notifications',
  (ctx) => {
    it('PostgreSQL: writes that matter notify at COMMIT; last_used_at and rolled-back writes do not', async () => {
      const listener = new pg.Client({ connectionString: ctx().url });
      await listener.connect();
      const received: string[] = [];
      listener.on('notification', (message) => received.push(message.payload ?? ''));
      await listener.query(`LISTEN ${AUTH_CHANGED_CHANNEL}`);
      try {
        const user = await ctx().keygate.users.createUser({
          username: uniqueName('notify'),
          password: 'pw-123456!',
        });
        const { token } = await ctx().keygate.tokens.getOrCreate(user);
        const db = ctx().keygate.database.db;
        await db
          .updateTable('tokens')
          .set({ last_used_at: new Date().toISOString() })
          .where('id', '=', token.id)
          .execute();
        await db
          .updateTable('users')
          .set({ last_login: new Date().toISOString() })
          .where('id', '=', user.id)
          .execute();
        await db
          .transaction()
          .execute(async (trx) => {
            await trx.deleteFrom('tokens').where('id', '=', token.id).execute();
            throw new Error('rollback');
          })
          .catch(() => undefined);
        await sleep(200);
        assert.deepEqual(received, [], 'inserts, bookkeeping and rolled-back writes are silent');
        await ctx().keygate.users.updateDetails(user, { email: 'n@example.com' });
        await ctx().keygate.tokens.delete(token.id);
        for (let i = 0; i < 100 && received.length < 4; i += 1) await sleep(10);
        // (A cast: the assertion above narrowed the array's type to never[].)
        const fromTriggers = (received as string[]).filter((payload) => !payload.startsWith('wait:'));
        assert.deepEqual(fromTriggers, ['users', 'tokens']);
        // A keygate writer also sends one of its own after each commit, which listeners answer.
        assert.equal(received.length - fromTriggers.length, 2);
      } finally {
        await listener.end();
      }
    });

    it('PostgreSQL: a keygate writer waits for every listening session to answer, at most withinMs', async () => {
      const database = ctx().keygate.database;
      const listener = new pg.Client({ connectionString: ctx().url });
      await listener.connect();
      try {
        await listener.query(`LISTEN ${AUTH_CHANGED_CHANNEL}`);
        await listener.query(`SET application_name = 'keygate listen ${AUTH_CHANGED_CHANNEL}'`);
        // A listening session that never answers (its process hangs): the writer gives up at the deadline.
        let started = Date.now();
        await database.notifyAndWait(AUTH_CHANGED_CHANNEL, 400);
        let elapsed = Date.now() - started;
        assert.ok(elapsed >= 399 && elapsed < 2000, `waited ${elapsed} ms`);
        // One that answers once it has heard: the writer goes on as soon as it has.
        let answered = 0;
        listener.on('notification', (message) => {
          if (!message.payload?.startsWith('wait:')) return;
          answered += 1;
          // A late copy (the first wait's notification, sent after its deadline on a busy machine)
          // may be answered after the client has ended: that answer is simply lost.
          void sleep(150)
            .then(() =>
              listener.query('SELECT pg_notify($1, $2)', [`${AUTH_CHANGED_CHANNEL}_heard`, message.payload]),
            )
            .catch(() => undefined);
        });
        started = Date.now();
        await database.notifyAndWait(AUTH_CHANGED_CHANNEL, 5000);
        elapsed = Date.now() - started;
        assert.ok(answered >= 1, `answered ${answered}`);
        assert.ok(elapsed >= 149 && elapsed < 2000, `waited ${elapsed} ms`);
      } finally {
        listener.removeAllListeners('notification');
        await listener.end();
      }
    });

    it('PostgreSQL: while the listening connection is lost the cache is not used, and it comes back', async () => {
      const user = await ctx().keygate.users.createUser({
        username: uniqueName('relisten'),
        password: 'pw-123456!',
      });
      const { key } = await ctx().keygate.tokens.getOrCreate(user);
      const cache = ctx().keygate.tokenCache;
      const get = async () =>
        (
          await ctx().app.inject({
            method: 'GET',
            url: '/product_api/',
            headers: { authorization: `Token ${key}` },
          })
        ).statusCode;
      await untilCached(get, cache);
      const admin = new pg.Client({ connectionString: ctx().url });
      await admin.connect();
      try {
        const killed = await admin.query(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
          WHERE datname = current_database() AND application_name = $1`,
          [`keygate listen ${AUTH_CHANGED_CHANNEL}`],
        );
        assert.equal(killed.rowCount, 1, 'one listening connection');
        for (let i = 0; i < 100 && cache.size > 0; i += 1) await sleep(10);
        assert.equal(cache.size, 0, 'emptied when the connection went');
        // Back within the reconnect delay; then a change from elsewhere is seen again at once.
        await untilCached(get, cache);
        await admin.query('UPDATE users SET is_active = false WHERE id = $1', [user.id]);
        let status = 200;
        for (let i = 0; i < 60 && status === 200; i += 1) {
          status = await get();
          if (status === 200) await sleep(5);
        }
        assert.equal(status, 401);
      } finally {
        await admin.end();
      }
    });
  },
  { dialects: ['postgres'] },
);
