// BooleanField, DateTimeField, PrimaryKeyRelatedField and the owner field, against DRF's code.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fields, fieldsMetadata, representRow, validateData } from '../../src/model/index.js';
import { contextFor, messagesOf, one, valueOf } from './support.js';

const BOOLEAN = 'Must be a valid boolean.';
const DATETIME =
  'Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].';

describe('fields.boolean', () => {
  it('takes TRUE_VALUES and FALSE_VALUES, strings case-insensitively', async () => {
    for (const raw of [true, 1, 't', 'T', 'y', 'Yes', 'TRUE', 'on', '1'])
      assert.equal(await valueOf(fields.boolean(), raw), true);
    for (const raw of [false, 0, -0, 'f', 'n', 'NO', 'false', 'Off', '0'])
      assert.equal(await valueOf(fields.boolean(), raw), false);
  });

  it('refuses the rest; "null" and "" are null only when nullable', async () => {
    for (const raw of ['', 'null', 2, 0.5, ' true', 'yes!', [], {}, [1]]) {
      assert.deepEqual(await messagesOf(fields.boolean(), raw), [BOOLEAN], JSON.stringify(raw));
    }
    assert.equal(await valueOf(fields.boolean({ null: true }), 'NULL'), null);
    assert.equal(await valueOf(fields.boolean({ null: true }), ''), null);
  });

  // rest_framework/fields.py BooleanField.default_empty_html = False: an unticked checkbox is absent.
  it('form: an absent key is false on create and update (even with default true), skipped on partial', async () => {
    const field = fields.boolean({ default: true });
    assert.deepEqual(await one(field, undefined, 'create', true), { ok: true, value: { f: false } });
    assert.deepEqual(await one(field, undefined, 'update', true), { ok: true, value: { f: false } });
    assert.deepEqual(await one(field, undefined, 'partial', true), { ok: true, value: {} });
    assert.deepEqual(await one(field, undefined, 'create', false), { ok: true, value: {} });
    assert.deepEqual(await one(fields.boolean({ null: true }), undefined, 'create', true), {
      ok: true,
      value: { f: null },
    });
  });

  it('stores a boolean (SQLite binds it as 1/0) and reads 0/1, "0"/"1" or a PostgreSQL boolean back', () => {
    const field = fields.boolean();
    assert.equal(field.toColumn(true), true);
    assert.equal(field.toColumn(false), false);
    const shown = [1, 0, '1', '0', true, false].map(
      (stored) => representRow({ b: field }, { id: 1, b: stored }).b,
    );
    assert.deepEqual(shown, [true, false, true, false, true, false]);
  });
});

describe('fields.dateTime', () => {
  const field = fields.dateTime();

  it('parses ISO 8601 as Django parse_datetime does and stores the instant in UTC', async () => {
    const cases: Array<[string, string]> = [
      ['2026-01-02T10:20:30Z', '2026-01-02T10:20:30.000000Z'],
      ['2026-01-02T10:20:30.123456+02:00', '2026-01-02T08:20:30.123456Z'],
      ['2026-01-02 10:20', '2026-01-02T10:20:00.000000Z'], // naive: UTC
      ['2026-01-02T10:20:30.1234567-0130', '2026-01-02T11:50:30.123456Z'],
      ['2026-1-2T3:04', '2026-01-02T03:04:00.000000Z'], // Django's regex: one-digit parts
      ['2026-01-02', '2026-01-02T00:00:00.000000Z'], // fromisoformat: a date alone is midnight
      ['20260102T102030', '2026-01-02T10:20:30.000000Z'],
      ['2026-01-01T00:30+01:00', '2025-12-31T23:30:00.000000Z'],
    ];
    for (const [raw, stored] of cases) assert.equal(await valueOf(field, raw), stored, raw);
  });

  it('refuses other text and non-strings with the ISO_8601 format message', async () => {
    for (const raw of [
      '',
      'x',
      '2026-02-30T00:00',
      '2026-13-01',
      '2026-01-02T24:00',
      '2026-01-02T10:60',
      '0000-01-01',
      '2026-01-02T10:20+24:00',
      1767349230,
      true,
      [],
      {},
    ]) {
      assert.deepEqual(await messagesOf(field, raw), [DATETIME], JSON.stringify(raw));
    }
  });

  it('refuses a UTC conversion past year 1..9999 as "Datetime value out of range."', async () => {
    assert.deepEqual(await messagesOf(field, '0001-01-01T00:00+01:00'), ['Datetime value out of range.']);
  });

  it('renders isoformat with Z, leaving out zero microseconds', () => {
    const rows = ['2026-01-02T10:20:30.000000Z', '2026-01-02T10:20:30.000100Z'];
    assert.deepEqual(
      rows.map((stored) => representRow({ t: field }, { id: 1, t: stored }).t),
      ['2026-01-02T10:20:30Z', '2026-01-02T10:20:30.000100Z'],
    );
  });

  it('autoNow and autoNowAdd are read-only, not required, and ignored in input', async () => {
    const model = {
      created: fields.dateTime({ autoNowAdd: true }),
      updated: fields.dateTime({ autoNow: true }),
    };
    assert.equal(model.created.readOnly && model.updated.readOnly, true);
    assert.deepEqual(await validateData(model, { created: 'x', updated: null }, 'create', contextFor()), {
      ok: true,
      value: {},
    });
    assert.deepEqual(fieldsMetadata(model).created, {
      type: 'datetime',
      required: false,
      read_only: true,
      label: 'Created',
    });
  });
});

describe('fields.foreignKey', () => {
  const field = fields.foreignKey({ to: 'categories' });

  it('takes a pk that exists: int, its text, a float truncated by int()', async () => {
    for (const raw of [5, '5', ' 5 ', 5.0, 5.7, '٥'])
      assert.equal(await valueOf(field, raw), 5, JSON.stringify(raw));
  });

  it('names a missing pk as str(data) does', async () => {
    assert.deepEqual(await messagesOf(field, 6), ['Invalid pk "6" - object does not exist.']);
    assert.deepEqual(await messagesOf(field, ' 6'), ['Invalid pk " 6" - object does not exist.']);
    assert.deepEqual(await messagesOf(field, 6.5), ['Invalid pk "6.5" - object does not exist.']);
    assert.deepEqual(await messagesOf(field, 0), ['Invalid pk "0" - object does not exist.']);
    assert.deepEqual(await messagesOf(field, '99999999999999999999'), [
      'Invalid pk "99999999999999999999" - object does not exist.',
    ]);
  });

  it('names the Python type of anything int() refuses; a bool is refused before the lookup', async () => {
    const cases: Array<[unknown, string]> = [
      [true, 'bool'],
      [false, 'bool'],
      ['x', 'str'],
      ['5.0', 'str'],
      [' ', 'str'],
      [[5], 'list'],
      [{ id: 5 }, 'dict'],
    ];
    for (const [raw, type] of cases) {
      assert.deepEqual(
        await messagesOf(field, raw),
        [`Incorrect type. Expected pk value, received ${type}.`],
        JSON.stringify(raw),
      );
    }
  });

  // rest_framework/relations.py RelatedField.run_validation turns '' into None first.
  it('takes "" as null: "may not be null", or null when nullable', async () => {
    assert.deepEqual(await messagesOf(field, ''), ['This field may not be null.']);
    assert.equal(await valueOf(fields.foreignKey({ to: 'categories', null: true }), ''), null);
    assert.deepEqual(await messagesOf(field, '', true), ['This field may not be null.']);
  });

  it('looks rows up through the context, in its table; OPTIONS type is "field"', async () => {
    const context = contextFor();
    await validateData(
      { category: field, author: fields.foreignKey({ to: 'user' }) },
      { category: '5', author: 2 },
      'create',
      context,
    );
    assert.deepEqual(context.looked, ['categories:5', 'user:2']);
    assert.deepEqual(fieldsMetadata({ category: field }).category, {
      type: 'field',
      required: true,
      read_only: false,
      label: 'Category',
    });
  });
});

describe('fields.owner', () => {
  it('is read-only, ignored in input, shown as the user id', async () => {
    const model = { owner: fields.owner() };
    assert.deepEqual(await validateData(model, { owner: 2 }, 'create', contextFor()), {
      ok: true,
      value: {},
    });
    assert.deepEqual(representRow(model, { id: 1, owner_id: '2' }), { id: 1, owner: 2 });
    assert.deepEqual(fieldsMetadata(model).owner, {
      type: 'field',
      required: false,
      read_only: true,
      label: 'Owner',
    });
  });
});
