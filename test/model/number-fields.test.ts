// IntegerField and DecimalField built from model fields, against DRF's to_internal_value, validators and rendering.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fields, fieldsMetadata, representRow } from '../../src/model/index.js';
import { messagesOf, valueOf } from './support.js';

const INTEGER = 'A valid integer is required.';
const NUMBER = 'A valid number is required.';

describe('fields.integer', () => {
  const field = fields.integer({ min: -5, max: 10 });

  it('takes ints, integral floats and their text (re_decimal drops ".0")', async () => {
    for (const [raw, value] of [
      [7, 7],
      ['7', 7],
      [' 7 ', 7],
      ['7.0', 7],
      ['7.', 7],
      ['+7', 7],
      ['-5', -5],
      ['1_0', 10],
      ['٧', 7],
      [7.0, 7],
    ] as const) {
      assert.equal(await valueOf(field, raw), value, JSON.stringify(raw));
    }
  });

  it('refuses the rest with "A valid integer is required."', async () => {
    for (const raw of ['7.5', 7.5, '', 'x', '0x7', '1__0', '_1', true, false, [], {}, '7e0', 'NaN']) {
      assert.deepEqual(await messagesOf(field, raw), [INTEGER], JSON.stringify(raw));
    }
  });

  it('refuses strings over 1000 characters before parsing (MAX_STRING_LENGTH)', async () => {
    assert.deepEqual(await messagesOf(field, '1'.repeat(1001)), ['String value too large.']);
    assert.deepEqual(await messagesOf(field, '1'.repeat(1000)), [
      'Ensure this value is less than or equal to 10.',
    ]);
  });

  it('compares the range exactly (beyond 2^53 too)', async () => {
    assert.deepEqual(await messagesOf(field, -6), ['Ensure this value is greater than or equal to -5.']);
    assert.deepEqual(await messagesOf(field, '9007199254740993'), [
      'Ensure this value is less than or equal to 10.',
    ]);
  });

  it('defaults to the 32-bit range of Django IntegerField, shown in OPTIONS', () => {
    assert.deepEqual(fieldsMetadata({ count: fields.integer({ default: 0 }) }).count, {
      type: 'integer',
      required: false,
      read_only: false,
      label: 'Count',
      min_value: -2147483648,
      max_value: 2147483647,
    });
  });

  it('reads PostgreSQL int8 text back as a number', () => {
    assert.deepEqual(representRow({ n: fields.integer() }, { id: '3', n: '42' }), { id: 3, n: 42 });
  });
});

describe('fields.decimal', () => {
  const field = fields.decimal({ maxDigits: 5, decimalPlaces: 3 });

  it('stores the value scaled by 10^places and renders it with exactly that many places', async () => {
    assert.equal(await valueOf(field, '1.5'), 1500);
    assert.equal(await valueOf(field, 12.345), 12345);
    assert.equal(await valueOf(field, '1e-3'), 1);
    assert.equal(await valueOf(field, ' -0 '), -0);
    assert.deepEqual(representRow({ d: field }, { id: 1, d: 1500 }), { id: 1, d: '1.500' });
    assert.deepEqual(representRow({ d: field }, { id: 1, d: -0 }), { id: 1, d: '-0.000' });
    const whole = fields.decimal({ maxDigits: 4, decimalPlaces: 0 });
    assert.equal(await valueOf(whole, '12'), 12);
    assert.deepEqual(representRow({ d: whole }, { id: 1, d: '12' }), { id: 1, d: '12' });
  });

  it('gives DRF validate_precision messages in its order: total, places, whole digits', async () => {
    assert.deepEqual(await messagesOf(field, '123.456'), [
      'Ensure that there are no more than 5 digits in total.',
    ]);
    assert.deepEqual(await messagesOf(field, '1.2345'), [
      'Ensure that there are no more than 3 decimal places.',
    ]);
    assert.deepEqual(await messagesOf(field, '123.4'), [
      'Ensure that there are no more than 2 digits before the decimal point.',
    ]);
    // 0.0001 has 4 digits in total for DRF (leading zeros after the point count): places fail.
    assert.deepEqual(await messagesOf(field, '0.0001'), [
      'Ensure that there are no more than 3 decimal places.',
    ]);
  });

  it('refuses non-numbers; str() of a long list is "String value too large."', async () => {
    for (const raw of ['', 'x', 'NaN', 'Infinity', '-inf', true, [], {}]) {
      assert.deepEqual(await messagesOf(field, raw), [NUMBER], JSON.stringify(raw));
    }
    assert.deepEqual(await messagesOf(field, ['x'.repeat(1000)]), ['String value too large.']);
    assert.deepEqual(await messagesOf(field, ` ${'1'.repeat(1001)} `), ['String value too large.']);
  });

  it('checks min and max (MaxValueValidator first) with the bound as written', async () => {
    const bounded = fields.decimal({ maxDigits: 6, decimalPlaces: 2, min: '0.50', max: 100 });
    assert.deepEqual(await messagesOf(bounded, '0.49'), [
      'Ensure this value is greater than or equal to 0.50.',
    ]);
    assert.deepEqual(await messagesOf(bounded, '100.01'), [
      'Ensure this value is less than or equal to 100.',
    ]);
    assert.equal(await valueOf(bounded, '100'), 10000);
    assert.deepEqual(fieldsMetadata({ price: bounded }).price, {
      type: 'decimal',
      required: true,
      read_only: false,
      label: 'Price',
      min_value: '0.50',
      max_value: '100',
    });
  });

  it('refuses definitions it cannot store exactly', () => {
    assert.throws(() => fields.decimal({ maxDigits: 16, decimalPlaces: 2 }), RangeError);
    assert.throws(() => fields.decimal({ maxDigits: 4, decimalPlaces: 5 }), RangeError);
    assert.throws(() => fields.decimal({ maxDigits: 4, decimalPlaces: 2, max: '1000' }), RangeError);
  });
});
