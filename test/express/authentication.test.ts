// keygate/express's tokenAuthentication and requireAuth on a real Express 5 app, byte for byte against keygate's own server.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import express from 'express';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { requireAuth } from '../../src/express/index.js';
import type { User } from '../../src/users/user.js';
import { describeEachDialect, uniqueName } from '../helpers.js';
import {
  fastifyRoutes,
  send,
  startExpress,
  type ExpressServer,
  type RawResponse,
} from './express-support.js';

const NOT_PROVIDED = 'Authentication credentials were not provided.';

describeEachDialect(
  'keygate/express: token authentication and permissions',
  (ctx) => {
    let server: ExpressServer;
    let fastifyUrl: string;
    let alice: User;
    let aliceKey: string;
    let aliceTokenId: number;
    let staffKey: string;
    let inactiveKey: string;

    before(async () => {
      const { keygate } = ctx();
      server = await startExpress(keygate);
      fastifyUrl = await ctx().listen();
      const password = 'correct horse';
      alice = await keygate.users.createUser({
        username: uniqueName('alice'),
        password,
        email: 'a@example.com',
      });
      const issued = await keygate.tokens.getOrCreate(alice);
      aliceKey = issued.key;
      aliceTokenId = issued.token.id;
      const staff = await keygate.users.createUser({
        username: uniqueName('staff'),
        password,
        isStaff: true,
      });
      staffKey = (await keygate.tokens.getOrCreate(staff)).key;
      const gone = await keygate.users.createUser({ username: uniqueName('gone'), password });
      inactiveKey = (await keygate.tokens.getOrCreate(gone)).key;
      await keygate.users.setActive(gone.username, false);
    });

    after(async () => {
      await server.close();
    });

    /**
     * The same request to the Express app and to keygate's server (at `theirPath`, by default the
     * same path): the same status, body and headers.
     */
    async function both(
      path: string,
      headers: Record<string, string> = {},
      theirPath = path,
    ): Promise<RawResponse> {
      const [ours, theirs] = await Promise.all([
        send(server.url, 'GET', path, headers),
        send(fastifyUrl, 'GET', theirPath, headers),
      ]);
      assert.equal(ours.status, theirs.status, `${path} ${JSON.stringify(headers)}: ${ours.body}`);
      assert.equal(ours.body, theirs.body);
      if (ours.status >= 400) {
        for (const name of ['content-type', 'content-length', 'www-authenticate']) {
          assert.equal(ours.headers[name], theirs.headers[name], name);
        }
        // keygate's API views vary on Accept (their renderer is negotiated); so do these answers.
        assert.equal(ours.headers.vary, 'Accept');
        if (theirPath === '/product_api/') assert.match(String(theirs.headers.vary), /\bAccept\b/);
        assert.equal(ours.headers.etag, undefined);
      }
      return ours;
    }

    /** A 401 from Express's `path` and from keygate's own token-protected API view, /product_api/. */
    async function expect401(path: string, authorization: string | undefined, detail: string): Promise<void> {
      const headers: Record<string, string> = authorization === undefined ? {} : { authorization };
      const response = await both(path, headers, '/product_api/');
      await both(path, headers);
      assert.equal(response.status, 401);
      assert.equal(response.headers['www-authenticate'], 'Token');
      assert.equal(response.headers['content-type'], 'application/json');
      assert.equal(response.body, JSON.stringify({ detail }));
    }

    it('no header, an empty one, another scheme or a glued keyword: not provided (401 on a protected route)', async () => {
      for (const authorization of [undefined, '', 'Bearer abc', 'Basic YTpi', `Token${'a'.repeat(40)}`]) {
        await expect401('/protected/', authorization, NOT_PROVIDED);
      }
    });

    it("malformed Token headers: DRF's three messages", async () => {
      await expect401('/protected/', 'Token', 'Invalid token header. No credentials provided.');
      await expect401('/protected/', 'Token   ', 'Invalid token header. No credentials provided.');
      await expect401(
        '/protected/',
        'Token a b',
        'Invalid token header. Token string should not contain spaces.',
      );
      await expect401(
        '/protected/',
        'Token \xff\xfe',
        'Invalid token header. Token string should not contain invalid characters.',
      );
    });

    it('an unknown key is "Invalid token."; an inactive user\'s key is "User inactive or deleted."', async () => {
      await expect401('/protected/', `Token ${'0'.repeat(40)}`, 'Invalid token.');
      await expect401('/protected/', `Token ${inactiveKey}`, 'User inactive or deleted.');
    });

    it('a good key: the handler sees req.user and req.auth; the keyword is case-insensitive', async () => {
      for (const authorization of [`Token ${aliceKey}`, `token ${aliceKey}`, `TOKEN\t ${aliceKey}`]) {
        const response = await both('/protected/', { authorization });
        assert.equal(response.status, 200);
        assert.deepEqual(JSON.parse(response.body), { username: alice.username, tokenId: aliceTokenId });
      }
    });

    it('a public route: anonymous passes with req.user null, but a bad Token header is still a 401', async () => {
      const anonymous = await send(server.url, 'GET', '/public/');
      assert.equal(anonymous.status, 200);
      assert.deepEqual(JSON.parse(anonymous.body), { username: null, tokenId: null });
      const bad = await send(server.url, 'GET', '/public/', { authorization: 'Token nope' });
      assert.equal(bad.status, 401);
      assert.equal(bad.body, '{"detail":"Invalid token."}');
      assert.equal(bad.headers['www-authenticate'], 'Token');
    });

    it('a permission refusing an authenticated user is 403; an anonymous one is 401', async () => {
      const refused = await both('/staff/', { authorization: `Token ${aliceKey}` });
      assert.equal(refused.status, 403);
      assert.equal(refused.body, '{"detail":"You do not have permission to perform this action."}');
      assert.equal(refused.headers['www-authenticate'], undefined);
      await expect401('/staff/', undefined, NOT_PROVIDED);
      const staff = await both('/staff/', { authorization: `Token ${staffKey}` });
      assert.equal(staff.status, 200);
    });

    it('no key reaches an error, and nothing reached the host error handler', async () => {
      const secret = 'f'.repeat(40);
      const response = await send(server.url, 'GET', '/protected/', { authorization: `Token ${secret}` });
      assert.equal(response.status, 401);
      assert.ok(!JSON.stringify(response).includes(secret));
      assert.deepEqual(server.errors, []);
    });

    it('requireAuth() without tokenAuthentication() before it goes to the error handler, never lets a request pass', async () => {
      const errors: unknown[] = [];
      const app = express();
      app.get('/x/', requireAuth(), (_req, res) => void res.json({ passed: true }));
      app.use((error: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
        errors.push(error);
        res.status(500).end();
      });
      const listener = app.listen(0, '127.0.0.1');
      await once(listener, 'listening');
      try {
        const response = await send(
          `http://127.0.0.1:${(listener.address() as AddressInfo).port}`,
          'GET',
          '/x/',
        );
        assert.equal(response.status, 500);
        assert.match(String(errors[0]), /tokenAuthentication\(\)/);
      } finally {
        listener.close();
      }
    });
  },
  { setup: fastifyRoutes },
);
