// DRF 3.14's view names (views.get_view_name) and OPTIONS bodies (metadata.SimpleMetadata), compared
// whole, byte for byte, with what the seed's DRF server answers; on both databases.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { viewName } from '../../src/http/view-name.js';
import { describeEachDialect, uniqueName, type DialectContext } from '../helpers.js';
import { SessionClient } from '../sessions/session-client.js';

const PASSWORD = 'correct horse battery';
const RENDERS = '"renders":["application/json","text/html"]';
const PARSES = '"parses":["application/json","application/x-www-form-urlencoded","multipart/form-data"]';

/**
 * ProductSerializer's fields as SimpleMetadata.get_field_info describes them: `type`, `required`,
 * then the attrs list (read_only, label, help_text, min_length, max_length, min_value, max_value) for
 * those not None or ''. DecimalField's max_digits/decimal_places are not in that list; description
 * (TextField blank=True) and stock (default=0) are required=False (field_mapping.get_field_kwargs).
 */
const PRODUCT_FIELDS =
  '{"id":{"type":"integer","required":false,"read_only":true,"label":"ID"},' +
  '"name":{"type":"string","required":true,"read_only":false,"label":"Name","max_length":100},' +
  '"description":{"type":"string","required":false,"read_only":false,"label":"Description"},' +
  '"price":{"type":"decimal","required":true,"read_only":false,"label":"Price"},' +
  '"stock":{"type":"integer","required":false,"read_only":false,"label":"Stock","min_value":0,"max_value":2147483647},' +
  '"created":{"type":"datetime","required":false,"read_only":true,"label":"Created"},' +
  '"updated":{"type":"datetime","required":false,"read_only":true,"label":"Updated"}}';

describe('viewName: rest_framework.views.get_view_name', () => {
  it('drops a trailing View, then ViewSet, splits CamelCase, title-cases, adds the suffix', () => {
    assert.equal(viewName('ProductModelViewSet', 'List'), 'Product Model List');
    assert.equal(viewName('ProductModelViewSet', 'Instance'), 'Product Model Instance');
    assert.equal(viewName('APIRootView'), 'Api Root');
    assert.equal(viewName('ObtainAuthToken'), 'Obtain Auth Token');
    assert.equal(viewName('CustomAuthToken'), 'Custom Auth Token');
  });

  it('follows formatting.camelcase_to_spaces and remove_trailing_string to the letter', () => {
    assert.equal(viewName('View'), 'View'); // content == trailing: kept
    assert.equal(viewName('ViewSet'), 'View Set'); // no trailing 'View'; 'ViewSet' is the whole name: kept
    assert.equal(viewName('HTMLParserView'), 'Html Parser');
    assert.equal(viewName('my_snakeViewSet'), 'My Snake'); // underscores become spaces
    assert.equal(viewName('ABC'), 'Abc');
  });
});

describeEachDialect('View names and OPTIONS (DRF SimpleMetadata)', (ctx: () => DialectContext) => {
  let authorization: string;
  let productId: number;

  before(async () => {
    const user = await ctx().keygate.users.createUser({ username: uniqueName('alice'), password: PASSWORD });
    authorization = `Token ${(await ctx().keygate.tokens.getOrCreate(user)).key}`;
    const created = await ctx().app.inject({
      method: 'POST',
      url: '/product_api/',
      headers: { authorization },
      payload: { name: 'Coffee', price: '1.00' },
    });
    productId = created.json<{ id: number }>().id;
  });

  function options(url: string, token = true): Promise<LightMyRequestResponse> {
    return ctx().app.inject({ method: 'OPTIONS', url, headers: token ? { authorization } : {} });
  }

  function assertBody(response: LightMyRequestResponse, body: string): void {
    assert.equal(response.statusCode, 200, response.body);
    assert.equal(response.headers['content-type'], 'application/json');
    assert.equal(response.body, body);
  }

  it('OPTIONS /product_api/: "Product Model List", no docstring so "", the POST fields', async () => {
    assertBody(
      await options('/product_api/'),
      `{"name":"Product Model List","description":"",${RENDERS},${PARSES},"actions":{"POST":${PRODUCT_FIELDS}}}`,
    );
  });

  it('OPTIONS /product_api/{id}/: "Product Model Instance", the PUT fields', async () => {
    assertBody(
      await options(`/product_api/${productId}/`),
      `{"name":"Product Model Instance","description":"",${RENDERS},${PARSES},"actions":{"PUT":${PRODUCT_FIELDS}}}`,
    );
  });

  // SimpleMetadata.determine_actions calls view.get_object() for PUT: Http404 leaves PUT out, and
  // an empty `actions` is not shown at all; the answer is still 200.
  it('OPTIONS on a product that does not exist: 200 without actions', async () => {
    for (const url of ['/product_api/987654321/', '/product_api/abc/']) {
      assertBody(
        await options(url),
        `{"name":"Product Model Instance","description":"",${RENDERS},${PARSES}}`,
      );
    }
  });

  it('OPTIONS /: "Api Root", APIRootView\'s docstring, no actions, to anyone', async () => {
    assertBody(
      await options('/', false),
      `{"name":"Api Root","description":"The default basic root view for DefaultRouter",${RENDERS},${PARSES}}`,
    );
  });

  it('OPTIONS on the token endpoints: "Obtain Auth Token" and "Custom Auth Token"', async () => {
    for (const [url, name] of [
      ['/gettoken/', 'Obtain Auth Token'],
      ['/customtoken/', 'Custom Auth Token'],
    ] as const) {
      const response = await options(url, false);
      assert.equal(response.statusCode, 200);
      const body = response.json<{ name: string; description: string }>();
      assert.deepEqual([body.name, body.description], [name, '']);
    }
  });

  it('indented OPTIONS keeps the same keys in the same order', async () => {
    const response = await ctx().app.inject({
      method: 'OPTIONS',
      url: '/product_api/',
      headers: { authorization, accept: 'application/json; indent=4' },
    });
    assert.equal(response.statusCode, 200);
    assert.equal(JSON.stringify(JSON.parse(response.body)), (await options('/product_api/')).body);
  });

  describe('the browsable API', () => {
    let client: SessionClient;

    before(async () => {
      const username = uniqueName('browser');
      await ctx().keygate.users.createUser({ username, password: PASSWORD });
      client = new SessionClient(ctx().app);
      assert.equal((await client.login(username, PASSWORD)).statusCode, 302);
    });

    const page = (url: string) => client.send({ method: 'GET', url, headers: { accept: 'text/html' } });

    it('titles the pages with the view names', async () => {
      for (const [url, name] of [
        ['/', 'Api Root'],
        ['/product_api/', 'Product Model List'],
        [`/product_api/${productId}/`, 'Product Model Instance'],
      ] as const) {
        const response = await page(url);
        assert.equal(response.statusCode, 200, url);
        assert.match(response.body, new RegExp(`<title>${name} – keygate</title>`), url);
        assert.match(response.body, new RegExp(`<h1 id="page-title">${name}</h1>`), url);
      }
    });

    // rest_framework.utils.breadcrumbs.get_breadcrumbs: each URL prefix that resolves to a view, root first.
    it("shows DRF's breadcrumbs: Api Root / Product Model List / Product Model Instance", async () => {
      const detail = await page(`/product_api/${productId}/`);
      assert.match(
        detail.body,
        new RegExp(
          '<nav class="breadcrumbs" aria-label="Breadcrumbs">\\s*<ol>\\s*' +
            '<li><a href="/">Api Root</a></li>\\s*' +
            '<li><a href="/product_api/">Product Model List</a></li>\\s*' +
            `<li><a href="/product_api/${productId}/" aria-current="page">Product Model Instance</a></li>\\s*` +
            '</ol>\\s*</nav>',
        ),
      );
      const list = await page('/product_api/?format=api');
      assert.match(
        list.body,
        new RegExp(
          '<nav class="breadcrumbs" aria-label="Breadcrumbs">\\s*<ol>\\s*' +
            '<li><a href="/\\?format=api">Api Root</a></li>\\s*' +
            '<li><a href="/product_api/\\?format=api" aria-current="page">Product Model List</a></li>\\s*' +
            '</ol>\\s*</nav>',
        ),
      );
      const root = await page('/');
      assert.match(
        root.body,
        /<nav class="breadcrumbs" aria-label="Breadcrumbs">\s*<ol>\s*<li><a href="\/" aria-current="page">Api Root<\/a><\/li>\s*<\/ol>\s*<\/nav>/,
      );
    });
  });
});
