// defineModel's checks at definition time, and the wiring mistakes refused at start-up.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import Fastify from 'fastify';
import { defineModel, fields, keygatePlugin, openKeygate, type Model } from '../../src/index.js';
import { createTestDatabase } from '../helpers.js';
import { inventoryMigrations, warehouses } from './inventory-models.js';

const base = { table: 'notes', name: 'Note', prefix: 'notes' } as const;

describe('defineModel', () => {
  it('refuses options naming fields the model does not have', () => {
    const text = fields.text();
    assert.throws(
      () => defineModel({ ...base, fields: { text }, search: ['title' as 'text'] }),
      /defineModel\("Note"\): search names no field 'title'/,
    );
    assert.throws(
      () => defineModel({ ...base, fields: { text }, ordering: { fields: ['nope' as 'text'] } }),
      /ordering\.fields names no field 'nope'/,
    );
    assert.throws(
      () => defineModel({ ...base, fields: { text }, admin: { listDisplay: ['x' as 'text'] } }),
      /admin\.listDisplay names no field 'x'/,
    );
  });

  it('refuses admin filters on fields that are not booleans, and an ordering off the list', () => {
    const model = { text: fields.text(), done: fields.boolean() };
    assert.throws(
      () => defineModel({ ...base, fields: model, admin: { listFilter: ['text'] } }),
      /admin\.listFilter: 'text' is not a boolean field/,
    );
    assert.throws(
      () => defineModel({ ...base, fields: model, admin: { listDisplay: ['text'], ordering: '-done' } }),
      /admin\.ordering must name a listDisplay field/,
    );
  });

  it("refuses a declared 'id', a bad table or prefix, and what is not a field", () => {
    assert.throws(() => defineModel({ ...base, fields: { id: fields.integer() } }), /'id' is implicit/);
    assert.throws(() => defineModel({ ...base, table: 'no tes', fields: {} }), /table must be an identifier/);
    assert.throws(
      () => defineModel({ ...base, prefix: 'a/b', fields: {} }),
      /prefix must be one URL segment/,
    );
    assert.throws(
      () => defineModel({ ...base, fields: { text: {} as ReturnType<typeof fields.text> } }),
      /field 'text' is not a field/,
    );
  });

  it('freezes what it was given', () => {
    const model = defineModel({ ...base, fields: { text: fields.text() } });
    assert.ok(Object.isFrozen(model.definition));
    assert.ok(Object.isFrozen(model.definition.fields));
  });
});

describe('serving models', () => {
  const cleanups: (() => Promise<void>)[] = [];
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('refuses two resources under one prefix at start-up', async () => {
    const database = await createTestDatabase('sqlite');
    const keygate = openKeygate({ database: database.url, migrations: inventoryMigrations });
    cleanups.push(
      () => database.drop(),
      () => keygate.close(),
    );
    const twin: Model = defineModel({ ...base, table: 'warehouses', prefix: 'warehouses', fields: {} });
    const app = Fastify();
    await assert.rejects(async () => {
      await app.register(keygatePlugin, { keygate, api: { resources: [warehouses, twin] } });
      await app.ready();
    }, /two API resources have the prefix 'warehouses'/);
    await app.close();
  });
});
