// The inventory project: two models of its own, served by `keygate serve` with token
// authentication, in the admin and in the OpenAPI docs. Its tables come from its own migration.
import {
  defineConfig,
  defineModel,
  fields,
  IsAuthenticated,
  IsAuthenticatedOrReadOnly,
  isOwner,
  isOwnerOrReadOnly,
  pageNumberPagination,
  SessionAuthentication,
  TokenAuthentication,
} from 'keygate';

/** The admin home page lists both models under one heading, as Django lists an app's models. */
const INVENTORY = { label: 'inventory', name: 'Inventory' };

/** A place stock is kept. Anyone may read; only its owner may change it. */
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
    app: INVENTORY,
  },
});

/**
 * Goods in or out of a warehouse. Only signed-in users use the API, and only the user who recorded
 * a movement may open, change or delete it (an object permission: as in DRF, the list is not
 * filtered by it).
 */
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
  authentication: [TokenAuthentication, SessionAuthentication],
  permissions: [IsAuthenticated, isOwner()],
  search: ['sku', 'note'],
  ordering: { fields: ['moved_at', 'quantity', 'sku'], default: '-moved_at' },
  admin: {
    listDisplay: ['sku', 'warehouse', 'quantity', 'unit_cost', 'moved_at', 'owner'],
    searchFields: ['sku', 'note'],
    app: INVENTORY,
  },
});

export default defineConfig({
  migrations: {
    // One table per model; `primaryKey` and `timestamp` are keygate's own column types per database.
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
        await db.schema.createIndex('stock_movements_warehouse').on('stock_movements').column('warehouse_id').execute();
      },
    },
  },
  models: [warehouses, movements],
  // The OpenAPI document's info and the /docs page's title.
  docs: { title: 'Inventory', version: '1.0.0', description: 'Warehouses and stock movements.' },
});
