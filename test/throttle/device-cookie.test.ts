// Browser logins (/auth/login/, /admin/login/) with OWASP's device cookie: a browser that has logged in
// as a username keeps its own budget, whatever strangers do to that username.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { describeEachDialect, uniqueName, type DialectContext } from '../helpers.js';
import { csrfTokenIn, formBody, SessionClient } from '../sessions/session-client.js';
import { addressSource, assertInvalid, assertThrottled, LIMITS, login, PASSWORD } from './login-support.js';

const DEVICE_COOKIE = 'keygate_device';
const PER_CLIENT = Number(LIMITS.LOGIN_FAILURES_PER_USER);
const TOTAL = Number(LIMITS.LOGIN_FAILURES_PER_USER_TOTAL);

const freshAddress = addressSource(150);

/** A browser at `address` (app.inject comes from 127.0.0.1, the trusted proxy, which forwards it). */
function browser(ctx: () => DialectContext, address = freshAddress()): SessionClient {
  return new SessionClient(ctx().app, { 'x-forwarded-for': address });
}

/** Its device cookie's value (as the browser sends it back), if it has one. */
function deviceCookie(client: SessionClient): string | undefined {
  return client.cookies.get(DEVICE_COOKIE);
}

/** Logs in through /auth/login/ (or the admin's form); the status: 302 in, 200 refused, 429 locked. */
async function pageLogin(client: SessionClient, username: string, password: string, admin = false) {
  const url = admin ? '/admin/login/' : '/auth/login/';
  const response = await client.postForm(url, { username, password, next: admin ? '/admin/' : '/' });
  if (response.statusCode === 429) assert.match(response.body, /Too many failed login attempts/);
  return response;
}

describeEachDialect(
  'device cookies on browser logins',
  (ctx) => {
    const createUser = async (prefix: string, isStaff = false) =>
      (await ctx().keygate.users.createUser({ username: uniqueName(prefix), password: PASSWORD, isStaff }))
        .username;

    /**
     * Locks `username` out for every untrusted client: strangers spend its ceiling from many
     * addresses, and `shared` (an address alice uses too, a NAT) its own limit.
     */
    async function attack(username: string, shared: string): Promise<void> {
      for (let i = 0; i < TOTAL + 4; i++) await login(ctx, username, `wrong horse ${i}`, freshAddress());
      // Refused by the ceiling already, unless alice has logged in from `shared`: then by its own limit.
      const stranger = browser(ctx, shared);
      for (let i = 0; i < PER_CLIENT; i++) await pageLogin(stranger, username, 'wrong');
      assert.equal((await pageLogin(stranger, username, PASSWORD)).statusCode, 429);
      assertThrottled(await login(ctx, username, PASSWORD, freshAddress()));
    }

    it('a page login sets the device cookie: HttpOnly, SameSite=Lax, a year, signed, re-issued on each success', async () => {
      const alice = await createUser('alice');
      const client = browser(ctx);
      const response = await pageLogin(client, alice, PASSWORD);
      assert.equal(response.statusCode, 302);
      const set = [response.headers['set-cookie'] ?? []]
        .flat()
        .find((c) => c.startsWith(`${DEVICE_COOKIE}=`));
      assert.ok(set, 'the device cookie is set');
      assert.match(set, /; Max-Age=31536000/);
      assert.match(set, /; Path=\//);
      assert.match(set, /; HttpOnly/);
      assert.match(set, /; SameSite=Lax/);
      assert.doesNotMatch(set, /; Secure/);
      const first = decodeURIComponent(deviceCookie(client) ?? '');
      // The username (base64url), a random id and a signature; nothing secret.
      const [name, id, signature] = first.split('.');
      assert.equal(Buffer.from(name ?? '', 'base64url').toString('utf8'), alice);
      assert.match(id ?? '', /^[A-Za-z0-9_-]{22}$/);
      assert.ok((signature ?? '').length >= 40, first);

      assert.equal((await pageLogin(client, alice, PASSWORD)).statusCode, 302);
      const second = decodeURIComponent(deviceCookie(client) ?? '');
      assert.notEqual(second, first, 'a new cookie, with a new id, on every success');
      assert.notEqual(second.split('.')[1], id);
    });

    it("strangers' wrong passwords, from many addresses and from her own, do not stop alice's browser", async () => {
      const alice = await createUser('alice', true);
      const shared = freshAddress();
      const laptop = browser(ctx, shared);
      assert.equal((await pageLogin(laptop, alice, PASSWORD)).statusCode, 302);
      await laptop.postForm('/auth/logout/', {}, '/auth/logout/');

      await attack(alice, shared);
      // Untrusted clients are locked out: a new browser at her address, or anywhere else.
      assert.equal((await pageLogin(browser(ctx, shared), alice, PASSWORD)).statusCode, 429);
      assert.equal((await pageLogin(browser(ctx), alice, PASSWORD, true)).statusCode, 429);
      // Her browser, with its device cookie, logs in on both pages.
      assert.equal((await pageLogin(laptop, alice, PASSWORD)).statusCode, 302);
      await laptop.postForm('/auth/logout/', {}, '/auth/logout/');
      assert.equal((await pageLogin(laptop, alice, PASSWORD, true)).statusCode, 302);
    });

    it('a device cookie for another username, or with a forged signature, gives no separate budget', async () => {
      const alice = await createUser('alice');
      const bob = await createUser('bob');
      const shared = freshAddress();
      const bobs = browser(ctx, shared);
      assert.equal((await pageLogin(bobs, bob, PASSWORD)).statusCode, 302);
      const alices = browser(ctx, shared);
      assert.equal((await pageLogin(alices, alice, PASSWORD)).statusCode, 302);
      await attack(alice, shared);

      const bobCookie = decodeURIComponent(deviceCookie(bobs) ?? '');
      const aliceCookie = decodeURIComponent(deviceCookie(alices) ?? '');
      const [, bobId, bobSignature] = bobCookie.split('.');
      const [, , aliceSignature] = aliceCookie.split('.');
      const aliceName = Buffer.from(alice, 'utf8').toString('base64url');
      const flipped = `${aliceSignature?.startsWith('A') ? 'B' : 'A'}${aliceSignature?.slice(1)}`;
      const forgeries = [
        bobCookie, // a genuine cookie, for bob
        `${aliceName}.${bobId}.${bobSignature}`, // bob's cookie relabelled for alice
        `${aliceCookie.slice(0, aliceCookie.lastIndexOf('.'))}.${flipped}`, // alice's, signature altered
        `${aliceName}.${bobId}`, // no signature
        'garbage',
      ];
      for (const forged of forgeries) {
        const client = browser(ctx, shared);
        client.cookies.set(DEVICE_COOKIE, encodeURIComponent(forged));
        assert.equal((await pageLogin(client, alice, PASSWORD)).statusCode, 429, forged);
      }
      // The genuine cookie still works.
      assert.equal((await pageLogin(alices, alice, PASSWORD)).statusCode, 302);
    });

    it("the device's own budget locks after its limit, that device only", async () => {
      const alice = await createUser('alice');
      const [phone, laptop] = [browser(ctx), browser(ctx)];
      for (const client of [phone, laptop])
        assert.equal((await pageLogin(client, alice, PASSWORD)).statusCode, 302);
      await attack(alice, freshAddress());

      for (let i = 0; i < PER_CLIENT; i++)
        assert.equal((await pageLogin(phone, alice, 'wrong')).statusCode, 200);
      const locked = await pageLogin(phone, alice, PASSWORD);
      assert.equal(locked.statusCode, 429);
      assert.match(String(locked.headers['retry-after']), /^\d+$/);
      assert.equal((await pageLogin(laptop, alice, PASSWORD)).statusCode, 302);
    });

    it('the token endpoints give a device cookie no budget of its own', async () => {
      const alice = await createUser('alice');
      const laptop = browser(ctx);
      assert.equal((await pageLogin(laptop, alice, PASSWORD)).statusCode, 302);
      const address = freshAddress();
      for (let i = 0; i < PER_CLIENT; i++) assertInvalid(await login(ctx, alice, 'wrong', address));
      const response = await ctx().app.inject({
        method: 'POST',
        url: '/gettoken/',
        remoteAddress: address,
        headers: { 'content-type': 'application/json', cookie: `${DEVICE_COOKIE}=${deviceCookie(laptop)}` },
        payload: JSON.stringify({ username: alice, password: PASSWORD }),
      });
      assertThrottled(response);
    });
  },
  { env: { ...LIMITS, TRUSTED_PROXIES: '127.0.0.1' } },
);

describeEachDialect(
  'device cookies in production',
  (ctx) => {
    let alice: string;
    before(async () => {
      alice = uniqueName('alice');
      await ctx().keygate.users.createUser({ username: alice, password: PASSWORD });
    });

    it('the device cookie carries Secure', async () => {
      const https = { host: 'keygate.example', 'x-forwarded-proto': 'https' };
      const page = await ctx().app.inject({ method: 'GET', url: '/auth/login/', headers: https });
      const csrf = [page.headers['set-cookie'] ?? []].flat().find((c) => c.startsWith('csrfsecret='));
      assert.ok(csrf);
      const response = await ctx().app.inject({
        method: 'POST',
        url: '/auth/login/',
        headers: {
          ...https,
          cookie: csrf.split(';')[0],
          referer: 'https://keygate.example/auth/login/',
          'content-type': 'application/x-www-form-urlencoded',
        },
        payload: formBody({
          username: alice,
          password: PASSWORD,
          csrfmiddlewaretoken: csrfTokenIn(page.body),
        }),
      });
      assert.equal(response.statusCode, 302, response.body);
      const set = [response.headers['set-cookie'] ?? []]
        .flat()
        .find((c) => c.startsWith(`${DEVICE_COOKIE}=`));
      assert.ok(set, 'the device cookie is set');
      assert.match(set, /; Secure/);
      assert.match(set, /; HttpOnly/);
    });
  },
  {
    env: {
      KEYGATE_ENV: 'production',
      SECRET_KEY: 'a-production-secret-that-is-long-enough-0123456789',
      ALLOWED_HOSTS: 'keygate.example',
      TRUSTED_PROXIES: '127.0.0.1',
    },
    dialects: ['sqlite'],
  },
);
