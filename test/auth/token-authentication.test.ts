// WIRE.md's token-authentication table, row by row, against a protected route on both databases.
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { before, it } from 'node:test';
import { accessHook } from '../../src/auth/access.js';
import type { IssuedToken } from '../../src/authtoken/token-service.js';
import type { User } from '../../src/users/user.js';
import { describeEachDialect, uniqueName } from '../helpers.js';

const NOT_PROVIDED = 'Authentication credentials were not provided.';

describeEachDialect(
  'TokenAuthentication',
  (ctx) => {
    let user: User;
    let issued: IssuedToken;

    before(async () => {
      user = await ctx().keygate.users.createUser({
        username: uniqueName('alice'),
        password: 'correct horse',
        email: 'a@example.com',
      });
      issued = await ctx().keygate.tokens.getOrCreate(user);
    });

    async function call(authorization?: string) {
      const response = await ctx().app.inject({
        method: 'GET',
        url: '/protected/',
        headers: authorization === undefined ? {} : { authorization },
      });
      return response;
    }

    async function expectRejected(authorization: string | undefined, detail: string) {
      const response = await call(authorization);
      assert.equal(response.statusCode, 401);
      assert.equal(response.headers['www-authenticate'], 'Token');
      assert.equal(response.headers['content-type'], 'application/json');
      assert.equal(response.body, JSON.stringify({ detail }));
    }

    it('a valid key authenticates: the handler sees the user and the token', async () => {
      const response = await call(`Token ${issued.key}`);
      assert.equal(response.statusCode, 200);
      assert.deepEqual(response.json(), { username: user.username, tokenId: issued.token.id });
    });

    it('the keyword is case-insensitive; tabs and repeated spaces separate', async () => {
      for (const header of [
        `token ${issued.key}`,
        `TOKEN ${issued.key}`,
        `Token\t${issued.key}`,
        `Token    ${issued.key}`,
      ]) {
        assert.equal((await call(header)).statusCode, 200, JSON.stringify(header));
      }
    });

    it('no header, empty header, another scheme, a glued key: credentials not provided', async () => {
      for (const header of [undefined, '', 'Bearer x', 'Basic YWxpY2U6cGFzcw==', `Token${issued.key}`]) {
        await expectRejected(header, NOT_PROVIDED);
      }
    });

    it('"Token" alone: no credentials provided', async () => {
      await expectRejected('Token', 'Invalid token header. No credentials provided.');
      await expectRejected('Token   ', 'Invalid token header. No credentials provided.');
    });

    it('"Token a b": the token should not contain spaces', async () => {
      await expectRejected('Token a b', 'Invalid token header. Token string should not contain spaces.');
      await expectRejected(
        `Token ${issued.key} extra`,
        'Invalid token header. Token string should not contain spaces.',
      );
    });

    it('a key that is not valid UTF-8: invalid characters (over a real socket)', async () => {
      // inject() cannot carry raw bytes; a socket can. 0xff is never valid UTF-8.
      const base = new URL(await ctx().listen());
      const result = await new Promise<{ status: number; body: string; auth: string | undefined }>(
        (resolve, reject) => {
          const headers = { authorization: 'Token abc\xff' }; // sent as latin1: the byte 0xff
          const req = httpRequest(
            { host: base.hostname, port: base.port, path: '/protected/', headers },
            (res) => {
              let body = '';
              res.setEncoding('utf8');
              res.on('data', (d: string) => (body += d));
              res.on('end', () =>
                resolve({ status: res.statusCode ?? 0, body, auth: res.headers['www-authenticate'] }),
              );
            },
          );
          req.on('error', reject).end();
        },
      );
      assert.equal(result.status, 401);
      assert.equal(result.auth, 'Token');
      assert.equal(
        result.body,
        JSON.stringify({
          detail: 'Invalid token header. Token string should not contain invalid characters.',
        }),
      );
    });

    it('an unknown key of any shape: invalid token', async () => {
      // A header carries bytes: a valid UTF-8 key such as "ü" arrives as its two bytes.
      const utf8Key = Buffer.from('ü', 'utf8').toString('latin1');
      for (const key of [
        '0'.repeat(40),
        issued.key.toUpperCase(),
        'short',
        'kg_notavalidchecksum',
        utf8Key,
      ]) {
        await expectRejected(`Token ${key}`, 'Invalid token.');
      }
    });

    it('the key of an inactive user: user inactive or deleted; active again, it works', async () => {
      const bob = await ctx().keygate.users.createUser({ username: uniqueName('bob'), password: null });
      const bobToken = await ctx().keygate.tokens.getOrCreate(bob);
      await ctx().keygate.users.setActive(bob.username, false);
      await expectRejected(`Token ${bobToken.key}`, 'User inactive or deleted.');
      await ctx().keygate.users.setActive(bob.username, true);
      assert.equal((await call(`Token ${bobToken.key}`)).statusCode, 200);
    });

    it('a reset key stops the old key at once', async () => {
      const carol = await ctx().keygate.users.createUser({ username: uniqueName('carol'), password: null });
      const first = await ctx().keygate.tokens.getOrCreate(carol);
      const second = await ctx().keygate.tokens.reset(carol);
      assert.notEqual(first.key, second.key);
      await expectRejected(`Token ${first.key}`, 'Invalid token.');
      assert.equal((await call(`Token ${second.key}`)).statusCode, 200);
    });

    it("a deleted user's key stops working (tokens cascade)", async () => {
      const dave = await ctx().keygate.users.createUser({ username: uniqueName('dave'), password: null });
      const token = await ctx().keygate.tokens.getOrCreate(dave);
      await ctx().keygate.database.db.deleteFrom('users').where('id', '=', dave.id).execute();
      await expectRejected(`Token ${token.key}`, 'Invalid token.');
    });
  },
  {
    setup(app) {
      app.get('/protected/', { onRequest: accessHook(app.tokenProtected) }, (request) => ({
        username: request.user?.username,
        tokenId: request.auth?.id,
      }));
    },
  },
);
