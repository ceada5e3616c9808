// Session login and logout at /auth/login/ and /auth/logout/: cookies, rotation, redirects, messages.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { before, it } from 'node:test';
import { describeEachDialect, uniqueName, type DialectContext } from '../helpers.js';
import { SessionClient } from './session-client.js';

const PASSWORD = 'correct horse battery';
const INVALID_LOGIN =
  'Please enter a correct username and password. Note that both fields may be case-sensitive.';
const NOT_AUTHENTICATED = '{"detail":"Authentication credentials were not provided."}';

/** The value of one cookie in a Set-Cookie list, with its attributes. */
function setCookie(headers: string | string[] | undefined, name: string): string | undefined {
  return [headers ?? []].flat().find((c) => c.startsWith(`${name}=`));
}

/** The session key a signed `sessionid` cookie value carries. */
function keyOf(cookieValue: string): string {
  return decodeURIComponent(cookieValue).slice(0, decodeURIComponent(cookieValue).lastIndexOf('.'));
}

const digest = (key: string) => createHash('sha256').update(key).digest('hex');

/** The visible page text without the CSRF tokens, which differ on every page. */
const withoutTokens = (html: string) => html.replace(/value="[A-Za-z0-9_-]{40,}"/g, 'value="TOKEN"');

describeEachDialect(
  'Session login and logout',
  (ctx: () => DialectContext) => {
    let alice: string;

    before(async () => {
      alice = uniqueName('alice');
      await ctx().keygate.users.createUser({ username: alice, password: PASSWORD });
    });

    const sessionRows = (userId: number) =>
      ctx().keygate.database.db.selectFrom('sessions').selectAll().where('user_id', '=', userId).execute();
    const userId = async (username: string) => (await ctx().keygate.users.requireUser(username)).id;

    it('GET /auth/login/ shows the form with a CSRF token and sets the HttpOnly CSRF cookie', async () => {
      const client = new SessionClient(ctx().app);
      const page = await client.send({ method: 'GET', url: '/auth/login/' });
      assert.equal(page.statusCode, 200);
      assert.equal(page.headers['content-type'], 'text/html; charset=utf-8');
      assert.match(page.body, /<label for="id_username">Username<\/label>/);
      assert.match(page.body, /<label for="id_password">Password<\/label>/);
      assert.match(page.body, /name="csrfmiddlewaretoken" value="[^"]+"/);
      assert.match(String(page.headers['content-security-policy']), /script-src 'self'/);
      const csrf = setCookie(page.headers['set-cookie'], 'csrfsecret');
      assert.ok(csrf);
      assert.match(csrf, /; HttpOnly/);
      assert.match(csrf, /; SameSite=Lax/);
      assert.doesNotMatch(csrf, /; Secure/);
    });

    it('login sets an HttpOnly, SameSite=Lax sessionid for two weeks and stores only its digest', async () => {
      const client = new SessionClient(ctx().app);
      const response = await client.login(alice, PASSWORD, '/product_api/');
      assert.equal(response.statusCode, 302, response.body);
      assert.equal(response.headers.location, '/product_api/');
      const cookie = setCookie(response.headers['set-cookie'], 'sessionid');
      assert.ok(cookie, 'a session cookie is set');
      assert.match(cookie, /; HttpOnly/);
      assert.match(cookie, /; SameSite=Lax/);
      assert.match(cookie, /; Path=\//);
      assert.match(cookie, /; Max-Age=1209600/);
      assert.doesNotMatch(cookie, /; Secure/, 'not Secure outside production');

      const key = keyOf(client.cookies.get('sessionid')!);
      assert.match(key, /^[A-Za-z0-9_-]{43}$/);
      const rows = await ctx()
        .keygate.database.db.selectFrom('sessions')
        .selectAll()
        .where('id', '=', digest(key))
        .execute();
      assert.equal(rows.length, 1, 'the row id is the SHA-256 of the key');
      assert.equal(Number(rows[0]!.user_id), await userId(alice));
      const all = JSON.stringify(await sessionRows(await userId(alice)));
      assert.ok(!all.includes(key), 'the key itself is never stored');
      const days = (Date.parse(rows[0]!.expires_at) - Date.now()) / 86_400_000;
      assert.ok(days > 13.9 && days <= 14, `expires in two weeks (${days})`);
      assert.notEqual((await ctx().keygate.users.requireUser(alice)).lastLogin, null, 'last_login set');
    });

    it('the session id changes at login: the old session ends and its cookie stops working', async () => {
      const client = new SessionClient(ctx().app);
      assert.equal((await client.login(alice, PASSWORD)).statusCode, 302);
      const first = client.cookies.get('sessionid')!;
      assert.equal((await client.login(alice, PASSWORD)).statusCode, 302);
      const second = client.cookies.get('sessionid')!;
      assert.notEqual(second, first);
      const old = await ctx().app.inject({
        method: 'GET',
        url: '/product_api/',
        headers: { cookie: `sessionid=${first}` },
      });
      assert.equal(old.statusCode, 401);
      const rows = await ctx()
        .keygate.database.db.selectFrom('sessions')
        .select('id')
        .where('id', '=', digest(keyOf(first)))
        .execute();
      assert.equal(rows.length, 0, 'the pre-login session row is deleted');
    });

    it('GET /product_api/ with the session cookie is 200; without it 401 with WWW-Authenticate: Token', async () => {
      const client = new SessionClient(ctx().app);
      await client.login(alice, PASSWORD);
      const withSession = await client.send({ method: 'GET', url: '/product_api/' });
      assert.equal(withSession.statusCode, 200, withSession.body);
      assert.equal(withSession.headers['content-type'], 'application/json');
      assert.match(withSession.body, /^\{"count":\d+,/);

      const without = await ctx().app.inject({ method: 'GET', url: '/product_api/' });
      assert.equal(without.statusCode, 401);
      assert.equal(without.headers['www-authenticate'], 'Token');
      assert.equal(without.body, NOT_AUTHENTICATED);
    });

    it('a forged or unsigned session cookie is anonymous', async () => {
      const client = new SessionClient(ctx().app);
      await client.login(alice, PASSWORD);
      const key = keyOf(client.cookies.get('sessionid')!);
      for (const cookie of [`sessionid=${key}`, `sessionid=${key}.forged`, 'sessionid=', 'sessionid=x.y']) {
        const response = await ctx().app.inject({ method: 'GET', url: '/product_api/', headers: { cookie } });
        assert.equal(response.statusCode, 401, cookie);
      }
    });

    it('logout is a POST with CSRF: it deletes the row, clears the cookie, and the old cookie is dead', async () => {
      const client = new SessionClient(ctx().app);
      await client.login(alice, PASSWORD);
      const cookie = client.cookies.get('sessionid')!;
      const row = digest(keyOf(cookie));

      // GET only asks; a link or an image cannot log anyone out.
      const ask = await client.send({ method: 'GET', url: '/auth/logout/' });
      assert.equal(ask.statusCode, 200);
      assert.match(ask.body, /<form method="post" action="\/auth\/logout\/">/);
      assert.equal((await client.send({ method: 'GET', url: '/product_api/' })).statusCode, 200);

      const forged = await client.send({
        method: 'POST',
        url: '/auth/logout/',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: '',
      });
      assert.equal(forged.statusCode, 403);
      assert.match(forged.body, /CSRF Failed: CSRF token missing\./);
      assert.equal((await client.send({ method: 'GET', url: '/product_api/' })).statusCode, 200);

      const out = await client.postForm('/auth/logout/', {}, '/auth/logout/');
      assert.equal(out.statusCode, 200);
      assert.match(out.body, /Your session has ended\./);
      const cleared = setCookie(out.headers['set-cookie'], 'sessionid');
      assert.ok(cleared);
      assert.match(cleared, /Expires=Thu, 01 Jan 1970|Max-Age=0/);
      const rows = await ctx()
        .keygate.database.db.selectFrom('sessions')
        .select('id')
        .where('id', '=', row)
        .execute();
      assert.equal(rows.length, 0, 'the session row is gone');
      const replay = await ctx().app.inject({
        method: 'GET',
        url: '/product_api/',
        headers: { cookie: `sessionid=${cookie}` },
      });
      assert.equal(replay.statusCode, 401, 'the old cookie no longer authenticates');
    });

    it('logout redirects to a local next, else shows the logged-out page', async () => {
      const client = new SessionClient(ctx().app);
      await client.login(alice, PASSWORD);
      const out = await client.postForm('/auth/logout/', { next: '/product_api/' }, '/auth/logout/');
      assert.equal(out.statusCode, 302);
      assert.equal(out.headers.location, '/product_api/');
      await client.login(alice, PASSWORD);
      const evil = await client.postForm('/auth/logout/', { next: '//evil.com/' }, '/auth/logout/');
      assert.equal(evil.statusCode, 200);
      assert.match(evil.body, /Your session has ended\./);
    });

    it('?next= is followed only to a local path; otherwise the login redirects to /', async () => {
      const cases: [string, string][] = [
        ['//evil.com', '/'],
        ['https://evil.com', '/'],
        ['http://evil.com/product_api/', '/'],
        ['/\\evil.com', '/'],
        ['/\t/evil.com', '/'],
        ['javascript:alert(1)', '/'],
        ['evil.com', '/'],
        ['', '/'],
        ['/product_api/?limit=1', '/product_api/?limit=1'],
      ];
      for (const [next, location] of cases) {
        const client = new SessionClient(ctx().app);
        const response = await client.login(alice, PASSWORD, next);
        assert.equal(response.statusCode, 302, next);
        assert.equal(response.headers.location, location, JSON.stringify(next));
      }
      // `next` in the query string works as in Django's LoginView.
      const client = new SessionClient(ctx().app);
      const token = await client.tokenFrom('/auth/login/');
      const viaQuery = await client.send({
        method: 'POST',
        url: `/auth/login/?next=${encodeURIComponent('//evil.com')}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({
          username: alice,
          password: PASSWORD,
          csrfmiddlewaretoken: token,
        }).toString(),
      });
      assert.equal(viaQuery.headers.location, '/');
    });

    it('a failed login shows the form again with one generic message, and no session', async () => {
      const bob = uniqueName('bob');
      await ctx().keygate.users.createUser({ username: bob, password: PASSWORD });
      const pages: string[] = [];
      for (const [username, password] of [
        [bob, 'wrong password'],
        [uniqueName('nobody'), 'wrong password'],
        [bob.toUpperCase(), PASSWORD],
      ] as const) {
        const client = new SessionClient(ctx().app);
        const response = await client.login(username, password);
        assert.equal(response.statusCode, 200, username);
        assert.equal(setCookie(response.headers['set-cookie'], 'sessionid'), undefined);
        assert.ok(response.body.includes(INVALID_LOGIN.replace("'", '&#39;')), username);
        assert.match(response.body, /<input id="id_password" name="password" type="password"/);
        pages.push(withoutTokens(response.body).replace(username, 'USERNAME'));
      }
      assert.equal(pages[0], pages[1], 'an unknown user looks exactly like a wrong password');
    });

    it('empty fields are required; the password is not echoed back', async () => {
      const client = new SessionClient(ctx().app);
      const response = await client.login('  ', '');
      assert.equal(response.statusCode, 200);
      assert.equal((response.body.match(/This field is required\./g) ?? []).length, 2);
      const filled = await client.login(alice, '');
      assert.match(filled.body, new RegExp(`value="${alice}"`));
      assert.equal((filled.body.match(/This field is required\./g) ?? []).length, 1);
    });

    it('an inactive user cannot log in, and deactivating a user ends their sessions at once', async () => {
      const carol = uniqueName('carol');
      await ctx().keygate.users.createUser({ username: carol, password: PASSWORD });
      const client = new SessionClient(ctx().app);
      assert.equal((await client.login(carol, PASSWORD)).statusCode, 302);
      assert.equal((await client.send({ method: 'GET', url: '/product_api/' })).statusCode, 200);
      await ctx().keygate.users.setActive(carol, false);
      assert.equal((await client.send({ method: 'GET', url: '/product_api/' })).statusCode, 401);

      const again = await new SessionClient(ctx().app).login(carol, PASSWORD);
      assert.equal(again.statusCode, 200);
      assert.ok(again.body.includes(INVALID_LOGIN.replace("'", '&#39;')));
      assert.equal(setCookie(again.headers['set-cookie'], 'sessionid'), undefined);
    });

    it('a password change ends every session of the user', async () => {
      const dave = uniqueName('dave');
      await ctx().keygate.users.createUser({ username: dave, password: PASSWORD });
      const client = new SessionClient(ctx().app);
      await client.login(dave, PASSWORD);
      assert.equal((await sessionRows(await userId(dave))).length, 1);
      await ctx().keygate.users.setPassword(dave, 'another long password');
      assert.equal((await sessionRows(await userId(dave))).length, 0);
      assert.equal((await client.send({ method: 'GET', url: '/product_api/' })).statusCode, 401);
    });

    it('an expired session is anonymous', async () => {
      const erin = uniqueName('erin');
      await ctx().keygate.users.createUser({ username: erin, password: PASSWORD });
      const client = new SessionClient(ctx().app);
      await client.login(erin, PASSWORD);
      await ctx()
        .keygate.database.db.updateTable('sessions')
        .set({ expires_at: '2001-01-01T00:00:00.000000Z' })
        .where('user_id', '=', await userId(erin))
        .execute();
      assert.equal((await client.send({ method: 'GET', url: '/product_api/' })).statusCode, 401);
    });

    it('repeated failures are throttled: 429 with Retry-After, the form shown again', async () => {
      const frank = uniqueName('frank');
      await ctx().keygate.users.createUser({ username: frank, password: PASSWORD });
      const client = new SessionClient(ctx().app);
      for (let i = 0; i < 3; i += 1) assert.equal((await client.login(frank, 'wrong')).statusCode, 200);
      const blocked = await client.login(frank, PASSWORD);
      assert.equal(blocked.statusCode, 429);
      assert.match(String(blocked.headers['retry-after']), /^\d+$/);
      assert.match(blocked.body, /Too many failed login attempts\./);
      assert.equal(setCookie(blocked.headers['set-cookie'], 'sessionid'), undefined);
    });

    it("a NUL in either field is Django's CharField error, never a 500 (PostgreSQL refuses NUL in text)", async () => {
      for (const url of ['/auth/login/', '/admin/login/']) {
        for (const [username, password] of [
          [`${alice}\0`, PASSWORD],
          [alice, `${PASSWORD}\0`],
        ] as const) {
          const client = new SessionClient(ctx().app);
          const page = await client.postForm(url, { username, password });
          assert.equal(page.statusCode, 200, `${url}: ${page.body.slice(0, 200)}`);
          assert.match(page.body, /Null characters are not allowed\./);
          assert.equal(setCookie(page.headers['set-cookie'], 'sessionid'), undefined);
        }
      }
    });
  },
  { env: { LOGIN_FAILURES_PER_USER: '3' } },
);
