// Vary exactly as DRF + Django send it: `Accept` from views with more than one renderer
// (APIView.default_response_headers), `Cookie` when the session was read (SessionMiddleware).
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { describeEachDialect, uniqueName } from '../helpers.js';
import { SessionClient } from '../sessions/session-client.js';
import { addressSource } from '../throttle/login-support.js';

const PASSWORD = 'correct horse battery';
const freshAddress = addressSource(70);

describeEachDialect('Vary: Accept and Cookie where DRF sends them', (ctx) => {
  let username: string;
  let authorization: string;
  let browser: SessionClient;

  before(async () => {
    username = uniqueName('vary');
    const user = await ctx().keygate.users.createUser({ username, password: PASSWORD });
    authorization = `Token ${(await ctx().keygate.tokens.getOrCreate(user)).key}`;
    browser = new SessionClient(ctx().app);
    assert.equal((await browser.login(username, PASSWORD)).statusCode, 302);
  });

  const send = (options: InjectOptions): Promise<LightMyRequestResponse> =>
    ctx().app.inject({ remoteAddress: freshAddress(), ...options });
  const form = { 'content-type': 'application/x-www-form-urlencoded' };

  function assertVary(response: LightMyRequestResponse, vary: string | undefined, what: string): void {
    assert.equal(
      response.headers.vary,
      vary,
      `${what} (${response.statusCode} ${response.body.slice(0, 120)})`,
    );
  }

  // ObtainAuthToken.renderer_classes = (JSONRenderer,): one renderer, so no `Vary: Accept`; its
  // authentication classes are the defaults, Session first, which reads the session on every request
  // that gets as far as authentication: SessionMiddleware.process_response adds `Vary: Cookie`.
  it('/gettoken/ and /customtoken/: Vary: Cookie on every answer past negotiation', async () => {
    for (const url of ['/gettoken/', '/customtoken/']) {
      const body = new URLSearchParams({ username, password: PASSWORD }).toString();
      const cases: [string, Promise<LightMyRequestResponse>][] = [
        ['200', send({ method: 'POST', url, headers: form, payload: body })],
        [
          '400 bad credentials',
          send({ method: 'POST', url, headers: form, payload: 'username=x&password=y' }),
        ],
        ['400 missing fields', send({ method: 'POST', url, headers: form, payload: '' })],
        ['405 GET', send({ method: 'GET', url })],
        ['OPTIONS', send({ method: 'OPTIONS', url })],
        ['415', send({ method: 'POST', url, headers: { 'content-type': 'text/plain' }, payload: 'x' })],
        [
          '403 bad Basic',
          send({ method: 'POST', url, headers: { ...form, authorization: 'Basic' }, payload: body }),
        ],
        [
          'Token header ignored',
          send({ method: 'POST', url, headers: { ...form, authorization }, payload: body }),
        ],
      ];
      for (const [what, pending] of cases) assertVary(await pending, 'Cookie', `${url} ${what}`);
      const session = await browser.send({ method: 'GET', url });
      assertVary(session, 'Cookie', `${url} 405 with a session`);
      // Content negotiation fails before authentication (APIView.initial): the session is never read.
      const notAcceptable = await send({
        method: 'POST',
        url,
        headers: { ...form, accept: 'application/xml' },
        payload: body,
      });
      assert.equal(notAcceptable.statusCode, 406);
      assertVary(notAcceptable, undefined, `${url} 406`);
    }
  });

  // APIRootView: the default renderers (JSON, browsable API) and the default authentication classes.
  it('the API root: Vary: Accept, Cookie', async () => {
    const cases: [string, Promise<LightMyRequestResponse>][] = [
      ['GET anonymous', send({ method: 'GET', url: '/' })],
      ['GET .json', send({ method: 'GET', url: '/.json' })],
      ['HEAD', send({ method: 'HEAD', url: '/' })],
      ['POST 405', send({ method: 'POST', url: '/' })],
      ['OPTIONS', send({ method: 'OPTIONS', url: '/' })],
      ['GET with a Token header', send({ method: 'GET', url: '/', headers: { authorization } })],
      ['GET with a bad Basic header', send({ method: 'GET', url: '/', headers: { authorization: 'Basic' } })],
      ['GET html', send({ method: 'GET', url: '/', headers: { accept: 'text/html' } })],
      ['GET with a session', browser.send({ method: 'GET', url: '/' })],
    ];
    for (const [what, pending] of cases) assertVary(await pending, 'Accept, Cookie', `/ ${what}`);
    assertVary(
      await send({ method: 'GET', url: '/', headers: { accept: 'application/xml' } }),
      'Accept',
      '/ 406',
    );
  });

  // ProductModelViewSet here: TokenAuthentication, then SessionAuthentication. Token answers first;
  // Session (and so the session) is reached only when Token found no `Token` header.
  it('the product views: Cookie only when SessionAuthentication ran', async () => {
    const cases: [string, Promise<LightMyRequestResponse>, string][] = [
      ['token', send({ method: 'GET', url: '/product_api/', headers: { authorization } }), 'Accept'],
      ['token, 405', send({ method: 'PUT', url: '/product_api/', headers: { authorization } }), 'Accept'],
      [
        'token, detail 404',
        send({ method: 'GET', url: '/product_api/987654/', headers: { authorization } }),
        'Accept',
      ],
      [
        'bad token: Token raised first',
        send({ method: 'GET', url: '/product_api/', headers: { authorization: 'Token nope' } }),
        'Accept',
      ],
      [
        '"Token" alone',
        send({ method: 'GET', url: '/product_api/', headers: { authorization: 'Token' } }),
        'Accept',
      ],
      ['anonymous 401', send({ method: 'GET', url: '/product_api/' }), 'Accept, Cookie'],
      [
        'another scheme: anonymous',
        send({ method: 'GET', url: '/product_api/', headers: { authorization: 'Basic eDp5' } }),
        'Accept, Cookie',
      ],
      ['anonymous detail', send({ method: 'GET', url: '/product_api/1/' }), 'Accept, Cookie'],
      [
        'anonymous HTML page',
        send({ method: 'GET', url: '/product_api/', headers: { accept: 'text/html' } }),
        'Accept, Cookie',
      ],
      [
        'token HTML page',
        send({ method: 'GET', url: '/product_api/', headers: { authorization, accept: 'text/html' } }),
        'Accept',
      ],
      [
        '406 before authentication',
        send({ method: 'GET', url: '/product_api/', headers: { accept: 'application/xml' } }),
        'Accept',
      ],
      ['session', browser.send({ method: 'GET', url: '/product_api/' }), 'Accept, Cookie'],
      [
        'session, POST without CSRF',
        browser.send({ method: 'POST', url: '/product_api/', headers: form, payload: 'name=x' }),
        'Accept, Cookie',
      ],
      [
        'session and token: Token wins',
        browser.send({ method: 'GET', url: '/product_api/', headers: { authorization } }),
        'Accept',
      ],
    ];
    for (const [what, pending, vary] of cases) assertVary(await pending, vary, `/product_api/ ${what}`);
  });

  // The browsable API lists the headers as the view set them: DRF renders the page before
  // SessionMiddleware.process_response adds Cookie, so the page says `Vary: Accept`.
  it("the browsable API page shows the view's Vary, the response carries Cookie too", async () => {
    const page = await browser.send({
      method: 'GET',
      url: '/product_api/',
      headers: { accept: 'text/html' },
    });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Vary:<\/span> Accept\n/);
    assertVary(page, 'Accept, Cookie', 'session page');
  });
});
