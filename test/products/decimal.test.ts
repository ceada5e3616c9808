// DRF DecimalField(max_digits=10, decimal_places=2) input rules, checked against answers from Python's Decimal.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DECIMAL_MESSAGES,
  MAX_STRING_LENGTH,
  formatCents,
  parseDecimalCents,
} from '../../src/products/decimal.js';

const INVALID = DECIMAL_MESSAGES.invalid;
const TOO_LARGE = DECIMAL_MESSAGES.maxStringLength;
const MAX_DIGITS = 'Ensure that there are no more than 10 digits in total.';
const PLACES = 'Ensure that there are no more than 2 decimal places.';
const WHOLE = 'Ensure that there are no more than 8 digits before the decimal point.';

/** The price DRF would render, or its message. */
function priceOf(input: unknown): string {
  const result = parseDecimalCents(input);
  return result.ok ? formatCents(result.cents) : `error: ${result.message}`;
}

function accepts(input: unknown, rendered: string): void {
  it(`accepts ${JSON.stringify(input)} as ${rendered}`, () => assert.equal(priceOf(input), rendered));
}

function rejects(input: unknown, message: string): void {
  const label =
    typeof input === 'string' && input.length > 40 ? `${input.slice(0, 20)}... (${input.length})` : input;
  it(`rejects ${JSON.stringify(label)}: ${message}`, () => assert.equal(priceOf(input), `error: ${message}`));
}

describe('parseDecimalCents: WIRE.md examples', () => {
  accepts('1e3', '1000.00');
  accepts(0.1, '0.10');
  accepts(' 5.5 ', '5.50');
  accepts('20.48', '20.48');
  rejects('NaN', INVALID);
  rejects('1,5', INVALID);
  rejects(true, INVALID);
  rejects('1.234', PLACES);
  rejects('123456789.1', WHOLE); // 10 digits in total pass; 9 whole digits do not
  rejects('100000000', WHOLE);
});

describe('parseDecimalCents: accepted spellings', () => {
  accepts('0', '0.00');
  accepts('7', '7.00');
  accepts('+5', '5.00');
  accepts('+.5e-1', '0.05');
  accepts('-12.5', '-12.50');
  accepts('-0.5', '-0.50');
  accepts('.5', '0.50');
  accepts('5.', '5.00');
  accepts('0.10', '0.10');
  accepts('1.20', '1.20');
  accepts('000012.50', '12.50');
  accepts('000000000000.5', '0.50');
  accepts('1E-2', '0.01');
  accepts('1e-2', '0.01');
  accepts('1E+2', '100.00');
  accepts('1e7', '10000000.00');
  accepts('0E+7', '0.00');
  accepts('0E-2', '0.00');
  accepts('0.00', '0.00');
  accepts('12.3e1', '123.00');
  accepts('99999999.99', '99999999.99');
  accepts('-99999999.99', '-99999999.99');
  accepts('12345678', '12345678.00');
  accepts('\t\n 42 \u00a0\u3000', '42.00');
  accepts('1_000', '1000.00'); // Python's Decimal drops underscores anywhere
  accepts('1__0', '10.00');
  accepts('_1', '1.00');
  accepts('1._5', '1.50');
  accepts('١٢.٥', '12.50'); // Unicode digits, as Python's Decimal reads them
  accepts('５', '5.00');
});

describe('parseDecimalCents: negative zero is kept, as DRF keeps Decimal("-0.00")', () => {
  it('"-0" gives -0 cents and renders "-0.00"', () => {
    const result = parseDecimalCents('-0');
    assert.ok(result.ok);
    assert.ok(Object.is(result.cents, -0));
    assert.equal(formatCents(result.cents), '-0.00');
  });
  accepts('-0.0', '-0.00');
  accepts('+0', '0.00');
  accepts(-0, '0.00'); // JSON -0 is the Python int 0
});

describe('parseDecimalCents: JSON numbers use their exact decimal text', () => {
  accepts(0.1, '0.10');
  accepts(1e3, '1000.00');
  accepts(20.48, '20.48');
  accepts(1.5, '1.50');
  accepts(-0.5, '-0.50');
  accepts(5, '5.00');
  accepts(0.01, '0.01');
  accepts(99999999.99, '99999999.99');
  accepts(12345678, '12345678.00');
  rejects(0.1 + 0.2, MAX_DIGITS); // 0.30000000000000004
  rejects(1e-7, PLACES); // Python str(): '1e-07'
  rejects(0.001, PLACES);
  rejects(1e21, MAX_DIGITS);
  rejects(123456789, WHOLE);
  rejects(1234567890, WHOLE);
  rejects(12345678.123, MAX_DIGITS);
  rejects(NaN, INVALID);
  rejects(Infinity, INVALID);
  rejects(-Infinity, INVALID);
});

describe('parseDecimalCents: validate_precision counts digits like Decimal.as_tuple()', () => {
  rejects('1.230', PLACES); // trailing zeros are decimal places
  rejects('0.001', PLACES);
  rejects('1e-3', PLACES);
  rejects('0.000', PLACES);
  rejects('12345678.123', MAX_DIGITS); // 11 digits: the total is checked first
  rejects('123456789.1', WHOLE); // 10 digits in total pass; 9 whole digits do not
  rejects('123456789.12', MAX_DIGITS);
  rejects('1234567890', WHOLE); // 10 digits in total is fine; 10 whole digits is not
  rejects('100000000', WHOLE);
  rejects('1e8', WHOLE);
  rejects('0e10', MAX_DIGITS); // (0,), exponent 10 -> 11 digits
  rejects('1e10', MAX_DIGITS);
  rejects('0.00000000001', MAX_DIGITS); // 11 places count as 11 digits in total
  rejects('99999999.999', MAX_DIGITS);
  rejects('9999999.999', PLACES);
  rejects('1e999999999999999999', MAX_DIGITS); // the largest exponent Decimal accepts
  rejects('1e-1999999999999999997', MAX_DIGITS); // the smallest
});

describe('parseDecimalCents: not a number', () => {
  for (const text of [
    '',
    ' ',
    '\u00a0',
    'abc',
    'NaN',
    'nan',
    'sNaN',
    'nan12',
    'Infinity',
    '-inf',
    '+Inf',
    '1,5',
  ]) {
    rejects(text, INVALID);
  }
  for (const text of ['1.2.3', '+-1', '--1', '1e', '1e+', 'e5', '.', '0x10', '1 0', '1\u200b', '\0' + '1']) {
    rejects(text, INVALID);
  }
  rejects('_ 1', INVALID); // underscores go, the space stays
  rejects('1e99999999999999999999', INVALID); // beyond Decimal's exponent range
  rejects('10e999999999999999999', INVALID);
  rejects('1e-1999999999999999998', INVALID);
  rejects('0e1000000000000000000', INVALID);
  rejects(false, INVALID);
  rejects(null, INVALID);
  rejects([], INVALID);
  rejects({}, INVALID);
  rejects([1], INVALID);
  rejects({ price: '1.00' }, INVALID);
});

describe('parseDecimalCents: the 1000-character guard', () => {
  it('is DRF MAX_STRING_LENGTH', () => assert.equal(MAX_STRING_LENGTH, 1000));
  rejects('1'.repeat(1001), TOO_LARGE);
  rejects('x'.repeat(5000), TOO_LARGE);
  rejects('1'.repeat(1000), MAX_DIGITS); // exactly 1000 is parsed
  rejects(`${'0'.repeat(997)}1.00`, TOO_LARGE); // 1001 characters
  accepts(`${'0'.repeat(996)}1.00`, '1.00'); // 1000 characters
  accepts(`${' '.repeat(2000)}1${' '.repeat(2000)}`, '1.00'); // measured after strip()
  rejects('😀'.repeat(600), INVALID); // 600 code points, not 1200 UTF-16 units
  rejects('😀'.repeat(1001), TOO_LARGE);
  // str() of a list or dict: '[1, 1, ...]' is 3n characters; "{'key': 'vv...'}" is 11 + n.
  rejects(
    Array.from({ length: 333 }, () => 1),
    INVALID,
  );
  rejects(
    Array.from({ length: 334 }, () => 1),
    TOO_LARGE,
  );
  rejects({ key: 'v'.repeat(989) }, INVALID);
  rejects({ key: 'v'.repeat(990) }, TOO_LARGE);
  rejects([`it's`.repeat(300)], TOO_LARGE);
});

describe('formatCents', () => {
  const cases: [number, string][] = [
    [2048, '20.48'],
    [-50, '-0.50'],
    [0, '0.00'],
    [-0, '-0.00'],
    [100000, '1000.00'],
    [1, '0.01'],
    [-1, '-0.01'],
    [10, '0.10'],
    [9999999999, '99999999.99'],
    [-9999999999, '-99999999.99'],
  ];
  for (const [cents, text] of cases) {
    it(`${Object.is(cents, -0) ? '-0' : cents} -> ${text}`, () => assert.equal(formatCents(cents), text));
  }
  it('refuses fractions and unsafe integers', () => {
    assert.throws(() => formatCents(1.5), RangeError);
    assert.throws(() => formatCents(NaN), RangeError);
    assert.throws(() => formatCents(2 ** 53), RangeError);
  });
  it('round-trips every parsed price', () => {
    for (const text of ['0.01', '-1.10', '12345678.90', '7.00']) {
      const result = parseDecimalCents(text);
      assert.ok(result.ok);
      assert.equal(formatCents(result.cents), text);
    }
  });
});
