// The token endpoints' answers carry a key: every one says Cache-Control: no-store, so no cache keeps it.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { describeEachDialect, uniqueName } from '../helpers.js';

const PASSWORD = 'correct horse battery';

describeEachDialect(
  'Cache-Control on the token endpoints',
  (ctx) => {
    let username: string;
    before(async () => {
      username = uniqueName('cached');
      await ctx().keygate.users.createUser({ username, password: PASSWORD });
    });

    const post = (url: string, body: Record<string, string>, remoteAddress = '10.9.9.9') =>
      ctx().app.inject({
        method: 'POST',
        url,
        remoteAddress,
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify(body),
      });

    it('200 (the key), 400 (bad credentials, bad fields) and 429 all send no-store, on both endpoints', async () => {
      for (const url of ['/gettoken/', '/customtoken/']) {
        const ok = await post(url, { username, password: PASSWORD });
        assert.equal(ok.statusCode, 200, ok.body);
        assert.equal(ok.headers['cache-control'], 'no-store', url);
        const wrong = await post(url, { username, password: 'wrong' });
        assert.equal(wrong.statusCode, 400);
        assert.equal(wrong.headers['cache-control'], 'no-store', url);
        const missing = await post(url, { username });
        assert.equal(missing.statusCode, 400);
        assert.equal(missing.headers['cache-control'], 'no-store', url);
      }
      const address = '10.9.9.10';
      for (let i = 0; i < 2; i++) await post('/gettoken/', { username, password: 'wrong' }, address);
      const throttled = await post('/gettoken/', { username, password: PASSWORD }, address);
      assert.equal(throttled.statusCode, 429, throttled.body);
      assert.equal(throttled.headers['cache-control'], 'no-store');
    });

    it('other API views are left as they were', async () => {
      const response = await ctx().app.inject({ method: 'GET', url: '/product_api/' });
      assert.equal(response.statusCode, 401);
      assert.equal(response.headers['cache-control'], undefined);
    });
  },
  { env: { LOGIN_FAILURES_PER_USER: '2' } },
);
