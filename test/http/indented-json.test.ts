// DRF's JSONRenderer with `Accept: application/json; indent=N`: Python's json.dumps layout, a bare Content-Type.
//
// rest_framework/renderers.py (3.14), JSONRenderer.render:
//     indent = self.get_indent(accepted_media_type, renderer_context)  # int(params['indent']) clamped to 0..8, 0 -> None
//     separators = INDENT_SEPARATORS if indent is not None else SHORT_SEPARATORS  # compat.py: (',', ': ')
//     ret = json.dumps(data, cls=..., indent=indent, ensure_ascii=False, allow_nan=..., separators=separators)
//     ret = ret.replace('\u2028', '\\u2028').replace('\u2029', '\\u2029')
// and rest_framework/response.py, Response.rendered_content: the Content-Type is the renderer's
// `media_type` (with its charset, None for JSON), never the accepted media type: `application/json`.
//
// The expected strings below were written by Debian 12's Python 3.11 on this machine:
//     json.dumps(data, indent=N, separators=(',', ': '), ensure_ascii=False), then the U+2028/9 escape.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { parseMediaType } from '../../src/http/media-type.js';
import { indentOf, renderJson } from '../../src/http/render.js';
import { describeEachDialect, uniqueName, type DialectContext } from '../helpers.js';

const PRODUCT = {
  id: 1,
  name: 'Coffee',
  description: '',
  price: '20.48',
  stock: 0,
  created: '2026-11-27T23:29:42.748410Z',
  updated: '2026-11-27T23:29:42.748410Z',
};
const PAGE = {
  count: 2,
  next: null,
  previous: 'http://h/product_api/?limit=1',
  results: [
    { id: 1, name: 'A' },
    { id: 2, name: 'B' },
  ],
};
const EMPTIES = { list: [], object: {}, nested: [[], {}, [[]], { a: {} }] };
const UNICODE = {
  name: 'Caf\u00e9 \u2615 \u{1F600}',
  ctl: '\x00\x01\x1f\x7f\x85\xa0',
  esc: '"\\/\b\f\n\r\t',
  sep: 'a\u2028b\u2029c',
};
const SCALARS = [null, true, false, 0, -1, 2147483647, '', 'x'];
const ERRORS = {
  name: ['This field is required.'],
  non_field_errors: ['Unable to log in with provided credentials.'],
};

/** [what, data, indent, what Python wrote]. */
const PYTHON: readonly (readonly [string, unknown, number, string])[] = [
  [
    'a product',
    PRODUCT,
    4,
    '{\n    "id": 1,\n    "name": "Coffee",\n    "description": "",\n    "price": "20.48",\n    "stock": 0,\n' +
      '    "created": "2026-11-27T23:29:42.748410Z",\n    "updated": "2026-11-27T23:29:42.748410Z"\n}',
  ],
  [
    'a page of objects',
    PAGE,
    4,
    '{\n    "count": 2,\n    "next": null,\n    "previous": "http://h/product_api/?limit=1",\n    "results": [\n' +
      '        {\n            "id": 1,\n            "name": "A"\n        },\n' +
      '        {\n            "id": 2,\n            "name": "B"\n        }\n    ]\n}',
  ],
  [
    'empty containers, nested',
    EMPTIES,
    4,
    '{\n    "list": [],\n    "object": {},\n    "nested": [\n        [],\n        {},\n        [\n            []\n' +
      '        ],\n        {\n            "a": {}\n        }\n    ]\n}',
  ],
  [
    'non-ASCII as is, control characters and escapes as Python writes them, U+2028/9 escaped',
    UNICODE,
    4,
    '{\n    "name": "Caf\u00e9 \u2615 \u{1F600}",\n    "ctl": "\\u0000\\u0001\\u001f\x7f\x85\xa0",\n' +
      '    "esc": "\\"\\\\/\\b\\f\\n\\r\\t",\n    "sep": "a\\u2028b\\u2029c"\n}',
  ],
  [
    'a list of scalars, indent=2',
    SCALARS,
    2,
    '[\n  null,\n  true,\n  false,\n  0,\n  -1,\n  2147483647,\n  "",\n  "x"\n]',
  ],
  [
    'field errors, indent=8',
    ERRORS,
    8,
    '{\n        "name": [\n                "This field is required."\n        ],\n' +
      '        "non_field_errors": [\n                "Unable to log in with provided credentials."\n        ]\n}',
  ],
  ['a scalar', 'x', 4, '"x"'],
  ['an empty list', [], 4, '[]'],
];

describe('renderJson with an indent: what Python json.dumps(indent=N, separators=(",", ": ")) writes', () => {
  for (const [what, data, indent, expected] of PYTHON) {
    it(what, () => assert.equal(renderJson(data, indent), expected));
  }
});

describe("indentOf: DRF's JSONRenderer.get_indent, zero_as_none(max(min(int(params['indent']), 8), 0))", () => {
  const indent = (accept: string) => indentOf(parseMediaType(accept));
  it('reads an integer as Python int() does, and clamps it to 0..8', () => {
    for (const [accept, expected] of [
      ['application/json; indent=4', 4],
      ['application/json;indent=1', 1],
      ['application/json; indent="2"', 2],
      ['application/json; indent= +3 ', 3],
      ['application/json; indent=1_0', 8],
      ['application/json; indent=100', 8],
      ['application/json; indent=-4', 0],
      ['application/json; indent=0', 0],
    ] as const) {
      assert.equal(indent(accept), expected, accept);
    }
  });
  it('anything int() refuses means no indent (compact)', () => {
    for (const accept of [
      'application/json',
      'application/json; indent=',
      'application/json; indent=four',
      'application/json; indent=4.0',
      'application/json; indent=_4',
      'application/json; indent=4__0',
    ]) {
      assert.equal(indent(accept), 0, accept);
    }
  });
});

describeEachDialect('Indented JSON on the wire', (ctx: () => DialectContext) => {
  let authorization: string;
  let id: number;
  const INDENT_4 = { accept: 'application/json; indent=4' };

  before(async () => {
    const user = await ctx().keygate.users.createUser({
      username: uniqueName('ind'),
      password: 'correct horse',
    });
    authorization = `Token ${(await ctx().keygate.tokens.getOrCreate(user)).key}`;
    const created = await get('/product_api/', {}, 'POST');
    assert.equal(created.statusCode, 201, created.body);
    id = created.json<{ id: number }>().id;
  });

  function get(
    url: string,
    headers: Record<string, string> = {},
    method: 'GET' | 'POST' = 'GET',
  ): Promise<LightMyRequestResponse> {
    return ctx().app.inject({
      method,
      url,
      headers: { authorization, ...headers },
      ...(method === 'POST' && {
        payload: { name: 'Caf\u00e9', description: 'a\u2028b', price: '20.48', stock: 7 },
      }),
    });
  }

  it('a product: "id": 1 (Python\'s ": " after keys), one field a line, Content-Type application/json', async () => {
    const response = await get(`/product_api/${id}/`, INDENT_4);
    assert.equal(response.statusCode, 200);
    // Response.rendered_content: renderer.media_type, not the accepted `application/json; indent=4`.
    assert.equal(response.headers['content-type'], 'application/json');
    const product = response.json<Record<string, unknown>>();
    const lines = Object.entries(product).map(([key, value]) => `    "${key}": ${JSON.stringify(value)}`);
    const expected = `{\n${lines.join(',\n')}\n}`.replace('\u2028', '\\u2028');
    assert.equal(response.body, expected);
    assert.ok(
      response.body.startsWith(
        `{\n    "id": ${id},\n    "name": "Caf\u00e9",\n    "description": "a\\u2028b",`,
      ),
    );
    assert.equal(response.headers['content-length'], String(Buffer.byteLength(expected)));
  });

  it('a page, its results nested two levels deep; an empty page keeps "results": []', async () => {
    const response = await get('/product_api/?limit=1', INDENT_4);
    const page = response.json<{ count: number; next: string | null; results: { id: number }[] }>();
    assert.ok(
      response.body.startsWith(
        `{\n    "count": ${page.count},\n    "next": ${JSON.stringify(page.next)},\n    "previous": null,\n` +
          `    "results": [\n        {\n            "id": ${page.results[0]!.id},\n`,
      ),
      response.body,
    );
    assert.ok(response.body.endsWith('\n        }\n    ]\n}'), response.body);
    const empty = await get('/product_api/?offset=100000', INDENT_4);
    assert.match(empty.body, /\n {4}"results": \[\]\n\}$/);
  });

  it('the root, errors and OPTIONS are indented too; the Content-Type never carries the parameter', async () => {
    const root = await ctx().app.inject({ url: '/', headers: INDENT_4 });
    assert.equal(root.body, '{\n    "product_api": "http://localhost:80/product_api/"\n}');
    const notFound = await get('/product_api/987654/', INDENT_4);
    assert.equal(notFound.statusCode, 404);
    assert.equal(notFound.body, '{\n    "detail": "Not found."\n}');
    const anonymous = await ctx().app.inject({ url: '/product_api/', headers: INDENT_4 });
    assert.equal(anonymous.statusCode, 401);
    assert.equal(anonymous.body, '{\n    "detail": "Authentication credentials were not provided."\n}');
    const options = await ctx().app.inject({
      method: 'OPTIONS',
      url: '/product_api/',
      headers: { authorization, ...INDENT_4 },
    });
    assert.match(options.body, /^\{\n {4}"name": "[^"]+",\n {4}"description": /);
    for (const response of [root, notFound, anonymous, options]) {
      assert.equal(response.headers['content-type'], 'application/json');
    }
  });

  it('*/*; indent=4 and ?format=json with indent=2 pretty-print as well (the accepted type keeps its parameters)', async () => {
    const star = await ctx().app.inject({ url: '/', headers: { accept: '*/*; indent=4' } });
    assert.equal(star.body, '{\n    "product_api": "http://localhost:80/product_api/"\n}');
    assert.equal(star.headers['content-type'], 'application/json');
    const format = await ctx().app.inject({
      url: '/?format=json',
      headers: { accept: 'application/json; indent=2' },
    });
    assert.equal(format.body, '{\n  "product_api": "http://localhost:80/product_api/?format=json"\n}');
    assert.equal(format.headers['content-type'], 'application/json');
  });

  it('indent=0, a negative or a junk indent is compact JSON', async () => {
    for (const indent of ['0', '-2', 'x']) {
      const response = await ctx().app.inject({
        url: '/',
        headers: { accept: `application/json; indent=${indent}` },
      });
      assert.equal(response.body, '{"product_api":"http://localhost:80/product_api/"}', indent);
      assert.equal(response.headers['content-type'], 'application/json');
    }
  });

  it("the browsable API still shows the JSON indented by 4 with DRF's separators (BrowsableAPIRenderer.get_content)", async () => {
    const response = await get(`/product_api/${id}/`, { accept: 'text/html' });
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['content-type'], 'text/html; charset=utf-8');
    assert.match(
      response.body,
      new RegExp(`\n {4}&quot;id&quot;: ${id},\n {4}&quot;name&quot;: &quot;Caf\u00e9&quot;,`),
    );
  });
});
