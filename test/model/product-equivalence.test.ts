// The Product built from model fields validates and describes itself exactly as the hand-written Product code does.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  fields,
  fieldsMetadata,
  representRow,
  validateData,
  type FieldContext,
  type ModelFields,
} from '../../src/model/index.js';
import { validateProduct } from '../../src/products/product-fields.js';
import { representProduct } from '../../src/products/product-resource.js';
import { PRODUCT_FIELD_METADATA } from '../../src/products/product-schemas.js';
import { toProduct } from '../../src/products/product.js';

/** The seed model as a definition (price stored as cents in `price_cents`). */
const PRODUCT: ModelFields = {
  name: fields.char({ maxLength: 100 }),
  description: fields.text({ blank: true, default: '' }),
  price: fields.decimal({ maxDigits: 10, decimalPlaces: 2, column: 'price_cents' }),
  stock: fields.integer({ min: 0, max: 2147483647, default: 0 }),
  created: fields.dateTime({ autoNowAdd: true }),
  updated: fields.dateTime({ autoNow: true }),
};

const context = (form: boolean): FieldContext => ({
  form,
  user: null,
  exists: () => Promise.reject(new Error('no relations here')),
});

const HUGE = '9'.repeat(1001);
const SAMPLES: unknown[] = [
  'Widget',
  '  Widget  ',
  '',
  ' ',
  '\t\n\u00a0\u3000',
  '\u200b',
  '\ufeff',
  'a\0b',
  '\0',
  'x\ud800y',
  '\udc00',
  '😀',
  'é'.repeat(100),
  'x'.repeat(100),
  'x'.repeat(101),
  '😀'.repeat(100),
  '😀'.repeat(101),
  HUGE,
  `  ${HUGE}`,
  '20.48',
  '20.485',
  '-0',
  '-0.00',
  '0.001',
  '1e3',
  '1E-2',
  '+5',
  '1_000',
  '١٢',
  'NaN',
  'Infinity',
  'inf',
  '12345678.9',
  '123456789',
  '99999999.99',
  '1.',
  '.5',
  '5.0',
  '5.00 ',
  ' 7 ',
  '7.1',
  '-1',
  '2147483647',
  '2147483648',
  '0x10',
  0,
  -0,
  1,
  7,
  5.0,
  5.5,
  20.48,
  1e-7,
  1e21,
  -1,
  2147483647,
  2147483648,
  123456789012,
  0.1,
  true,
  false,
  null,
  [],
  [1],
  {},
  { a: 1 },
  ['x'.repeat(1001)],
];

const WITHOUT = Symbol('missing');
const BASE: Record<string, unknown> = { name: 'Widget', description: 'A widget.', price: '20.48', stock: 7 };

/** validateProduct's value with `priceCents` named `price`, as the field map names it. */
function expected(input: Record<string, unknown>, mode: 'create' | 'update' | 'partial', form: boolean) {
  const result = validateProduct(input, mode, { form });
  if (!result.ok) return result;
  const { priceCents, ...rest } = result.value;
  return { ok: true, value: priceCents === undefined ? rest : { ...rest, price: priceCents } };
}

/** Inputs: each field alone replaced by each sample or removed, in JSON and form bodies, in every mode. */
function* cases(form: boolean) {
  const base = form ? { ...BASE, stock: '7' } : BASE;
  for (const field of Object.keys(BASE)) {
    for (const sample of [...SAMPLES, WITHOUT]) {
      const input = { ...base };
      if (sample === WITHOUT) delete input[field];
      else input[field] = sample;
      yield { field, sample, input };
    }
  }
  yield { field: '*', sample: 'empty', input: {} };
  yield {
    field: '*',
    sample: 'extras',
    input: { ...BASE, id: 'x', created: null, updated: [], colour: 'red' },
  };
  yield { field: '*', sample: 'all blank', input: { name: '', description: '', price: '', stock: '' } };
  yield {
    field: '*',
    sample: 'all null',
    input: { name: null, description: null, price: null, stock: null },
  };
}

describe('Product as model fields: validateData equals validateProduct', () => {
  for (const mode of ['create', 'update', 'partial'] as const) {
    for (const form of [false, true]) {
      it(`${mode}, ${form ? 'form' : 'JSON'} body: every input gives the same value or the same errors`, async () => {
        let count = 0;
        for (const { field, sample, input } of cases(form)) {
          // A form body only carries strings: other samples are JSON-only.
          if (form && Object.values(input).some((value) => typeof value !== 'string')) continue;
          const actual = await validateData(PRODUCT, input, mode, context(form));
          const label = `${field} = ${typeof sample === 'symbol' ? 'missing' : JSON.stringify(sample)?.slice(0, 40)}`;
          assert.deepEqual(actual, expected(input, mode, form), label);
          count++;
        }
        assert.ok(count > (form ? 150 : 250), `only ${count} cases ran`);
      });
    }
  }

  it('keeps the error keys in field order', async () => {
    const result = await validateData(
      PRODUCT,
      { stock: 'x', price: 'y', name: '' },
      'create',
      context(false),
    );
    assert.ok(!result.ok);
    assert.deepEqual(Object.keys(result.errors), ['name', 'price', 'stock']);
  });
});

describe('Product as model fields: OPTIONS metadata', () => {
  it('equals PRODUCT_FIELD_METADATA, key order included', () => {
    const actual = fieldsMetadata(PRODUCT);
    assert.deepEqual(actual, PRODUCT_FIELD_METADATA);
    assert.equal(JSON.stringify(actual), JSON.stringify(PRODUCT_FIELD_METADATA));
  });
});

describe('Product as model fields: representation', () => {
  it('representRow gives the bytes representProduct gives, for SQLite and PostgreSQL rows', () => {
    const rows = [
      {
        id: 1,
        name: 'W',
        description: '',
        price_cents: 2048,
        stock: 0,
        created: '2026-11-27T23:29:42.748410Z',
        updated: '2026-11-27T23:29:42.748411Z',
      },
      {
        id: '22',
        name: 'É 😀',
        description: 'd',
        price_cents: '-50',
        stock: '2147483647',
        created: '2026-01-01T00:00:00.000001Z',
        updated: '2026-01-01T00:00:00.100000Z',
      },
      {
        id: 3,
        name: 'x',
        description: 'y',
        price_cents: 0,
        stock: 7,
        created: '2026-01-01T00:00:00.123000Z',
        updated: '2026-01-01T00:00:00.123000Z',
      },
      {
        id: 4,
        name: 'x',
        description: 'y',
        price_cents: 9999999999,
        stock: 7,
        created: '2026-01-01T00:00:00.000010Z',
        updated: '2026-01-01T00:00:00.000010Z',
      },
    ];
    for (const row of rows) {
      // toProduct is typed for SQLite rows; PostgreSQL's int8 text goes through Number() the same way.
      const product = toProduct(row as unknown as Parameters<typeof toProduct>[0]);
      assert.equal(JSON.stringify(representRow(PRODUCT, row)), JSON.stringify(representProduct(product)));
    }
  });
});
