// The ModelSerializer helpers over a model's fields: validation modes, saved values, rows, labels and schemas.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Value } from 'typebox/value';
import {
  fields,
  fieldSchemas,
  fieldsMetadata,
  representRow,
  savedValues,
  toColumns,
  validateData,
} from '../../src/model/index.js';
import { contextFor } from './support.js';

/** One keyword of a schema (TypeBox's types do not list `$id`, `readOnly` or `default`). */
const keyword = (schema: unknown, name: string): unknown =>
  (schema as Record<string, unknown> | undefined)?.[name];

const REQUIRED = 'This field is required.';

/** A model with one field of each kind. */
const NOTE = {
  title: fields.char({ maxLength: 20 }),
  body: fields.text({ blank: true, default: '' }),
  contact: fields.email({ null: true }),
  rank: fields.integer({ default: 3 }),
  unit_price: fields.decimal({ maxDigits: 6, decimalPlaces: 2, column: 'unit_price_cents', default: 150 }),
  done: fields.boolean({ default: false }),
  due: fields.dateTime({ null: true }),
  category: fields.foreignKey({ to: 'categories', null: true }),
  owner: fields.owner(),
  created: fields.dateTime({ autoNowAdd: true }),
  updated: fields.dateTime({ autoNow: true, label: 'Last change' }),
};

describe('validateData', () => {
  it('create and update require only the required fields; partial requires none', async () => {
    for (const mode of ['create', 'update'] as const) {
      assert.deepEqual(await validateData(NOTE, {}, mode, contextFor()), {
        ok: false,
        errors: { title: [REQUIRED] },
      });
    }
    assert.deepEqual(await validateData(NOTE, {}, 'partial', contextFor()), { ok: true, value: {} });
  });

  it('gives internal values in field order and ignores read-only and unknown keys', async () => {
    const data = {
      due: '2026-01-02T03:04Z',
      owner: 9,
      id: 4,
      colour: 'red',
      title: ' T ',
      unit_price: '2.5',
      category: 5,
    };
    const result = await validateData(NOTE, data, 'update', contextFor());
    assert.deepEqual(result, {
      ok: true,
      value: { title: 'T', unit_price: 250, due: '2026-01-02T03:04:00.000000Z', category: 5 },
    });
    assert.ok(result.ok);
    assert.deepEqual(Object.keys(result.value), ['title', 'unit_price', 'due', 'category']);
  });

  it('takes null for nullable fields only, and treats undefined as missing', async () => {
    const result = await validateData(
      NOTE,
      { title: 'T', contact: null, due: null, rank: undefined, done: null },
      'create',
      contextFor(),
    );
    assert.deepEqual(result, { ok: false, errors: { done: ['This field may not be null.'] } });
  });

  it('collects every failing field', async () => {
    const data = { title: '', rank: 'x', unit_price: '1.234', done: 'maybe', due: 'soon', category: 7 };
    const result = await validateData(NOTE, data, 'partial', contextFor());
    assert.deepEqual(result, {
      ok: false,
      errors: {
        title: ['This field may not be blank.'],
        rank: ['A valid integer is required.'],
        unit_price: ['Ensure that there are no more than 2 decimal places.'],
        done: ['Must be a valid boolean.'],
        due: [
          'Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].',
        ],
        category: ['Invalid pk "7" - object does not exist.'],
      },
    });
  });
});

describe('savedValues and toColumns', () => {
  const now = '2026-12-06T10:00:00.123456Z';

  it('create: validated values, model defaults, null for nullable fields, owner and both timestamps', () => {
    const values = savedValues(NOTE, { title: 'T', done: true }, 'create', contextFor(false, { id: 2 }), now);
    assert.deepEqual(values, {
      title: 'T',
      body: '',
      contact: null,
      rank: 3,
      unit_price: 150,
      done: true,
      due: null,
      category: null,
      owner: 2,
      created: now,
      updated: now,
    });
    const { unit_price: _price, category: _category, owner: _owner, ...rest } = values;
    assert.deepEqual(toColumns(NOTE, values), {
      ...rest,
      unit_price_cents: 150,
      category_id: null,
      owner_id: 2,
    });
  });

  it('update: only the validated values and autoNow', () => {
    assert.deepEqual(savedValues(NOTE, { rank: 1 }, 'update', contextFor(), now), { rank: 1, updated: now });
    assert.deepEqual(toColumns(NOTE, { rank: 1, updated: now }), { rank: 1, updated: now });
  });

  it("create: a blank string field without a default gets Django's '' default", () => {
    const model = { nick: fields.char({ blank: true }), bio: fields.text({ blank: true, null: true }) };
    assert.deepEqual(savedValues(model, {}, 'create', contextFor(), now), { nick: '', bio: null });
  });

  it('create without a user cannot fill the owner', () => {
    assert.throws(() => savedValues(NOTE, { title: 'T' }, 'create', contextFor(false, null), now), TypeError);
  });
});

describe('representRow', () => {
  it('shows id first, then the fields in order, read from their columns', () => {
    const row = {
      unit_price_cents: '1999',
      updated: '2026-01-02T00:00:00.000001Z',
      id: '7',
      title: 'T',
      body: '',
      contact: null,
      rank: 3,
      done: 0,
      due: null,
      category_id: 5,
      owner_id: 2,
      created: '2026-01-01T00:00:00.000000Z',
    };
    const item = representRow(NOTE, row);
    assert.equal(
      JSON.stringify(item),
      '{"id":7,"title":"T","body":"","contact":null,"rank":3,"unit_price":"19.99","done":false,"due":null,' +
        '"category":5,"owner":2,"created":"2026-01-01T00:00:00Z","updated":"2026-01-02T00:00:00.000001Z"}',
    );
  });
});

describe('fieldsMetadata', () => {
  it('labels from names (capfirst, "_" as space) unless a label is given; id first', () => {
    const actions = fieldsMetadata(NOTE);
    assert.deepEqual(Object.keys(actions), ['id', ...Object.keys(NOTE)]);
    assert.equal(actions.unit_price?.label, 'Unit price');
    assert.equal(actions.updated?.label, 'Last change');
    assert.deepEqual(actions.contact, {
      type: 'email',
      required: false,
      read_only: false,
      label: 'Contact',
      max_length: 254,
    });
  });
});

describe('fieldSchemas', () => {
  const { item, input, patch } = fieldSchemas('Note', NOTE);

  it('names the schemas and marks read-only fields in the item', () => {
    assert.deepEqual(
      [item, input, patch].map((schema) => keyword(schema, '$id')),
      ['Note', 'NoteInput', 'NotePatch'],
    );
    assert.equal(keyword(item.properties.owner, 'readOnly'), true);
    assert.equal(keyword(item.properties.id, 'readOnly'), true);
    assert.deepEqual(Object.keys(input.properties), [
      'title',
      'body',
      'contact',
      'rank',
      'unit_price',
      'done',
      'due',
      'category',
    ]);
  });

  it('requires the required fields in input, none in patch, with represented defaults in input only', () => {
    assert.deepEqual(input.required, ['title']);
    assert.equal(patch.required, undefined);
    assert.equal(keyword(input.properties.unit_price, 'default'), '1.50');
    assert.equal(keyword(input.properties.done, 'default'), false);
    assert.equal(keyword(patch.properties.unit_price, 'default'), undefined);
  });

  it('accepts a represented row as an item, and canonical bodies as input', () => {
    const row = {
      id: 1,
      title: 'T',
      body: '',
      contact: null,
      rank: 3,
      unit_price_cents: 1999,
      done: true,
      due: null,
      category_id: null,
      owner_id: 2,
      created: '2026-01-01T00:00:00.000000Z',
      updated: '2026-01-01T00:00:00.000000Z',
    };
    assert.ok(Value.Check(item, representRow(NOTE, row)));
    assert.ok(Value.Check(input, { title: 'T', unit_price: '19.99', contact: null, done: true }));
    assert.ok(!Value.Check(input, { unit_price: '19.99' }));
    assert.ok(Value.Check(patch, {}));
  });
});
