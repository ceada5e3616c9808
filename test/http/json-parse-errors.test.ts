// WIRE.md "JSON parse errors": a malformed JSON body is DRF's 400 with Python 3.11's own json/codec message.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { describeEachDialect, uniqueName, type DialectContext } from '../helpers.js';

// Each body with the `detail` DRF 3.14 on Debian 12's Python 3.11 answers (JSONParser.parse:
// json.load(codecs.getreader('utf-8')(stream), parse_constant=strict_constant), ValueError ->
// 'JSON parse error - %s'), as that Python printed it for the same bytes.
const CASES: readonly (readonly [string, Buffer, string])[] = [
  [
    'a trailing comma in an object',
    Buffer.from('{"username": "alice", }'),
    'Expecting property name enclosed in double quotes: line 1 column 23 (char 22)',
  ],
  [
    'a missing comma on line 4, after an astral character (one Python character, two UTF-16 units)',
    Buffer.from('{\n  "name": "\u2615\u{1f600}",\n  "price": 1\n  "stock": 2\n}'),
    "Expecting ',' delimiter: line 4 column 3 (char 33)",
  ],
  [
    'NaN (DRF parse_constant)',
    Buffer.from('{"price": NaN}'),
    "Out of range float values are not JSON compliant: 'NaN'",
  ],
  [
    '-Infinity (DRF parse_constant)',
    Buffer.from('{"price": -Infinity}'),
    "Out of range float values are not JSON compliant: '-Infinity'",
  ],
  [
    'a byte that starts no UTF-8 sequence',
    Buffer.from('{"name":"\xff"}', 'latin1'),
    "'utf-8' codec can't decode byte 0xff in position 9: invalid start byte",
  ],
  [
    'a sequence cut short by an ASCII byte (the bytes-in-position form)',
    Buffer.from([0xf0, 0x9f, 0x98, 0x41]),
    "'utf-8' codec can't decode bytes in position 0-2: invalid continuation byte",
  ],
  [
    'a UTF-8 byte order mark (the utf-8 codec keeps it; json.loads refuses it)',
    Buffer.from([0xef, 0xbb, 0xbf, 0x7b, 0x7d]),
    'Unexpected UTF-8 BOM (decode using utf-8-sig): line 1 column 1 (char 0)',
  ],
  [
    'a sequence cut short by the end of the body (the stream reader drops it)',
    Buffer.from('{"username":"al\xc3', 'latin1'),
    'Unterminated string starting at: line 1 column 13 (char 12)',
  ],
  [
    'a short \\u escape',
    Buffer.from('{"name":"\\u12"}'),
    'Invalid \\uXXXX escape: line 1 column 11 (char 10)',
  ],
  ['an unknown escape', Buffer.from('{"name":"a\\qb"}'), 'Invalid \\escape: line 1 column 11 (char 10)'],
  [
    'a raw tab in a string',
    Buffer.from('{"name":"tab\there"}'),
    'Invalid control character at: line 1 column 13 (char 12)',
  ],
  ['text after the document', Buffer.from('{"name":"x"} x'), 'Extra data: line 1 column 14 (char 13)'],
  [
    "an integer past Python's int() digit limit",
    Buffer.from(`{"stock":${'1'.repeat(4301)}}`),
    'Exceeds the limit (4300 digits) for integer string conversion: value has 4301 digits; ' +
      'use sys.set_int_max_str_digits() to increase the limit',
  ],
];

describeEachDialect('JSON parse errors: Python json messages', (ctx: () => DialectContext) => {
  let authorization: string;
  const username = uniqueName('alice');

  before(async () => {
    const user = await ctx().keygate.users.createUser({ username, password: 'correct horse', email: '' });
    authorization = `Token ${(await ctx().keygate.tokens.getOrCreate(user)).key}`;
  });

  function post(
    url: string,
    body: Buffer,
    headers: Record<string, string> = {},
  ): Promise<LightMyRequestResponse> {
    return ctx().app.inject({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/json', ...headers },
      payload: body,
    });
  }

  async function productCount(): Promise<number> {
    const response = await ctx().app.inject({
      method: 'GET',
      url: '/product_api/',
      headers: { authorization },
    });
    return response.json<{ count: number }>().count;
  }

  it("each malformed body: 400 with DRF's body, byte for byte, on /product_api/ and /gettoken/", async () => {
    const before = await productCount();
    for (const [what, body, message] of CASES) {
      const expected = JSON.stringify({ detail: `JSON parse error - ${message}` });
      for (const [url, headers] of [
        ['/product_api/', { authorization }],
        ['/gettoken/', {}],
      ] as const) {
        const response = await post(url, body, headers);
        assert.equal(response.statusCode, 400, `${url}: ${what}: ${response.body}`);
        assert.equal(response.headers['content-type'], 'application/json', `${url}: ${what}`);
        assert.equal(response.body, expected, `${url}: ${what}`);
      }
    }
    assert.equal(await productCount(), before, 'nothing was created');
  });

  // DRF lets the RecursionError through (a 500); keygate answers its text as a parse error.
  it("nesting past Python's recursion limit is a 400 in Python's words", async () => {
    for (const [body, kind] of [
      ['['.repeat(5000), 'array'],
      ['{"a":'.repeat(5000), 'object'],
    ] as const) {
      const response = await post('/product_api/', Buffer.from(body), { authorization });
      assert.equal(response.statusCode, 400, response.body);
      assert.equal(
        response.body,
        JSON.stringify({
          detail: `JSON parse error - maximum recursion depth exceeded while decoding a JSON ${kind} from a unicode string`,
        }),
      );
    }
  });

  it('an unauthenticated malformed body is still a 401: authentication comes before parsing', async () => {
    const response = await post('/product_api/', Buffer.from('{"name": NaN}'));
    assert.equal(response.statusCode, 401);
  });

  it('what Python accepts reaches the serializer as Python would hand it over', async () => {
    const create = async (text: string): Promise<LightMyRequestResponse> =>
      post('/product_api/', Buffer.from(text), { authorization });
    // Duplicate keys: the last one wins, as in a Python dict.
    const duplicate = await create(
      '{"name":"first","name":"Last","description":"d","price":"1.00","price":"2.50","stock":1}',
    );
    assert.equal(duplicate.statusCode, 201, duplicate.body);
    assert.equal(duplicate.json<{ name: string; price: string }>().name, 'Last');
    assert.equal(duplicate.json<{ name: string; price: string }>().price, '2.50');
    // 1e400 is float('inf') in Python; DecimalField refuses it.
    const infinite = await create('{"name":"Coffee","description":"d","price":1e400,"stock":1}');
    assert.equal(infinite.statusCode, 400, infinite.body);
    assert.equal(infinite.body, '{"price":["A valid number is required."]}');
    // A lone surrogate escape is a valid JSON string; the name field refuses it in DRF's words.
    const surrogate = await create('{"name":"\\ud800","description":"d","price":"1","stock":1}');
    assert.equal(surrogate.statusCode, 400, surrogate.body);
    assert.equal(surrogate.body, '{"name":["Surrogate characters are not allowed: U+D800."]}');
    // A surrogate pair written as escapes is one character, as Python joins it.
    const pair = await create('{"name":"\\ud83d\\ude00","description":"d","price":"1","stock":1}');
    assert.equal(pair.statusCode, 201, pair.body);
    assert.equal(pair.json<{ name: string }>().name, '\u{1f600}');
    // 4300 digits is Python's int() limit exactly: parsed, so the answer is the field's, not a parse error.
    const longest = await create(`{"name":"Coffee","description":"d","price":${'1'.repeat(4300)},"stock":1}`);
    assert.equal(longest.statusCode, 400, longest.body);
    assert.match(longest.body, /^\{"price":\["[^"]+"\]\}$/);
    // An integer's -0 is Python's 0.
    const zero = await create('{"name":"Coffee","description":"d","price":-0,"stock":-0}');
    assert.equal(zero.statusCode, 201, zero.body);
    assert.equal(zero.json<{ price: string; stock: number }>().price, '0.00');
    assert.equal(zero.json<{ price: string; stock: number }>().stock, 0);
  });

  // Python would accept it; a JavaScript object that copies such keys would have its prototype replaced.
  it('a __proto__ key is refused with a clear 400', async () => {
    for (const text of [
      '{"__proto__":{"polluted":true},"name":"A","price":"1"}',
      '{"name":{"\\u005f_proto__":1}}',
    ]) {
      const response = await post('/product_api/', Buffer.from(text), { authorization });
      assert.equal(response.statusCode, 400, response.body);
      assert.equal(
        response.body,
        '{"detail":"JSON parse error - Object contains forbidden prototype property"}',
      );
    }
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});
