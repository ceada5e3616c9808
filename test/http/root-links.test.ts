// The API root's links carry the request's format, as DRF's APIRootView and reverse() build them.
//
// rest_framework/routers.py (3.14), APIRootView.get:
//     ret[key] = reverse(url_name, args=args, kwargs=kwargs, request=request, format=kwargs.get('format'))
// `kwargs['format']` is the URL's suffix only (format_suffix_patterns: `^\.(?P<format>[a-z0-9]+)/?$`),
// so `/.json` links to `/product_api.json` (the list's suffixed route, reversed without its optional
// slash). rest_framework/reverse.py, reverse() then preserve_builtin_query_params(url, request): a
// `?format=` the request carries (URL_FORMAT_OVERRIDE, its last value) is set on every link with
// replace_query_param.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { describeEachDialect, uniqueName, type DialectContext } from '../helpers.js';

const HOST = 'http://localhost:80';

describeEachDialect('API root links and formats', (ctx: () => DialectContext) => {
  let authorization: string;

  before(async () => {
    const user = await ctx().keygate.users.createUser({
      username: uniqueName('root'),
      password: 'correct horse',
    });
    authorization = `Token ${(await ctx().keygate.tokens.getOrCreate(user)).key}`;
  });

  async function root(url: string, accept?: string): Promise<unknown> {
    const response = await ctx().app.inject({ url, headers: accept === undefined ? {} : { accept } });
    assert.equal(response.statusCode, 200, `${url}: ${response.body}`);
    return accept === undefined ? response.json<unknown>() : response.body;
  }

  it('GET /.json and /.json/ link to the suffixed list, /product_api.json', async () => {
    for (const url of ['/.json', '/.json/']) {
      assert.deepEqual(await root(url), { product_api: `${HOST}/product_api.json` }, url);
    }
  });

  it('the linked URL answers: /product_api.json is the list, as JSON', async () => {
    const response = await ctx().app.inject({ url: '/product_api.json', headers: { authorization } });
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['content-type'], 'application/json');
    assert.ok('results' in response.json<Record<string, unknown>>());
  });

  it('GET /.api (the browsable API) links to /product_api.api', async () => {
    const page = (await root('/.api', 'text/html')) as string;
    assert.ok(page.includes(`${HOST}/product_api.api`), page);
  });

  it('?format= is not a suffix: the link keeps the plain path and carries ?format= (preserve_builtin_query_params)', async () => {
    assert.deepEqual(await root('/?format=json'), { product_api: `${HOST}/product_api/?format=json` });
    assert.deepEqual(await root('/.json?format=json'), {
      product_api: `${HOST}/product_api.json?format=json`,
    });
    // Only the format parameter is carried; its last value wins (QueryDict.__getitem__); a blank one too.
    assert.deepEqual(await root('/?limit=5&format=api&format=json'), {
      product_api: `${HOST}/product_api/?format=json`,
    });
    assert.deepEqual(await root('/?format='), { product_api: `${HOST}/product_api/?format=` });
  });

  it('without a format the link is the plain list URL', async () => {
    assert.deepEqual(await root('/'), { product_api: `${HOST}/product_api/` });
    assert.deepEqual(await root('/?limit=5'), { product_api: `${HOST}/product_api/` });
  });

  it('the last ?format= value is the one negotiation uses (request.query_params.get)', async () => {
    const response = await ctx().app.inject({ url: '/?format=json&format=xml' });
    assert.equal(response.statusCode, 404);
    assert.equal(response.body, '{"detail":"Not found."}');
  });
});
