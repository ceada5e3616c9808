// DRF's default authentication classes (SessionAuthentication, then BasicAuthentication) on the views
// that name none of their own: the API root, /gettoken/ and /customtoken/.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { before, it } from 'node:test';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/app.js';
import { BasicAuthentication } from '../../src/auth/basic-authentication.js';
import { IsAuthenticated } from '../../src/auth/permissions.js';
import { registerApiView } from '../../src/http/api-view.js';
import { jsonRenderer } from '../../src/http/render.js';
import { describeEachDialect, uniqueName, type DialectContext } from '../helpers.js';
import { SessionClient } from '../sessions/session-client.js';
import { addressSource } from '../throttle/login-support.js';

const PASSWORD = 'correct horse battery';
const freshAddress = addressSource(60);

/** `Authorization: Basic <base64 of credentials>`; a string is sent as UTF-8. */
function basic(credentials: string | Buffer): string {
  return `Basic ${Buffer.from(credentials).toString('base64')}`;
}

/** DRF's 403 for a failed Basic header on a view whose first class (Session) has no challenge. */
function assertRefused(response: LightMyRequestResponse, detail: string, what: string): void {
  assert.equal(response.statusCode, 403, `${what}: ${response.body}`);
  assert.equal(response.body, JSON.stringify({ detail }), what);
  assert.equal(response.headers['content-type'], 'application/json', what);
  // BaseAuthentication.authenticate_header returns None for Session: no challenge at all.
  assert.equal(response.headers['www-authenticate'], undefined, what);
}

function inject(ctx: () => DialectContext, options: InjectOptions): Promise<LightMyRequestResponse> {
  return ctx().app.inject({ remoteAddress: freshAddress(), ...options });
}

/** POSTs `body` as a form to a token endpoint. */
function postForm(
  ctx: () => DialectContext,
  url: string,
  body: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  return inject(ctx, {
    method: 'POST',
    url,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    payload: new URLSearchParams(body).toString(),
  });
}

describeEachDialect(
  'BasicAuthentication on the views with DRF default authentication',
  (ctx) => {
    let alice: string;
    let inactive: string;
    let accented: string;
    let colon: string;
    let aliceKey: string;

    before(async () => {
      const { users, tokens } = ctx().keygate;
      alice = uniqueName('alice');
      aliceKey = (await tokens.getOrCreate(await users.createUser({ username: alice, password: PASSWORD })))
        .key;
      inactive = uniqueName('gone');
      await users.createUser({ username: inactive, password: PASSWORD, isActive: false });
      accented = uniqueName('josé');
      await users.createUser({ username: accented, password: 'pässwörd long enough' });
      colon = uniqueName('colon');
      await users.createUser({ username: colon, password: 'pass:word:with:colons!!' });
    });

    // rest_framework/authentication.py BasicAuthentication.authenticate: `auth = ...split()`;
    // `auth[0].lower() != b'basic'`; `len(auth) == 1` / `> 2`; `base64.b64decode(auth[1])`.
    it('each malformed Basic header: 403 with BasicAuthentication messages, on the three views', async () => {
      const cases: [string, string, string][] = [
        ['keyword alone', 'Basic', 'Invalid basic header. No credentials provided.'],
        ['keyword and spaces', 'Basic   ', 'Invalid basic header. No credentials provided.'],
        [
          'three parts',
          'Basic abc def',
          'Invalid basic header. Credentials string should not contain spaces.',
        ],
        [
          'tab-separated parts',
          'basic\tYQ==\tYQ==',
          'Invalid basic header. Credentials string should not contain spaces.',
        ],
        // binascii: "Incorrect padding" (2 or 3 characters of a quad) and "1 more than a multiple of 4".
        [
          'missing padding',
          'Basic YWxpY2U6eA',
          'Invalid basic header. Credentials not correctly base64 encoded.',
        ],
        ['one character', 'Basic Y', 'Invalid basic header. Credentials not correctly base64 encoded.'],
        ['five characters', 'Basic YWxpY', 'Invalid basic header. Credentials not correctly base64 encoded.'],
        // b64decode(validate=False) drops what is not in the alphabet: nothing left is b'' -> ('', '').
        ['no alphabet characters', 'Basic !!!!', 'Invalid username/password.'],
        ['empty credentials', 'Basic Og==', 'Invalid username/password.'],
        ['no colon: the password is empty', basic(alice), 'Invalid username/password.'],
        ['wrong password', basic(`${alice}:wrong horse`), 'Invalid username/password.'],
        ['unknown user', basic(`${uniqueName('nobody')}:${PASSWORD}`), 'Invalid username/password.'],
        [
          'wrong case of the username',
          basic(`${alice.toUpperCase()}:${PASSWORD}`),
          'Invalid username/password.',
        ],
        // The username is not trimmed (DRF takes it as decoded).
        ['a space before the username', basic(` ${alice}:${PASSWORD}`), 'Invalid username/password.'],
        // Python's 'utf-8' codec keeps a byte order mark: it is part of the username.
        ['a BOM before the username', basic(`\ufeff${alice}:${PASSWORD}`), 'Invalid username/password.'],
        // Django's ModelBackend refuses inactive users itself (user_can_authenticate), so authenticate()
        // returns None and DRF's "User inactive or deleted." is never reached (DRF's own test of that
        // message replaces authenticate()).
        ['inactive user, right password', basic(`${inactive}:${PASSWORD}`), 'Invalid username/password.'],
        // Not 500 on PostgreSQL (which refuses NUL in text): no username holds one.
        ['NUL in the username', basic(`${alice}\u0000:${PASSWORD}`), 'Invalid username/password.'],
        ['NUL alone', basic(`\u0000:\u0000`), 'Invalid username/password.'],
      ];
      for (const [what, authorization, detail] of cases) {
        assertRefused(
          await inject(ctx, { method: 'GET', url: '/', headers: { authorization } }),
          detail,
          `/ ${what}`,
        );
        for (const url of ['/gettoken/', '/customtoken/']) {
          // The body holds valid credentials: authentication fails first (DRF's initial()).
          const response = await postForm(
            ctx,
            url,
            { username: alice, password: PASSWORD },
            { authorization },
          );
          assertRefused(response, detail, `${url} ${what}`);
        }
      }
    });

    it('authentication runs before the method check: a bad Basic header on GET /gettoken/ is 403, not 405', async () => {
      const response = await inject(ctx, {
        method: 'GET',
        url: '/gettoken/',
        headers: { authorization: basic(`${alice}:wrong`) },
      });
      assertRefused(response, 'Invalid username/password.', 'GET /gettoken/');
      const options = await inject(ctx, { method: 'OPTIONS', url: '/', headers: { authorization: 'Basic' } });
      assertRefused(options, 'Invalid basic header. No credentials provided.', 'OPTIONS /');
    });

    it('other schemes are not Basic: a Token header on the root or /gettoken/ is ignored', async () => {
      for (const authorization of [`Token ${aliceKey}`, 'Token nope', 'Bearer x', 'Basicx', 'Basi YQ==']) {
        const root = await inject(ctx, { method: 'GET', url: '/', headers: { authorization } });
        assert.equal(root.statusCode, 200, `${authorization}: ${root.body}`);
        const token = await postForm(
          ctx,
          '/gettoken/',
          { username: alice, password: PASSWORD },
          { authorization },
        );
        assert.equal(token.body, JSON.stringify({ token: aliceKey }), authorization);
      }
    });

    it('a valid Basic header authenticates on the root: the browsable API shows the user', async () => {
      const authorization = basic(`${alice}:${PASSWORD}`);
      const json = await inject(ctx, { method: 'GET', url: '/', headers: { authorization } });
      assert.equal(json.statusCode, 200, json.body);
      assert.equal(json.body, JSON.stringify({ product_api: 'http://localhost:80/product_api/' }));
      const page = await inject(ctx, {
        method: 'GET',
        url: '/',
        headers: { authorization, accept: 'text/html' },
      });
      assert.equal(page.statusCode, 200);
      assert.ok(page.body.includes(alice), 'the page names the Basic-authenticated user');
      const anonymous = await inject(ctx, { method: 'GET', url: '/', headers: { accept: 'text/html' } });
      assert.ok(!anonymous.body.includes(alice), 'an anonymous page does not');
      // The keyword is matched case-insensitively and any ASCII whitespace separates (bytes.split()).
      for (const prefix of ['basic ', 'BASIC\t', 'bAsIc   ']) {
        const header = prefix + Buffer.from(`${alice}:${PASSWORD}`).toString('base64');
        const response = await inject(ctx, {
          method: 'GET',
          url: '/',
          headers: { authorization: header, accept: 'text/html' },
        });
        assert.equal(response.statusCode, 200, `${JSON.stringify(prefix)}: ${response.body.slice(0, 200)}`);
        assert.ok(response.body.includes(alice), JSON.stringify(prefix));
      }
    });

    it('the credentials are decoded as Python does: lenient base64, UTF-8 else latin-1, the first colon splits', async () => {
      const page = (authorization: string) =>
        inject(ctx, { method: 'GET', url: '/', headers: { authorization, accept: 'text/html' } });
      const encoded = Buffer.from(`${alice}:${PASSWORD}`).toString('base64');
      // b64decode(validate=False) skips characters outside the alphabet, and stops at the padding.
      const noisy = `${encoded.slice(0, 4)}*${encoded.slice(4, 9)}.-_${encoded.slice(9)}`;
      const decoded = [
        ['characters outside the alphabet skipped', `Basic ${noisy}`, alice],
        ['UTF-8 username and password', basic(`${accented}:pässwörd long enough`), accented],
        [
          'latin-1 username and password',
          `Basic ${Buffer.from(`${accented}:pässwörd long enough`, 'latin1').toString('base64')}`,
          accented,
        ],
        ['colons in the password', basic(`${colon}:pass:word:with:colons!!`), colon],
      ] as const;
      for (const [what, authorization, username] of decoded) {
        const response = await page(authorization);
        assert.equal(response.statusCode, 200, `${what}: ${response.body.slice(0, 300)}`);
        assert.ok(response.body.includes(username), what);
      }
      // Everything after a padding that completes a quad is ignored.
      const padded = Buffer.from(`${colon}:pass:word:with:colons!!`).toString('base64');
      assert.match(padded, /[^=]=$/, 'the fixture ends with one pad');
      const afterPadding = await page(`Basic ${padded}Zm9v`);
      assert.ok(afterPadding.body.includes(colon), 'data after the padding is ignored');
      // A pad that cannot end a quad is skipped: the data goes on.
      const strayPad = await page(`Basic ${padded.slice(0, 2)}=${padded.slice(2)}`);
      assert.ok(strayPad.body.includes(colon), 'a pad early in a quad is skipped');
    });

    it("a valid Basic header on /gettoken/ changes nothing: the token is for the body's user", async () => {
      const bob = uniqueName('bob');
      const bobKey = (
        await ctx().keygate.tokens.getOrCreate(
          await ctx().keygate.users.createUser({ username: bob, password: PASSWORD }),
        )
      ).key;
      const authorization = basic(`${alice}:${PASSWORD}`);
      const response = await postForm(
        ctx,
        '/gettoken/',
        { username: bob, password: PASSWORD },
        { authorization },
      );
      assert.equal(response.body, JSON.stringify({ token: bobKey }));
      const empty = await postForm(ctx, '/customtoken/', {}, { authorization });
      assert.equal(empty.statusCode, 400);
      assert.equal(
        empty.body,
        JSON.stringify({ username: ['This field is required.'], password: ['This field is required.'] }),
      );
    });

    // SessionAuthentication.authenticate -> enforce_csrf for an active session user; APIView.as_view's
    // csrf_exempt does not reach it (process_view gets callback None). So a logged-in browser's POST to
    // /gettoken/ needs the CSRF token, as every session-authenticated unsafe request does.
    it('CSRF: a logged-in browser POSTing to /gettoken/ or /customtoken/ needs the CSRF token', async () => {
      const client = new SessionClient(ctx().app);
      const loggedIn = await client.login(alice, PASSWORD);
      assert.equal(loggedIn.statusCode, 302, loggedIn.body);
      const form = { 'content-type': 'application/x-www-form-urlencoded' };
      const payload = new URLSearchParams({ username: alice, password: PASSWORD }).toString();
      for (const url of ['/gettoken/', '/customtoken/']) {
        const missing = await client.send({ method: 'POST', url, headers: form, payload });
        assert.equal(missing.statusCode, 403, missing.body);
        assert.equal(missing.body, '{"detail":"CSRF Failed: CSRF token missing."}');
        const token = await client.tokenFrom('/product_api/');
        const withHeader = await client.send({
          method: 'POST',
          url,
          headers: { ...form, 'x-csrftoken': token },
          payload,
        });
        assert.equal(withHeader.statusCode, 200, withHeader.body);
        const withField = await client.send({
          method: 'POST',
          url,
          headers: form,
          payload: `${payload}&csrfmiddlewaretoken=${encodeURIComponent(token)}`,
        });
        assert.equal(withField.statusCode, 200, withField.body);
      }
      // Without the session cookie, the same browser needs no token (anonymous: no CSRF in DRF).
      const anonymous = await postForm(
        ctx,
        '/gettoken/',
        { username: alice, password: PASSWORD },
        {
          cookie: client.cookieHeader().replace(/sessionid=[^;]*(; )?/, ''),
        },
      );
      assert.equal(anonymous.statusCode, 200, anonymous.body);
    });

    it("CSRF: an inactive user's session is anonymous, so no CSRF token is needed", async () => {
      const username = uniqueName('leaving');
      await ctx().keygate.users.createUser({ username, password: PASSWORD });
      const client = new SessionClient(ctx().app);
      assert.equal((await client.login(username, PASSWORD)).statusCode, 302);
      const user = await ctx().keygate.users.requireUser(username);
      await ctx().keygate.users.updateDetails(user, { isActive: false });
      const response = await client.send({
        method: 'POST',
        url: '/gettoken/',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ username: alice, password: PASSWORD }).toString(),
      });
      assert.equal(response.body, JSON.stringify({ token: aliceKey }));
    });

    it('neither the password nor the header reach the logs; a failure is logged with username and address', async () => {
      const lines: string[] = [];
      const stream = new Writable({
        write(chunk: Buffer, _encoding, done) {
          lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
          done();
        },
      });
      const app = buildApp(ctx().keygate, { logger: { level: 'info', stream } });
      try {
        const secret = 'hunter2-do-not-log';
        const address = freshAddress();
        const headers = [basic(`${alice}:${secret}`), basic(`${alice}:${PASSWORD}`)];
        for (const authorization of headers) {
          await app.inject({ method: 'GET', url: '/', remoteAddress: address, headers: { authorization } });
        }
        const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
        const failed = entries.find((entry) => entry.msg === 'failed basic authentication');
        assert.ok(failed, lines.join('\n'));
        assert.equal(failed.level, 40);
        assert.equal(failed.username, alice);
        assert.equal(failed.address, address);
        for (const forbidden of [secret, PASSWORD, ...headers.map((h) => h.slice(6))]) {
          assert.ok(!lines.some((line) => line.includes(forbidden)), `${forbidden} in\n${lines.join('\n')}`);
        }
      } finally {
        await app.close();
      }
    });

    // BasicAuthentication.authenticate_header: the challenge, where Basic is a view's first class.
    it('Basic first: 401 with WWW-Authenticate: Basic realm="api"', async () => {
      const anonymous = await inject(ctx, { method: 'GET', url: '/basic_first/' });
      assert.equal(anonymous.statusCode, 401);
      assert.equal(anonymous.headers['www-authenticate'], 'Basic realm="api"');
      assert.equal(anonymous.body, '{"detail":"Authentication credentials were not provided."}');
      const wrong = await inject(ctx, {
        method: 'GET',
        url: '/basic_first/',
        headers: { authorization: basic(`${alice}:wrong`) },
      });
      assert.equal(wrong.statusCode, 401);
      assert.equal(wrong.headers['www-authenticate'], 'Basic realm="api"');
      assert.equal(wrong.body, '{"detail":"Invalid username/password."}');
      const right = await inject(ctx, {
        method: 'GET',
        url: '/basic_first/',
        headers: { authorization: basic(`${alice}:${PASSWORD}`) },
      });
      assert.equal(right.statusCode, 200, right.body);
      assert.equal(right.body, JSON.stringify({ user: alice, auth: null }));
    });
  },
  {
    setup(app) {
      registerApiView(app, {
        name: 'Basic First',
        url: '/basic_first/',
        access: {
          authentication: [new BasicAuthentication(app.keygate.users, app.keygate.throttle)],
          permissions: [IsAuthenticated],
        },
        renderers: [jsonRenderer],
        parses: ['application/json'],
        handlers: {
          GET: (request) => ({
            status: 200,
            data: { user: request.user?.username ?? null, auth: request.auth },
          }),
        },
      });
    },
  },
);
