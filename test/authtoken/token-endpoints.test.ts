// POST /gettoken/ and POST /customtoken/ as DRF's ObtainAuthToken answers them, on both databases.
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { before, it } from 'node:test';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { OPENAPI_URL } from '../../src/http/openapi.js';
import type { User } from '../../src/users/user.js';
import { describeEachDialect, uniqueName, type DialectContext } from '../helpers.js';

const ENDPOINTS = ['/gettoken/', '/customtoken/'] as const;
const INVALID_CREDENTIALS = JSON.stringify({
  non_field_errors: ['Unable to log in with provided credentials.'],
});
const BOTH_REQUIRED = JSON.stringify({
  username: ['This field is required.'],
  password: ['This field is required.'],
});
const DRF_KEY = /^[0-9a-f]{40}$/;
const HASHED_KEY = /^kg_[0-9A-Za-z]{38}$/;
// Python's base64.b64encode(hashlib.pbkdf2_hmac('sha256', b'pw', b'salt', 1000)), as Django stores it.
const DJANGO_PBKDF2_PW = 'pbkdf2_sha256$1000$salt$CjglNVXON/XHKmtwP5loFOvyQfIDrxRuk9zesDHFVn4=';

/** Sends a request and returns the response (JSON objects are sent as JSON). */
function send(ctx: () => DialectContext, options: InjectOptions): Promise<LightMyRequestResponse> {
  return ctx().app.inject(options);
}

/** POSTs a JSON value (or raw text with its own Content-Type) to an endpoint. */
function post(
  ctx: () => DialectContext,
  url: string,
  payload?: unknown,
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  if (payload === undefined) return send(ctx, { method: 'POST', url, headers });
  if (typeof payload === 'string' || Buffer.isBuffer(payload)) {
    return send(ctx, { method: 'POST', url, payload, headers });
  }
  return send(ctx, {
    method: 'POST',
    url,
    payload: JSON.stringify(payload),
    headers: { 'content-type': 'application/json', ...headers },
  });
}

/** A multipart/form-data body as a browser would send it. */
async function multipart(fields: readonly (readonly [string, string | Blob])[]) {
  const form = new FormData();
  for (const [name, value] of fields) form.append(name, value);
  const response = new Response(form);
  return {
    payload: Buffer.from(await response.arrayBuffer()),
    contentType: response.headers.get('content-type') ?? '',
  };
}

function assertJson(response: LightMyRequestResponse, status: number, body: string): void {
  assert.equal(response.statusCode, status, response.body);
  assert.equal(response.headers['content-type'], 'application/json');
  assert.equal(response.body, body);
}

describeEachDialect('token endpoints (drf policy)', (ctx) => {
  const password = 'correct horse';
  let alice: User;
  let aliceKey: string;

  before(async () => {
    alice = await ctx().keygate.users.createUser({
      username: uniqueName('alice'),
      password,
      email: 'alice@example.com',
    });
    aliceKey = (await ctx().keygate.tokens.getOrCreate(alice)).key;
  });

  it("/gettoken/ answers the user's token, the same one every time", async () => {
    assert.match(aliceKey, DRF_KEY);
    for (let i = 0; i < 2; i++) {
      const response = await post(ctx, '/gettoken/', { username: alice.username, password });
      assertJson(response, 200, JSON.stringify({ token: aliceKey }));
      assert.equal(response.headers.allow, 'POST, OPTIONS');
      // One renderer (JSON): no Vary: Accept. SessionAuthentication read the session: Vary: Cookie.
      assert.equal(response.headers.vary, 'Cookie');
    }
  });

  it('/customtoken/ answers Token, user_id and email in that order, with the same key', async () => {
    for (let i = 0; i < 2; i++) {
      const response = await post(ctx, '/customtoken/', { username: alice.username, password });
      assertJson(response, 200, `{"Token":"${aliceKey}","user_id":${alice.id},"email":"alice@example.com"}`);
    }
  });

  it('a user without a token gets one created, and concurrent first logins agree on it', async () => {
    const bob = await ctx().keygate.users.createUser({ username: uniqueName('bob'), password });
    await ctx().keygate.tokens.deleteAllForUser(bob);
    const responses = await Promise.all(
      [...ENDPOINTS, ...ENDPOINTS].map((url) => post(ctx, url, { username: bob.username, password })),
    );
    const keys = responses.map((r) => {
      assert.equal(r.statusCode, 200, r.body);
      const body = r.json<{ token?: string; Token?: string }>();
      return body.token ?? body.Token;
    });
    assert.match(keys[0] ?? '', DRF_KEY);
    assert.deepEqual(new Set(keys).size, 1);
    assert.equal((await ctx().keygate.tokens.listForUser(bob)).length, 1);
  });

  it('a form-encoded body logs in (a repeated field gives its last value)', async () => {
    const headers = { 'content-type': 'application/x-www-form-urlencoded' };
    const body = new URLSearchParams({ username: alice.username, password }).toString();
    for (const payload of [body, `username=nobody&${body}`]) {
      assertJson(await post(ctx, '/gettoken/', payload, headers), 200, JSON.stringify({ token: aliceKey }));
    }
    const custom = await post(ctx, '/customtoken/', body, headers);
    assert.equal(custom.statusCode, 200);
    assert.equal(custom.json<{ Token: string }>().Token, aliceKey);
  });

  it('a multipart/form-data body logs in (a repeated field gives its last value)', async () => {
    for (const url of ENDPOINTS) {
      for (const fields of [
        [
          ['username', alice.username],
          ['password', password],
        ],
        [
          ['username', 'nobody'],
          ['password', password],
          ['username', alice.username],
        ],
      ] as const) {
        const { payload, contentType } = await multipart(fields);
        const response = await post(ctx, url, payload, { 'content-type': contentType });
        assert.equal(response.statusCode, 200, response.body);
        assert.ok(response.body.includes(aliceKey));
      }
    }
  });

  it('multipart without a boundary is a 400 parse error', async () => {
    assertJson(
      await post(ctx, '/gettoken/', 'username=x', { 'content-type': 'multipart/form-data' }),
      400,
      JSON.stringify({ detail: 'Multipart form parse error - Invalid boundary in multipart: None' }),
    );
  });

  it('a file is not a string: multipart with the password as an upload', async () => {
    const { payload, contentType } = await multipart([
      ['username', alice.username],
      ['password', new Blob([password])],
    ]);
    assertJson(
      await post(ctx, '/gettoken/', payload, { 'content-type': contentType }),
      400,
      JSON.stringify({ password: ['Not a valid string.'] }),
    );
  });

  it('the username is trimmed; the password is not', async () => {
    const padded = await post(ctx, '/gettoken/', { username: ` \t${alice.username}\n `, password });
    assertJson(padded, 200, JSON.stringify({ token: aliceKey }));
    for (const wrong of [` ${password}`, `${password} `]) {
      assertJson(
        await post(ctx, '/gettoken/', { username: alice.username, password: wrong }),
        400,
        INVALID_CREDENTIALS,
      );
    }
  });

  it('whitespace is part of a password: one of only spaces is not blank and logs in', async () => {
    // Eight spaces: the shortest such password Django's validators accept.
    for (const spaced of ['        ', ' pass word ']) {
      const user = await ctx().keygate.users.createUser({ username: uniqueName('spaces'), password: spaced });
      const key = (await ctx().keygate.tokens.getOrCreate(user)).key;
      const response = await post(ctx, '/gettoken/', { username: user.username, password: spaced });
      assertJson(response, 200, JSON.stringify({ token: key }));
      const trimmed = await post(ctx, '/gettoken/', {
        username: user.username,
        password: spaced.trim() || 'x',
      });
      assertJson(trimmed, 400, INVALID_CREDENTIALS);
    }
  });

  it('missing fields are required, both reported, in field order (empty JSON, no body, empty form)', async () => {
    for (const url of ENDPOINTS) {
      assertJson(await post(ctx, url, {}), 400, BOTH_REQUIRED);
      assertJson(await post(ctx, url), 400, BOTH_REQUIRED);
      assertJson(await post(ctx, url, '', { 'content-type': 'application/json' }), 400, BOTH_REQUIRED);
      assertJson(
        await post(ctx, url, '', { 'content-type': 'application/x-www-form-urlencoded' }),
        400,
        BOTH_REQUIRED,
      );
      assertJson(
        await post(ctx, url, { password }),
        400,
        JSON.stringify({ username: ['This field is required.'] }),
      );
      assertJson(
        await post(ctx, url, { username: alice.username, token: aliceKey }),
        400,
        JSON.stringify({ password: ['This field is required.'] }),
      );
    }
  });

  it('blank: "" for either field, and a username of only whitespace', async () => {
    const blank = ['This field may not be blank.'];
    assertJson(
      await post(ctx, '/gettoken/', { username: '', password: '' }),
      400,
      JSON.stringify({ username: blank, password: blank }),
    );
    assertJson(
      await post(ctx, '/customtoken/', { username: ' \t\u3000', password }),
      400,
      JSON.stringify({ username: blank }),
    );
    assertJson(
      await post(ctx, '/gettoken/', 'username=&password=', {
        'content-type': 'application/x-www-form-urlencoded',
      }),
      400,
      JSON.stringify({ username: blank, password: blank }),
    );
  });

  it('null: "This field may not be null."', async () => {
    const nulls = ['This field may not be null.'];
    for (const url of ENDPOINTS) {
      assertJson(
        await post(ctx, url, { username: null, password: null }),
        400,
        JSON.stringify({ username: nulls, password: nulls }),
      );
    }
  });

  it('lists, objects and booleans are not valid strings', async () => {
    const invalid = ['Not a valid string.'];
    for (const [username, pw] of [
      [[alice.username], [password]],
      [{ name: alice.username }, {}],
      [true, false],
    ]) {
      assertJson(
        await post(ctx, '/gettoken/', { username, password: pw }),
        400,
        JSON.stringify({ username: invalid, password: invalid }),
      );
    }
    // Each field is checked on its own: one good field, one bad.
    assertJson(
      await post(ctx, '/customtoken/', { username: alice.username, password: [] }),
      400,
      JSON.stringify({ password: invalid }),
    );
  });

  it("numbers are coerced to strings as Python's str() does", async () => {
    const user = await ctx().keygate.users.createUser({ username: '12345', password: '12345678.5' });
    const key = (await ctx().keygate.tokens.getOrCreate(user)).key;
    assertJson(
      await post(ctx, '/gettoken/', { username: 12345, password: 12345678.5 }),
      200,
      JSON.stringify({ token: key }),
    );
    assertJson(
      await post(ctx, '/gettoken/', { username: 12345, password: 123456785 }),
      400,
      INVALID_CREDENTIALS,
    );
  });

  it('NUL characters and lone surrogates are refused, messages accumulating per field', async () => {
    const body = '{"username":"a\\u0000b\\ud800","password":"x\\udfff"}';
    assertJson(
      await post(ctx, '/gettoken/', body, { 'content-type': 'application/json' }),
      400,
      JSON.stringify({
        username: ['Null characters are not allowed.', 'Surrogate characters are not allowed: U+D800.'],
        password: ['Surrogate characters are not allowed: U+DFFF.'],
      }),
    );
    // A surrogate pair is one character, not a lone surrogate; it only fails the login.
    const pair = '{"username":"\\ud83d\\ude00","password":"\\u0000"}';
    assertJson(
      await post(ctx, '/customtoken/', pair, { 'content-type': 'application/json' }),
      400,
      JSON.stringify({ password: ['Null characters are not allowed.'] }),
    );
  });

  it('wrong password, unknown user, inactive user, wrong-case username: one identical answer', async () => {
    const inactive = await ctx().keygate.users.createUser({
      username: uniqueName('inactive'),
      password,
      isActive: false,
    });
    const attempts = [
      { username: alice.username, password: 'wrong horse' },
      { username: uniqueName('nobody'), password },
      { username: inactive.username, password },
      { username: alice.username.toUpperCase(), password },
    ];
    for (const url of ENDPOINTS) {
      for (const attempt of attempts) {
        const response = await post(ctx, url, attempt);
        assertJson(response, 400, INVALID_CREDENTIALS);
        assert.equal(response.headers['www-authenticate'], undefined);
      }
    }
  });

  it('a body that is not a JSON object: list, string, null', async () => {
    const cases: [string, string][] = [
      ['[]', 'Invalid data. Expected a dictionary, but got list.'],
      ['["alice","pw"]', 'Invalid data. Expected a dictionary, but got list.'],
      ['"alice"', 'Invalid data. Expected a dictionary, but got str.'],
      ['null', 'No data provided'],
    ];
    for (const url of ENDPOINTS) {
      for (const [body, message] of cases) {
        assertJson(
          await post(ctx, url, body, { 'content-type': 'application/json' }),
          400,
          JSON.stringify({ non_field_errors: [message] }),
        );
      }
    }
  });

  it('malformed JSON is a 400 parse error, never a 500', async () => {
    for (const url of ENDPOINTS) {
      const response = await post(ctx, url, '{"username": "alice",', { 'content-type': 'application/json' });
      assert.equal(response.statusCode, 400);
      assert.equal(response.headers['content-type'], 'application/json');
      assert.match(response.json<{ detail: string }>().detail, /^JSON parse error - ./);
    }
  });

  it('other media types are a 415 (no Content-Type with a body: "")', async () => {
    for (const url of ENDPOINTS) {
      assertJson(
        await post(ctx, url, 'username=a&password=b', { 'content-type': 'text/plain' }),
        415,
        JSON.stringify({ detail: 'Unsupported media type "text/plain" in request.' }),
      );
      assertJson(
        await post(ctx, url, '<x/>', { 'content-type': 'application/xml' }),
        415,
        JSON.stringify({ detail: 'Unsupported media type "application/xml" in request.' }),
      );
      assertJson(
        await post(ctx, url, 'username=a&password=b'),
        415,
        JSON.stringify({ detail: 'Unsupported media type "" in request.' }),
      );
    }
  });

  // DRF's default classes (Session, Basic) run here: a Basic header is checked, see
  // test/auth/basic-authentication.test.ts; a Token header is no scheme of theirs.
  it('a Token header is ignored, valid or not', async () => {
    const other = await ctx().keygate.users.createUser({ username: uniqueName('carol'), password });
    const otherKey = (await ctx().keygate.tokens.getOrCreate(other)).key;
    for (const authorization of [`Token ${otherKey}`, 'Token garbage', 'Token', 'Token a b', 'Bearer xx']) {
      const ok = await post(ctx, '/gettoken/', { username: alice.username, password }, { authorization });
      assertJson(ok, 200, JSON.stringify({ token: aliceKey }));
      const bad = await post(
        ctx,
        '/customtoken/',
        { username: alice.username, password: 'no' },
        { authorization },
      );
      assertJson(bad, 400, INVALID_CREDENTIALS);
    }
  });

  it('GET, PUT, PATCH and DELETE are 405 with Allow: POST, OPTIONS', async () => {
    for (const url of ENDPOINTS) {
      for (const method of ['GET', 'PUT', 'PATCH', 'DELETE'] as const) {
        const response = await send(ctx, { method, url, headers: { authorization: 'Token garbage' } });
        assertJson(response, 405, JSON.stringify({ detail: `Method "${method}" not allowed.` }));
        assert.equal(response.headers.allow, 'POST, OPTIONS');
        assert.equal(response.headers.vary, 'Cookie');
      }
    }
  });

  it('OPTIONS describes the view: name, parses in DRF order, the POST fields', async () => {
    const actions = {
      POST: {
        username: { type: 'string', required: true, read_only: false, label: 'Username' },
        password: { type: 'string', required: true, read_only: false, label: 'Password' },
        token: { type: 'string', required: false, read_only: true, label: 'Token' },
      },
    };
    for (const [url, name] of [
      ['/gettoken/', 'Obtain Auth Token'],
      ['/customtoken/', 'Custom Auth Token'],
    ] as const) {
      const response = await send(ctx, { method: 'OPTIONS', url });
      assertJson(
        response,
        200,
        JSON.stringify({
          name,
          description: '',
          renders: ['application/json'],
          parses: ['application/x-www-form-urlencoded', 'multipart/form-data', 'application/json'],
          actions,
        }),
      );
      assert.equal(response.headers.allow, 'POST, OPTIONS');
    }
  });

  it('JSON is the only renderer: Accept: application/xml is a 406', async () => {
    assertJson(
      await post(ctx, '/gettoken/', { username: alice.username, password }, { accept: 'application/xml' }),
      406,
      JSON.stringify({ detail: 'Could not satisfy the request Accept header.' }),
    );
  });

  it('the unslashed URL is a 301 to the slashed one', async () => {
    for (const url of ENDPOINTS) {
      const response = await post(ctx, url.slice(0, -1), { username: alice.username, password });
      assert.equal(response.statusCode, 301);
      assert.equal(response.headers.location, url);
    }
  });

  it('the OpenAPI document lists both endpoints under authtoken, with body and responses', async () => {
    const response = await send(ctx, { method: 'GET', url: OPENAPI_URL });
    assert.equal(response.statusCode, 200);
    interface Operation {
      tags?: string[];
      summary?: string;
      requestBody?: { content: Record<string, { schema: { properties: Record<string, unknown> } }> };
      responses: Record<string, unknown>;
    }
    const paths = response.json<{ paths: Record<string, Record<string, Operation>> }>().paths;
    for (const url of ENDPOINTS) {
      const methods = Object.keys(paths[url] ?? {});
      assert.deepEqual(methods, ['post'], url);
      const operation = paths[url]!.post!;
      assert.deepEqual(operation.tags, ['authtoken']);
      assert.ok(operation.summary);
      assert.deepEqual(Object.keys(operation.requestBody?.content ?? {}), [
        'application/x-www-form-urlencoded',
        'multipart/form-data',
        'application/json',
      ]);
      assert.deepEqual(Object.keys(operation.requestBody!.content['application/json']!.schema.properties), [
        'username',
        'password',
      ]);
      // Every status the endpoint can send is listed (test/http/openapi.test.ts); its own are these.
      for (const status of ['200', '400', '429']) assert.ok(status in operation.responses, status);
    }
  });

  it('the key it returns authenticates GET /product_api/', async () => {
    const token = (await post(ctx, '/gettoken/', { username: alice.username, password })).json<{
      token: string;
    }>().token;
    const response = await send(ctx, {
      method: 'GET',
      url: '/product_api/',
      headers: { authorization: `Token ${token}` },
    });
    assert.equal(response.statusCode, 200, response.body);
  });

  it('a Django pbkdf2_sha256 hash logs in (and is upgraded to argon2id, which logs in too)', async () => {
    const user = await ctx().keygate.users.createUser({
      username: uniqueName('django'),
      password: 'other password',
    });
    const key = (await ctx().keygate.tokens.getOrCreate(user)).key;
    const db = ctx().keygate.database.db;
    await db.updateTable('users').set({ password: DJANGO_PBKDF2_PW }).where('id', '=', user.id).execute();
    assertJson(
      await post(ctx, '/gettoken/', { username: user.username, password: 'other password' }),
      400,
      INVALID_CREDENTIALS,
    );
    for (let i = 0; i < 2; i++) {
      assertJson(
        await post(ctx, '/gettoken/', { username: user.username, password: 'pw' }),
        200,
        JSON.stringify({ token: key }),
      );
    }
    const stored = await db
      .selectFrom('users')
      .select('password')
      .where('id', '=', user.id)
      .executeTakeFirstOrThrow();
    assert.ok(stored.password.startsWith('$argon2id$'), stored.password);
  });

  it('an unknown username costs about as much time as a wrong password', async () => {
    const elapsed = async (username: string): Promise<number> => {
      const start = performance.now();
      const response = await post(ctx, '/gettoken/', { username, password: 'wrong horse' });
      assert.equal(response.body, INVALID_CREDENTIALS);
      return performance.now() - start;
    };
    await elapsed(uniqueName('warmup'));
    await elapsed(alice.username);
    let known = 0;
    let unknown = 0;
    for (let i = 0; i < 3; i++) {
      known += await elapsed(alice.username);
      unknown += await elapsed(uniqueName('ghost'));
    }
    assert.ok(unknown >= 0.4 * known, `unknown ${unknown.toFixed(1)} ms vs known ${known.toFixed(1)} ms`);
  });
});

describeEachDialect(
  'token endpoints (hashed policy)',
  (ctx) => {
    const password = 'correct horse';
    let dave: User;

    before(async () => {
      dave = await ctx().keygate.users.createUser({
        username: uniqueName('dave'),
        password,
        email: 'dave@example.com',
      });
    });

    it('every login issues a new kg_ key, shown once, and every one of them works', async () => {
      const keys: string[] = [];
      for (const url of [...ENDPOINTS, ...ENDPOINTS]) {
        const response = await post(ctx, url, { username: dave.username, password });
        assert.equal(response.statusCode, 200, response.body);
        const body = response.json<Record<string, unknown>>();
        if (url === '/gettoken/') {
          assert.deepEqual(Object.keys(body), ['token']);
          keys.push(String(body.token));
        } else {
          assert.deepEqual(Object.keys(body), ['Token', 'user_id', 'email']);
          assert.equal(body.user_id, dave.id);
          assert.equal(body.email, 'dave@example.com');
          keys.push(String(body.Token));
        }
      }
      for (const key of keys) assert.match(key, HASHED_KEY);
      assert.equal(new Set(keys).size, keys.length);
      for (const key of keys) {
        const response = await send(ctx, {
          method: 'GET',
          url: '/product_api/',
          headers: { authorization: `Token ${key}` },
        });
        assert.equal(response.statusCode, 200, response.body);
      }
    });

    it('bad credentials are still the one 400', async () => {
      for (const url of ENDPOINTS) {
        assertJson(
          await post(ctx, url, { username: dave.username, password: 'nope' }),
          400,
          INVALID_CREDENTIALS,
        );
      }
    });
  },
  { env: { TOKEN_POLICY: 'hashed' } },
);
