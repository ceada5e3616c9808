// Production mode: the session and CSRF cookies are Secure; over HTTPS the Referer is checked too.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { describeEachDialect, uniqueName, type DialectContext } from '../helpers.js';
import { csrfTokenIn, formBody } from './session-client.js';

const PASSWORD = 'correct horse battery';
const PRODUCTION = {
  KEYGATE_ENV: 'production',
  SECRET_KEY: 'a-production-secret-that-is-long-enough-0123456789',
  ALLOWED_HOSTS: 'keygate.example',
  TRUSTED_PROXIES: '127.0.0.1',
};
// app.inject comes from 127.0.0.1, the trusted proxy, which says the client used HTTPS.
const HTTPS = { host: 'keygate.example', 'x-forwarded-proto': 'https' };

function cookiePair(setCookie: string | string[] | undefined, name: string): string {
  const found = [setCookie ?? []].flat().find((c) => c.startsWith(`${name}=`));
  assert.ok(found, `${name} is set`);
  return found;
}

describeEachDialect(
  'Session cookies in production',
  (ctx: () => DialectContext) => {
    let username: string;

    before(async () => {
      username = uniqueName('alice');
      await ctx().keygate.users.createUser({ username, password: PASSWORD });
    });

    async function loginPage() {
      const page = await ctx().app.inject({ method: 'GET', url: '/auth/login/', headers: HTTPS });
      assert.equal(page.statusCode, 200);
      const csrf = cookiePair(page.headers['set-cookie'], 'csrfsecret');
      return { token: csrfTokenIn(page.body), csrf, cookie: csrf.split(';')[0]! };
    }

    it('the session and CSRF cookies carry Secure', async () => {
      const { token, csrf, cookie } = await loginPage();
      assert.match(csrf, /; Secure/);
      const response = await ctx().app.inject({
        method: 'POST',
        url: '/auth/login/',
        headers: {
          ...HTTPS,
          cookie,
          referer: 'https://keygate.example/auth/login/',
          'content-type': 'application/x-www-form-urlencoded',
        },
        payload: formBody({ username, password: PASSWORD, csrfmiddlewaretoken: token }),
      });
      assert.equal(response.statusCode, 302, response.body);
      const session = cookiePair(response.headers['set-cookie'], 'sessionid');
      assert.match(session, /; Secure/);
      assert.match(session, /; HttpOnly/);
      assert.match(session, /; SameSite=Lax/);
      assert.equal(response.headers['strict-transport-security'], 'max-age=31536000');
    });

    it('over HTTPS an unsafe request without Origin needs a same-site Referer (Django)', async () => {
      const { token, cookie } = await loginPage();
      const post = (referer?: string) =>
        ctx().app.inject({
          method: 'POST',
          url: '/auth/login/',
          headers: {
            ...HTTPS,
            cookie,
            ...(referer !== undefined && { referer }),
            'content-type': 'application/x-www-form-urlencoded',
          },
          payload: formBody({ username, password: PASSWORD, csrfmiddlewaretoken: token }),
        });
      assert.match((await post()).body, /CSRF Failed: Referer checking failed - no Referer\./);
      assert.match(
        (await post('https://evil.example/')).body,
        /CSRF Failed: Referer checking failed - https:\/\/evil.example does not match any trusted origins\./,
      );
      assert.match(
        (await post('http://keygate.example/')).body,
        /CSRF Failed: Referer checking failed - Referer is insecure while host is secure\./,
      );
    });
  },
  { env: PRODUCTION },
);
