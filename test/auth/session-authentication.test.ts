// SessionAuthentication as DRF's: no WWW-Authenticate, so a view whose first class is Session answers 403.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { TokenAuthentication } from '../../src/auth/authentication.js';
import { IsAuthenticated } from '../../src/auth/permissions.js';
import { SessionAuthentication } from '../../src/auth/session-authentication.js';
import { registerApiView } from '../../src/http/api-view.js';
import { jsonRenderer } from '../../src/http/render.js';
import { describeEachDialect, uniqueName } from '../helpers.js';
import { SessionClient } from '../sessions/session-client.js';

const PASSWORD = 'correct horse battery';

describeEachDialect(
  'SessionAuthentication',
  (ctx) => {
    let username: string;
    let authorization: string;

    before(async () => {
      username = uniqueName('alice');
      const user = await ctx().keygate.users.createUser({ username, password: PASSWORD });
      authorization = `Token ${(await ctx().keygate.tokens.getOrCreate(user)).key}`;
    });

    it('Session first: anonymous is 403 without WWW-Authenticate, as DRF', async () => {
      const response = await ctx().app.inject({ method: 'GET', url: '/session_first/' });
      assert.equal(response.statusCode, 403);
      assert.equal(response.headers['www-authenticate'], undefined);
      assert.equal(response.body, '{"detail":"Authentication credentials were not provided."}');
    });

    it('Session first: a logged-in browser passes, and request.user is its user', async () => {
      const client = new SessionClient(ctx().app);
      await client.login(username, PASSWORD);
      const response = await client.send({ method: 'GET', url: '/session_first/' });
      assert.equal(response.statusCode, 200);
      assert.deepEqual(response.json(), { user: username, auth: null });
    });

    it('a bad token after Session is still a 403 (the first class decides the status)', async () => {
      const response = await ctx().app.inject({
        method: 'GET',
        url: '/session_first/',
        headers: { authorization: 'Token nope' },
      });
      assert.equal(response.statusCode, 403);
      assert.equal(response.body, '{"detail":"Invalid token."}');
      const good = await ctx().app.inject({
        method: 'GET',
        url: '/session_first/',
        headers: { authorization },
      });
      assert.equal(good.statusCode, 200);
      assert.equal(good.json<{ auth: string | null }>().auth, 'token');
    });
  },
  {
    setup(app) {
      registerApiView(app, {
        name: 'Session First',
        url: '/session_first/',
        access: {
          authentication: [new SessionAuthentication(), new TokenAuthentication(app.keygate.tokens)],
          permissions: [IsAuthenticated],
        },
        renderers: [jsonRenderer],
        parses: ['application/json'],
        handlers: {
          GET: (request) => ({
            status: 200,
            data: { user: request.user?.username ?? null, auth: request.auth === null ? null : 'token' },
          }),
        },
      });
    },
  },
);
