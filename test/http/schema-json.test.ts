// Responses written from schemas must be byte for byte what JSON.stringify (and so DRF) writes.
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { describe, it } from 'node:test';
import { renderJson } from '../../src/http/render.js';
import { compileJson, pageSchemaOf } from '../../src/http/schema-json.js';
import { ProductSchema } from '../../src/products/product-schemas.js';

// Characters where JSON writers differ if they ever do: controls, quotes, backslashes, DEL,
// non-ASCII, U+2028/9, astral characters, lone surrogates of both halves.
const TRICKY = [
  '\u0000',
  '\u001f',
  '\n',
  '\t',
  '"',
  '\\',
  '/',
  '\u007f',
  'é',
  '\u2028',
  '\u2029',
  '😀',
  '\ud800',
  '\udfff',
  'a',
  ' ',
];

function randomText(): string {
  const length = randomInt(0, 60);
  let text = '';
  for (let i = 0; i < length; i += 1) {
    text +=
      randomInt(0, 3) === 0
        ? TRICKY[randomInt(0, TRICKY.length)]
        : String.fromCharCode(randomInt(0x20, 0x7f));
  }
  return text;
}

function randomProduct() {
  return {
    id: randomInt(1, 2 ** 31),
    name: randomText(),
    description: randomText(),
    price: `${randomInt(0, 99_999_999)}.${String(randomInt(0, 100)).padStart(2, '0')}`,
    stock: randomInt(0, 2 ** 31 - 1),
    created: '2026-11-28T06:17:03.480594Z',
    updated: randomText(),
  };
}

describe('compileJson', () => {
  const item = compileJson(ProductSchema);
  const page = compileJson(pageSchemaOf(ProductSchema));

  it('writes a product exactly as JSON.stringify, for 5,000 random products', () => {
    for (let i = 0; i < 5000; i += 1) {
      const product = randomProduct();
      assert.equal(item(product), JSON.stringify(product), JSON.stringify(product));
    }
  });

  it('writes pages exactly as JSON.stringify, null and string links alike', () => {
    for (let i = 0; i < 500; i += 1) {
      const body = {
        count: randomInt(0, 2 ** 40),
        next: randomInt(0, 2) === 0 ? null : `http://h/product_api/?limit=20&offset=${i}`,
        previous: randomInt(0, 2) === 0 ? null : randomText(),
        results: Array.from({ length: randomInt(0, 25) }, randomProduct),
      };
      assert.equal(page(body), JSON.stringify(body));
    }
  });

  it("DRF's escaping of U+2028/U+2029 still applies to schema-written JSON", () => {
    const product = { ...randomProduct(), name: 'a\u2028b\u2029c' };
    const expected = JSON.stringify(product).replaceAll('\u2028', '\\u2028').replaceAll('\u2029', '\\u2029');
    assert.equal(renderJson(product, 0, item), expected);
    assert.match(renderJson(product, 0, item), /"a\\u2028b\\u2029c"/);
  });

  it('a field the schema requires but the data lacks is a bug: it throws rather than send a short body', () => {
    const { stock: _stock, ...partial } = randomProduct();
    assert.throws(() => item(partial));
  });
});
