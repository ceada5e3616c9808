// The keygate plugin in a host's own Fastify app: its routes protected by app.authenticate(),
// the token endpoints under a prefix, keygate's pipeline kept out of the host's routes.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import pg from 'pg';
import {
  AllowAny,
  IsAdminUser,
  keygatePlugin,
  openKeygate,
  type Keygate,
  type KeygatePluginOptions,
} from '../../src/index.js';
import { buildApp } from '../../src/app.js';
import { productResource } from '../../src/products/product-resource.js';
import { sessionVaryPlugin } from '../../src/auth/session-vary.js';
import { csrfPlugin } from '../../src/csrf/csrf-plugin.js';
import { sessionPlugin } from '../../src/sessions/session-plugin.js';
import { createTestDatabase, POSTGRES_AVAILABLE, uniqueName, type TestDatabase } from '../helpers.js';

const PASSWORD = 'correct horse battery staple';
const NOT_PROVIDED = '{"detail":"Authentication credentials were not provided."}';
const INVALID = '{"detail":"Invalid token."}';
const FORBIDDEN = '{"detail":"You do not have permission to perform this action."}';

/** A host app: its own error handler and routes, keygate registered beside them. */
async function hostApp(
  keygate: Keygate,
  options: Partial<KeygatePluginOptions> = {},
): Promise<FastifyInstance> {
  const app = Fastify();
  app.setErrorHandler((error, _request, reply) =>
    reply.code(500).send({ host: 'error', message: error instanceof Error ? error.message : '?' }),
  );
  await app.register(keygatePlugin, { keygate, tokenEndpoints: { prefix: '/auth' }, ...options });
  app.get('/api/me/', { preHandler: app.authenticate() }, (request) => ({
    username: request.user?.username,
    tokenId: request.auth?.id,
  }));
  app.get('/api/staff/', { preHandler: app.authenticate({ permissions: [IsAdminUser] }) }, () => ({
    ok: true,
  }));
  app.get('/api/public/', { preHandler: app.authenticate({ permissions: [AllowAny] }) }, (request) => ({
    user: request.user?.username ?? null,
  }));
  app.post('/api/echo/', (request) => ({ body: request.body }));
  app.get('/api/boom/', () => {
    throw new Error('host failure');
  });
  await app.ready();
  return app;
}

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe(
    `keygate plugin in a host Fastify app [${dialect}]`,
    { skip: dialect === 'postgres' && !POSTGRES_AVAILABLE },
    () => {
      let database: TestDatabase;
      let keygate: Keygate;
      let app: FastifyInstance;
      let username: string;
      let key: string;

      before(async () => {
        database = await createTestDatabase(dialect);
        keygate = openKeygate({ database: database.url, logLevel: 'silent' });
        await keygate.migrate();
        app = await hostApp(keygate);
        username = uniqueName('alice');
        const user = await keygate.users.createUser({
          username,
          email: `${username}@example.com`,
          password: PASSWORD,
        });
        key = (await keygate.tokens.getOrCreate(user)).key;
      });

      after(async () => {
        await app?.close();
        await keygate?.close();
        await database?.drop();
      });

      it("answers a missing or wrong token with DRF's exact 401, and lets the right one through", async () => {
        const none = await app.inject({ url: '/api/me/' });
        assert.equal(none.statusCode, 401);
        assert.equal(none.body, NOT_PROVIDED);
        assert.equal(none.headers['www-authenticate'], 'Token');
        assert.equal(none.headers['content-type'], 'application/json');

        const wrong = await app.inject({ url: '/api/me/', headers: { authorization: 'Token nope' } });
        assert.equal(wrong.statusCode, 401);
        assert.equal(wrong.body, INVALID);

        const right = await app.inject({ url: '/api/me/', headers: { authorization: `Token ${key}` } });
        assert.equal(right.statusCode, 200, right.body);
        const body = right.json<{ username: string; tokenId: number }>();
        assert.equal(body.username, username);
        assert.equal(typeof body.tokenId, 'number');
      });

      it("answers as keygate's own server does, byte for byte", async () => {
        const own = buildApp(keygate, { logger: false });
        await own.ready();
        try {
          for (const authorization of [undefined, 'Token', 'Token a b', 'Token nope', 'Bearer x']) {
            const headers = authorization === undefined ? {} : { authorization };
            const theirs = await own.inject({ url: '/product_api/', headers });
            const ours = await app.inject({ url: '/api/me/', headers });
            assert.equal(ours.statusCode, theirs.statusCode, String(authorization));
            assert.equal(ours.body, theirs.body, String(authorization));
            assert.equal(ours.headers['www-authenticate'], theirs.headers['www-authenticate']);
          }
        } finally {
          await own.close();
        }
      });

      it('refuses an authenticated user a permission with 403, and lets anonymous requests through AllowAny', async () => {
        const staff = await app.inject({ url: '/api/staff/', headers: { authorization: `Token ${key}` } });
        assert.equal(staff.statusCode, 403);
        assert.equal(staff.body, FORBIDDEN);
        const anonymousStaff = await app.inject({ url: '/api/staff/' });
        assert.equal(anonymousStaff.statusCode, 401);

        const anonymous = await app.inject({ url: '/api/public/' });
        assert.deepEqual(anonymous.json(), { user: null });
        const known = await app.inject({ url: '/api/public/', headers: { authorization: `Token ${key}` } });
        assert.deepEqual(known.json(), { user: username });
        // A bad token is refused even where anyone may come in, as DRF does.
        assert.equal(
          (await app.inject({ url: '/api/public/', headers: { authorization: 'Token x' } })).statusCode,
          401,
        );
      });

      it("serves the token endpoints under the prefix, and nothing at keygate's own URLs", async () => {
        const obtained = await app.inject({
          method: 'POST',
          url: '/auth/gettoken/',
          payload: { username, password: PASSWORD },
        });
        assert.equal(obtained.statusCode, 200, obtained.body);
        assert.equal(obtained.body, JSON.stringify({ token: key }));
        assert.equal(obtained.headers['cache-control'], 'no-store');
        const custom = await app.inject({
          method: 'POST',
          url: '/auth/customtoken/',
          payload: `username=${username}&password=${encodeURIComponent(PASSWORD)}`,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        });
        assert.equal(custom.statusCode, 200, custom.body);
        assert.equal(custom.json<{ Token: string }>().Token, key);
        const bad = await app.inject({
          method: 'POST',
          url: '/auth/gettoken/',
          payload: { username, password: 'no' },
        });
        assert.equal(bad.statusCode, 400);
        assert.equal(bad.body, '{"non_field_errors":["Unable to log in with provided credentials."]}');
        for (const url of ['/gettoken/', '/admin/', '/docs', '/product_api/', '/auth/login/']) {
          assert.equal((await app.inject({ url })).statusCode, 404, url);
        }
      });

      it("leaves the host's body parsing and error handling alone", async () => {
        const echo = await app.inject({ method: 'POST', url: '/api/echo/', payload: { a: [1, 2] } });
        assert.deepEqual(echo.json(), { body: { a: [1, 2] } });
        const boom = await app.inject({ url: '/api/boom/' });
        assert.equal(boom.statusCode, 500);
        assert.deepEqual(boom.json(), { host: 'error', message: 'host failure' });
        // keygate's JSON parse error is DRF's, in keygate's scope only.
        const broken = await app.inject({
          method: 'POST',
          url: '/auth/gettoken/',
          payload: '{',
          headers: { 'content-type': 'application/json' },
        });
        assert.equal(broken.statusCode, 400);
        assert.match(broken.body, /^\{"detail":"JSON parse error - /);
      });

      it('refuses wiring mistakes at start-up', async () => {
        await assert.rejects(hostApp(keygate, { browsableApi: true }), /need `sessions: true`/);
        await assert.rejects(hostApp(keygate, { admin: true }), /need `sessions: true`/);
        await assert.rejects(
          hostApp(keygate, { tokenEndpoints: { prefix: 'auth/' } }),
          /a prefix is path segments/,
        );
        const twice = Fastify();
        await twice.register(keygatePlugin, { keygate });
        await assert.rejects(async () => {
          await twice.register(keygatePlugin, { keygate });
        }, /keygate/);
        await twice.close();
        // Each of keygate's feature plugins names what it needs: a wrong order fails at start-up.
        for (const [feature, missing] of [
          [sessionPlugin, 'keygate'],
          [csrfPlugin, 'keygate-sessions'],
          [sessionVaryPlugin, 'keygate-sessions'],
        ] as const) {
          const bare = Fastify();
          await assert.rejects(
            async () => {
              await bare.register(feature);
              await bare.ready();
            },
            new RegExp(`dependency '${missing}'`),
          );
          await bare.close();
        }
      });

      it('serves API resources and their docs under a prefix', async () => {
        const api = await hostApp(keygate, {
          api: { prefix: '/api/v1', resources: [productResource(keygate)] },
          docs: { title: 'Host API', version: '1.0.0', prefix: '/api/v1' },
        });
        try {
          const headers = { authorization: `Token ${key}`, host: 'api.example.com' };
          const root = await api.inject({ url: '/api/v1/', headers });
          assert.equal(root.statusCode, 200, root.body);
          assert.equal(root.body, '{"product_api":"http://api.example.com/api/v1/product_api/"}');
          const created = await api.inject({
            method: 'POST',
            url: '/api/v1/product_api/',
            headers,
            payload: { name: 'Mug', price: '12.50' },
          });
          assert.equal(created.statusCode, 201, created.body);
          const { id } = created.json<{ id: number }>();
          const one = await api.inject({ url: `/api/v1/product_api/${id}/`, headers });
          assert.equal(one.json<{ name: string }>().name, 'Mug');
          const anonymous = await api.inject({ url: '/api/v1/product_api/' });
          assert.equal(anonymous.statusCode, 401);
          assert.equal(anonymous.body, NOT_PROVIDED);
          assert.equal((await api.inject({ url: '/product_api/', headers })).statusCode, 404);
          const document = await api.inject({ url: '/api/v1/openapi.json' });
          assert.equal(document.statusCode, 200);
          const paths = Object.keys(document.json<{ paths: Record<string, unknown> }>().paths);
          assert.ok(paths.includes('/api/v1/product_api/{pk}/'), paths.join(' '));
          assert.equal((await api.inject({ url: '/api/v1/docs' })).statusCode, 200);
          assert.equal((await api.inject({ url: '/openapi.json' })).statusCode, 404);
        } finally {
          await api.close();
        }
      });

      it('serves the admin under its own root and the docs when asked', async () => {
        const full = await hostApp(keygate, {
          sessions: true,
          admin: { root: '/backoffice/' },
          docs: { title: 'Host API', version: '3.1.0' },
        });
        try {
          const admin = await full.inject({ url: '/backoffice/' });
          assert.equal(admin.statusCode, 302);
          assert.equal(admin.headers.location, '/backoffice/login/?next=/backoffice/');
          const document = await full.inject({ url: '/openapi.json' });
          assert.equal(document.statusCode, 200);
          const info = document.json<{ info: { title: string; version: string } }>().info;
          assert.deepEqual([info.title, info.version], ['Host API', '3.1.0']);
        } finally {
          await full.close();
        }
      });
    },
  );
}

describe("keygate on the host's own pg.Pool", { skip: !POSTGRES_AVAILABLE }, () => {
  it('authenticates through the pool and leaves it open when closed', async () => {
    const database = await createTestDatabase('postgres');
    const pool = new pg.Pool({ connectionString: database.url, max: 4 });
    try {
      const keygate = openKeygate({ database: pool, logLevel: 'silent' });
      await keygate.migrate();
      const user = await keygate.users.createUser({ username: uniqueName('pool'), password: PASSWORD });
      const { key } = await keygate.tokens.getOrCreate(user);
      const app = await hostApp(keygate);
      const answer = await app.inject({ url: '/api/me/', headers: { authorization: `Token ${key}` } });
      assert.equal(answer.json<{ username: string }>().username, user.username);
      await app.close();
      await keygate.close();
      const { rows } = await pool.query<{ n: string }>('select count(*) as n from tokens');
      assert.equal(rows[0]?.n, '1');
    } finally {
      await pool.end();
      await database.drop();
    }
  });
});
