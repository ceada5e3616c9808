// The Product request schemas against the server's own validation: whatever a schema accepts, the
// server accepts (a seeded random search), and the inputs the server refuses that JSON Schema can
// describe, the schema refuses too. The schemas' required fields, defaults and OPTIONS agree.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Value } from 'typebox/value';
import { PRODUCT_FIELD_RULES, validateProduct } from '../../src/products/product-fields.js';
import {
  PRODUCT_FIELD_METADATA,
  ProductInputSchema,
  ProductPatchSchema,
} from '../../src/products/product-schemas.js';

const WRITABLE = ['name', 'description', 'price', 'stock'] as const;
const VALID = { name: 'Coffee', description: 'Beans', price: '20.48', stock: 7 };

/** mulberry32: a small seeded generator, so every run tries the same inputs. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Characters where the schema and DRF could disagree: Python's whitespace (some of which JS's \s
// lacks, some JS's \s has and Python lacks), NUL, lone surrogates, digits of other scripts, signs,
// points, exponents, astral characters.
const ALPHABET = [
  ...' \t\n\v\f\r\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u200a\u2028\u2029\u202f\u205f\u3000\ufeff\u180e',
  '\0',
  '\ud800',
  '\udfff',
  '\u{1F600}',
  ...'0123456789.-+eE_,xé',
  '\u0663', // ARABIC-INDIC DIGIT THREE
];

function pick<T>(next: () => number, items: readonly T[]): T {
  return items[Math.floor(next() * items.length)]!;
}

function text(next: () => number, maxLength: number): string {
  const length = Math.floor(next() * (maxLength + 1));
  return Array.from({ length }, () => pick(next, ALPHABET)).join('');
}

/** Values biased towards the edges of each field's rules. */
function candidate(next: () => number, field: (typeof WRITABLE)[number]): unknown {
  switch (Math.floor(next() * 6)) {
    case 0:
      return text(next, 4);
    case 1:
      return text(next, 12);
    case 2:
      return pick(next, ['x'.repeat(99), 'x'.repeat(100), ` ${'x'.repeat(100)}`, 'x'.repeat(101)]);
    case 3:
      return pick(next, [0, -1, 7, 1.5, 2147483647, 2147483648, 1e2, 99999999, 100000000, 0.1, -0]);
    case 4:
      return field === 'price'
        ? `${pick(next, ['', '-', '+'])}${'9'.repeat(Math.floor(next() * 10))}${pick(next, ['', '.', '.5', '.55', '.555'])}`
        : pick(next, ['', '   ', 'Tea', ' Tea ', '7', '+5', '5.0']);
    default:
      return pick(next, [null, true, [], {}, undefined]);
  }
}

describe('Product request schemas: sound against validateProduct', () => {
  it('everything ProductInputSchema accepts, POST and PUT accept (seeded search, 20,000 bodies)', () => {
    const next = random(12);
    let valid = 0;
    for (let i = 0; i < 20_000; i++) {
      const body: Record<string, unknown> = { ...VALID };
      // Replace one or two fields, and sometimes drop an optional one.
      for (let k = 0; k < 1 + Math.floor(next() * 2); k++) {
        const field = pick(next, WRITABLE);
        const value = candidate(next, field);
        if (value === undefined) delete body[field];
        else body[field] = value;
      }
      if (!Value.Check(ProductInputSchema, body)) continue;
      valid++;
      for (const mode of ['create', 'update'] as const) {
        const result = validateProduct(body, mode);
        assert.ok(result.ok, `${mode} ${JSON.stringify(body)}: ${JSON.stringify(result)}`);
      }
    }
    assert.ok(valid > 2_000, `only ${valid} bodies were schema-valid: the search says little`);
  });

  it('everything ProductPatchSchema accepts, PATCH accepts', () => {
    const next = random(34);
    let valid = 0;
    for (let i = 0; i < 20_000; i++) {
      const body: Record<string, unknown> = {};
      for (const field of WRITABLE) {
        if (next() < 0.5) continue;
        const value = candidate(next, field);
        if (value !== undefined) body[field] = value;
      }
      if (!Value.Check(ProductPatchSchema, body)) continue;
      valid++;
      const result = validateProduct(body, 'partial');
      assert.ok(result.ok, `${JSON.stringify(body)}: ${JSON.stringify(result)}`);
    }
    assert.ok(valid > 2_000, `only ${valid} bodies were schema-valid`);
  });
});

describe('Product request schemas: as strict as the server where JSON Schema can say it', () => {
  const refuses = (field: string, value: unknown, why: string) => {
    it(`refuses ${field} ${JSON.stringify(value)?.slice(0, 30) ?? String(value)} (${why})`, () => {
      const body = { ...VALID, [field]: value };
      assert.equal(Value.Check(ProductInputSchema, body), false, 'input schema');
      assert.equal(Value.Check(ProductPatchSchema, { [field]: value }), false, 'patch schema');
      assert.equal(validateProduct(body, 'create').ok, false, 'and so does the server');
    });
  };

  refuses('name', '', 'blank');
  refuses('name', '   ', 'whitespace only');
  refuses('name', '\u3000\x1c\x85', "whitespace only to Python, though JS's \\s lacks \\x1c and \\x85");
  refuses('name', 'x'.repeat(101), 'more than 100 characters');
  refuses('name', '\u{1F600}'.repeat(101), 'more than 100 code points');
  refuses('name', 'a\0b', 'NUL');
  refuses('name', 'a\ud800', 'a lone surrogate');
  refuses('name', null, 'null');
  refuses('description', 'x\0', 'NUL');
  refuses('description', '\udfff', 'a lone surrogate');
  refuses('description', null, 'null');
  refuses('price', '1.234', 'three decimal places');
  refuses('price', '123456789', 'nine digits before the point');
  refuses('price', '12345678.123', 'eleven digits');
  refuses('price', 'NaN', 'not a number');
  refuses('price', '', 'blank');
  refuses('price', null, 'null');
  refuses('stock', -1, 'below 0');
  refuses('stock', 2147483648, 'above 2147483647');
  refuses('stock', 1.5, 'not whole');
  refuses('stock', null, 'null');

  it('accepts the canonical forms and the edges the server accepts', () => {
    for (const body of [
      VALID,
      { name: 'x'.repeat(100), price: '99999999.99' },
      { name: ' \u{1F600} ', description: '', price: '-0', stock: 0 },
      { name: '\ufeff', price: '1.5', stock: 2147483647, description: '   ' },
    ]) {
      assert.ok(Value.Check(ProductInputSchema, body), JSON.stringify(body));
      assert.ok(validateProduct(body, 'create').ok, JSON.stringify(body));
    }
  });

  it('documents, and does not promise, what the server accepts beyond the canonical form', () => {
    // DRF takes these too; the schema keeps to the canonical strings and integers.
    for (const body of [
      { ...VALID, price: '1e3' },
      { ...VALID, price: 20.48 },
      { ...VALID, stock: '7' },
    ]) {
      assert.equal(Value.Check(ProductInputSchema, body), false, JSON.stringify(body));
      assert.ok(validateProduct(body, 'create').ok, JSON.stringify(body));
    }
  });

  it('matches in linear time: a megabyte of whitespace is refused at once', () => {
    const started = performance.now();
    assert.equal(Value.Check(ProductInputSchema, { ...VALID, name: ' '.repeat(1_000_000) }), false);
    assert.equal(Value.Check(ProductPatchSchema, { name: `${'a'.repeat(1_000_000)}\0` }), false);
    assert.equal(Value.Check(ProductPatchSchema, { description: `${' '.repeat(1_000_000)}\0` }), false);
    assert.ok(performance.now() - started < 2_000, `took ${performance.now() - started} ms`);
  });
});

describe('Product request schemas: required fields and defaults follow the model', () => {
  it('POST/PUT: name and price required; description "" and stock 0 by default', () => {
    assert.deepEqual(ProductInputSchema.required, ['name', 'price']);
    const { description, stock } = ProductInputSchema.properties as Record<string, { default?: unknown }>;
    assert.equal(description?.default, '');
    assert.equal(stock?.default, 0);
    assert.deepEqual(Object.keys(ProductInputSchema.properties), WRITABLE);
  });

  it('PATCH: nothing required and no defaults (a missing field is left as it is)', () => {
    assert.equal(ProductPatchSchema.required, undefined);
    assert.deepEqual(Object.keys(ProductPatchSchema.properties), WRITABLE);
    for (const field of WRITABLE) {
      assert.equal('default' in ProductPatchSchema.properties[field], false, field);
    }
    assert.ok(Value.Check(ProductPatchSchema, {}));
    assert.ok(Value.Check(ProductPatchSchema, { price: '18.50' }));
  });

  it('the schemas, the validation rules and OPTIONS agree on what is required', () => {
    for (const field of WRITABLE) {
      const required = PRODUCT_FIELD_RULES[field].required;
      assert.equal(PRODUCT_FIELD_METADATA[field]!.required, required, field);
      assert.equal(ProductInputSchema.required.includes(field as 'name' | 'price'), required, field);
    }
  });
});
