// The inventory example's two models and their migration, defined through keygate's public API (as
// examples/inventory/keygate.config.mjs does), for the model engine's tests.
import {
  defineModel,
  fields,
  IsAuthenticated,
  IsAuthenticatedOrReadOnly,
  isOwner,
  isOwnerOrReadOnly,
  pageNumberPagination,
  SessionAuthentication,
  TokenAuthentication,
  type AppMigrations,
} from '../../src/index.js';

export const warehouses = defineModel({
  table: 'warehouses',
  name: 'Warehouse',
  prefix: 'warehouses',
  fields: {
    name: fields.char({ maxLength: 100 }),
    city: fields.char({ maxLength: 100, blank: true, default: '' }),
    capacity: fields.integer({ min: 0, max: 1_000_000, default: 0 }),
    active: fields.boolean({ default: true }),
    owner: fields.owner(),
    created: fields.dateTime({ autoNowAdd: true }),
  },
  authentication: [TokenAuthentication, SessionAuthentication],
  permissions: [IsAuthenticatedOrReadOnly, isOwnerOrReadOnly()],
  pagination: pageNumberPagination({ pageSize: 20 }),
  search: ['name', 'city'],
  ordering: { fields: ['name', 'city', 'capacity', 'created'], default: 'name' },
  admin: {
    listDisplay: ['name', 'city', 'capacity', 'active', 'owner'],
    listFilter: ['active'],
    searchFields: ['name', 'city'],
  },
});

export const movements = defineModel({
  table: 'stock_movements',
  name: 'Stock movement',
  prefix: 'movements',
  fields: {
    warehouse: fields.foreignKey({ to: warehouses }),
    sku: fields.char({ maxLength: 32, label: 'SKU' }),
    quantity: fields.integer({ min: -1_000_000, max: 1_000_000 }),
    unit_cost: fields.decimal({ maxDigits: 10, decimalPlaces: 2 }),
    note: fields.text({ blank: true, default: '' }),
    moved_at: fields.dateTime(),
    owner: fields.owner(),
  },
  permissions: [IsAuthenticated, isOwner()],
  search: ['sku', 'note'],
  ordering: { fields: ['moved_at', 'quantity', 'sku'], default: '-moved_at' },
  admin: {
    listDisplay: ['sku', 'warehouse', 'quantity', 'unit_cost', 'moved_at', 'owner'],
    searchFields: ['sku', 'note'],
  },
});

/** Private notes: each user lists and finds only their own (`ownedBy`). */
export const notes = defineModel({
  table: 'notes',
  name: 'Note',
  prefix: 'notes',
  fields: { text: fields.text(), owner: fields.owner() },
  ownedBy: 'owner',
  search: ['text'],
});

export const inventoryMigrations: AppMigrations = {
  '0001-inventory': {
    async up(db, { primaryKey, timestamp }) {
      await db.schema
        .createTable('warehouses')
        .addColumn('id', 'integer', primaryKey)
        .addColumn('name', 'varchar(100)', (c) => c.notNull())
        .addColumn('city', 'varchar(100)', (c) => c.notNull())
        .addColumn('capacity', 'integer', (c) => c.notNull())
        .addColumn('active', 'boolean', (c) => c.notNull())
        .addColumn('owner_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('created', timestamp, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('stock_movements')
        .addColumn('id', 'integer', primaryKey)
        .addColumn('warehouse_id', 'integer', (c) =>
          c.notNull().references('warehouses.id').onDelete('cascade'),
        )
        .addColumn('sku', 'varchar(32)', (c) => c.notNull())
        .addColumn('quantity', 'integer', (c) => c.notNull())
        .addColumn('unit_cost', 'bigint', (c) => c.notNull())
        .addColumn('note', 'text', (c) => c.notNull())
        .addColumn('moved_at', timestamp, (c) => c.notNull())
        .addColumn('owner_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .execute();
    },
  },
  '0002-notes': {
    async up(db, { primaryKey }) {
      await db.schema
        .createTable('notes')
        .addColumn('id', 'integer', primaryKey)
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('owner_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .execute();
    },
  },
};
