// keygate/express's obtainAuthToken on a real Express 5 app, byte for byte against keygate's own /gettoken/ and /customtoken/.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { after, before, it } from 'node:test';
import express from 'express';
import { obtainAuthToken } from '../../src/express/index.js';
import type { User } from '../../src/users/user.js';
import { describeEachDialect, uniqueName } from '../helpers.js';
import { form, json, send, startExpress, type ExpressServer, type RawResponse } from './express-support.js';

const PASSWORD = 'correct horse';
const INVALID_CREDENTIALS = '{"non_field_errors":["Unable to log in with provided credentials."]}';
const BOTH_REQUIRED = '{"username":["This field is required."],"password":["This field is required."]}';

/** The same POST to the Express app and to keygate's server: the same status, body and headers. */
async function both(
  expressUrl: string,
  fastifyUrl: string,
  path: string,
  [headers, body]: [Record<string, string>, string | Buffer | undefined],
): Promise<RawResponse> {
  const ours = await send(expressUrl, 'POST', path, headers, body);
  const theirs = await send(fastifyUrl, 'POST', path, headers, body);
  assert.equal(ours.status, theirs.status, `${path} ${String(body).slice(0, 80)}: ${ours.body}`);
  assert.equal(ours.body, theirs.body);
  for (const name of ['content-type', 'content-length', 'cache-control', 'www-authenticate']) {
    assert.equal(ours.headers[name], theirs.headers[name], name);
  }
  assert.equal(ours.headers['cache-control'], 'no-store');
  return ours;
}

describeEachDialect('keygate/express: obtainAuthToken', (ctx) => {
  let server: ExpressServer;
  let fastifyUrl: string;
  let alice: User;
  let aliceKey: string;

  before(async () => {
    server = await startExpress(ctx().keygate);
    fastifyUrl = await ctx().listen();
    alice = await ctx().keygate.users.createUser({
      username: uniqueName('alice'),
      password: PASSWORD,
      email: 'alice@example.com',
    });
    aliceKey = (await ctx().keygate.tokens.getOrCreate(alice)).key;
  });

  after(async () => {
    await server.close();
  });

  const post = (path: string, request: [Record<string, string>, string | Buffer | undefined]) =>
    both(server.url, fastifyUrl, path, request);

  it("JSON and form credentials get the user's token; /customtoken/ adds the id and e-mail", async () => {
    const credentials = { username: alice.username, password: PASSWORD };
    for (const request of [json(credentials), form(credentials)]) {
      const response = await post('/gettoken/', request);
      assert.equal(response.status, 200);
      assert.equal(response.body, JSON.stringify({ token: aliceKey }));
      const custom = await post('/customtoken/', request);
      assert.equal(
        custom.body,
        JSON.stringify({ Token: aliceKey, user_id: alice.id, email: 'alice@example.com' }),
      );
    }
    // The username is trimmed; a Token header is ignored here, as on DRF's view.
    const trimmed = await post('/gettoken/', json({ username: ` ${alice.username}\n`, password: PASSWORD }));
    assert.equal(trimmed.status, 200);
    const [headers, body] = json(credentials);
    const withHeader = await post('/gettoken/', [{ ...headers, authorization: 'Token nope' }, body]);
    assert.equal(withHeader.status, 200);
  });

  it('missing, blank, null and non-string fields: DRF field errors in field order', async () => {
    for (const request of [json({}), form({}), [{}, undefined] as [Record<string, string>, undefined]]) {
      const response = await post('/gettoken/', request);
      assert.equal(response.status, 400);
      assert.equal(response.body, BOTH_REQUIRED);
    }
    const blank = await post('/gettoken/', json({ username: '', password: null }));
    assert.equal(
      blank.body,
      '{"username":["This field may not be blank."],"password":["This field may not be null."]}',
    );
    const list = await post('/customtoken/', json({ username: ['a'], password: 'x' }));
    assert.equal(list.body, '{"username":["Not a valid string."]}');
    // A repeated form field gives its last value (Django's QueryDict).
    const repeated = await post('/gettoken/', [
      { 'content-type': 'application/x-www-form-urlencoded' },
      `username=nobody&username=${alice.username}&password=${encodeURIComponent(PASSWORD)}`,
    ]);
    assert.equal(repeated.status, 200);
  });

  it('bad credentials and an unknown user: one and the same 400', async () => {
    for (const username of [alice.username, alice.username.toUpperCase(), uniqueName('nobody')]) {
      const response = await post('/gettoken/', json({ username, password: 'wrong' }));
      assert.equal(response.status, 400);
      assert.equal(response.body, INVALID_CREDENTIALS);
    }
  });

  it("bodies that are not a mapping, malformed JSON, other media types: DRF's answers", async () => {
    const cases: [Record<string, string>, string | Buffer][] = [
      [{ 'content-type': 'application/json' }, '[1]'],
      [{ 'content-type': 'application/json' }, 'null'],
      [{ 'content-type': 'application/json' }, '{"username": x'],
      [{ 'content-type': 'application/json' }, '{"a": NaN}'],
      [{ 'content-type': 'application/json' }, ' '],
      [{ 'content-type': 'application/json; charset=utf-8' }, Buffer.from([0xff])],
      [{ 'content-type': 'text/plain' }, 'username=a'],
      [{ 'content-type': 'text/plain' }, ''],
      [{}, 'username=a'],
    ];
    const seen: string[] = [];
    for (const request of cases) seen.push((await post('/gettoken/', request)).body);
    assert.deepEqual(seen.slice(0, 3), [
      '{"non_field_errors":["Invalid data. Expected a dictionary, but got list."]}',
      '{"non_field_errors":["No data provided"]}',
      '{"detail":"JSON parse error - Expecting value: line 1 column 14 (char 13)"}',
    ]);
    assert.equal(
      seen[5],
      '{"detail":"JSON parse error - \'utf-8\' codec can\'t decode byte 0xff in position 0: invalid start byte"}',
    );
    assert.equal(seen[6], '{"detail":"Unsupported media type \\"text/plain\\" in request."}');
    assert.equal(seen[8], '{"detail":"Unsupported media type \\"\\" in request."}');
  });

  it('a body past 1 MiB is a 413', async () => {
    const big = JSON.stringify({ username: 'x'.repeat(1_048_576), password: 'y' });
    const response = await post('/gettoken/', [{ 'content-type': 'application/json' }, big]);
    assert.equal(response.status, 413);
    assert.equal(response.body, '{"detail":"Request body is too large."}');
  });

  it('failed logins are reported without the password; no key or password reaches an error', () => {
    assert.ok(server.failedLogins.length > 0);
    for (const failure of server.failedLogins) {
      assert.deepEqual(Object.keys(failure).sort(), ['address', 'username']);
      assert.equal(failure.address, '127.0.0.1');
    }
    assert.ok(!JSON.stringify(server.failedLogins).includes('wrong'));
    assert.deepEqual(server.errors, []);
  });
});

describeEachDialect('keygate/express: obtainAuthToken in a host app with its own body parser', (ctx) => {
  it("uses the body express.json() already parsed; any method but POST is DRF's 405", async () => {
    const user = await ctx().keygate.users.createUser({ username: uniqueName('bob'), password: PASSWORD });
    const key = (await ctx().keygate.tokens.getOrCreate(user)).key;
    const app = express();
    app.use(express.json());
    app.all('/gettoken/', obtainAuthToken(ctx().keygate));
    const listener = app.listen(0, '127.0.0.1');
    await once(listener, 'listening');
    const url = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
    try {
      const [headers, body] = json({ username: user.username, password: PASSWORD });
      const ok = await send(url, 'POST', '/gettoken/', headers, body);
      assert.equal(ok.body, JSON.stringify({ token: key }));
      const got = await send(url, 'GET', '/gettoken/');
      assert.equal(got.status, 405);
      assert.equal(got.body, '{"detail":"Method \\"GET\\" not allowed."}');
      assert.equal(got.headers.allow, 'POST');
    } finally {
      listener.close();
    }
  });
});

describeEachDialect(
  'keygate/express: obtainAuthToken behind the brute-force limit',
  (ctx) => {
    let server: ExpressServer;
    let fastifyUrl: string;

    before(async () => {
      server = await startExpress(ctx().keygate);
      fastifyUrl = await ctx().listen();
    });

    after(async () => {
      await server.close();
    });

    /** Wrong passwords until a 429, then the right one: the statuses, and the last answer. */
    async function hammer(url: string): Promise<{ statuses: number[]; last: RawResponse }> {
      const user = await ctx().keygate.users.createUser({
        username: uniqueName('target'),
        password: PASSWORD,
      });
      const statuses: number[] = [];
      let last: RawResponse | undefined;
      for (let i = 0; i < 5; i++) {
        const [headers, body] = json({ username: user.username, password: `wrong ${i}` });
        last = await send(url, 'POST', '/gettoken/', headers, body);
        statuses.push(last.status);
      }
      const [headers, body] = json({ username: user.username, password: PASSWORD });
      last = await send(url, 'POST', '/gettoken/', headers, body);
      statuses.push(last.status);
      return { statuses, last };
    }

    it("past the limit: 429 with Retry-After, even for the right password, as on keygate's server", async () => {
      const ours = await hammer(server.url);
      const theirs = await hammer(fastifyUrl);
      assert.deepEqual(ours.statuses, [400, 400, 400, 429, 429, 429]);
      assert.deepEqual(ours.statuses, theirs.statuses);
      const retryAfter = Number(ours.last.headers['retry-after']);
      assert.ok(retryAfter > 0 && retryAfter <= 900, String(retryAfter));
      assert.equal(
        ours.last.body,
        `{"detail":"Request was throttled. Expected available in ${retryAfter} seconds."}`,
      );
      assert.equal(ours.last.headers['cache-control'], 'no-store');
      assert.equal(ours.last.headers['content-type'], 'application/json');
      assert.ok(Math.abs(retryAfter - Number(theirs.last.headers['retry-after'])) <= 1);
      assert.deepEqual(server.errors, []);
    });
  },
  { env: { LOGIN_FAILURES_PER_USER: '3' } },
);
