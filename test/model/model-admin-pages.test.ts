// A model's admin section, made from its definition: the home page lists it; the change list
// searches, filters and sorts; the add form validates with DRF's rules and records the owner; the
// change and delete pages work; every change is logged.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { errorHandler } from '../../src/http/error-handler.js';
import { keygatePlugin, openKeygate, type Keygate } from '../../src/index.js';
import { createTestDatabase, POSTGRES_AVAILABLE, type TestDatabase } from '../helpers.js';
import { SessionClient } from '../sessions/session-client.js';
import { inventoryMigrations, movements, warehouses } from './inventory-models.js';

const PASSWORD = 'correct horse battery staple';

interface WarehouseRow {
  readonly id: number;
  readonly name: string;
  readonly city: string;
  readonly capacity: number;
  readonly active: boolean | number;
  readonly owner_id: number;
}

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe(
    `a model's admin section [${dialect}]`,
    { skip: dialect === 'postgres' && !POSTGRES_AVAILABLE },
    () => {
      let database: TestDatabase;
      let keygate: Keygate;
      let app: FastifyInstance;
      let admin: SessionClient;
      let adminId = 0;

      const rows = () =>
        keygate.database.db
          .withTables<{ warehouses: WarehouseRow }>()
          .selectFrom('warehouses')
          .selectAll()
          .orderBy('id')
          .execute();

      before(async () => {
        database = await createTestDatabase(dialect);
        keygate = openKeygate({ database: database.url, migrations: inventoryMigrations });
        await keygate.migrate();
        adminId = (
          await keygate.users.createUser({
            username: 'root',
            password: PASSWORD,
            isStaff: true,
            isSuperuser: true,
          })
        ).id;
        app = Fastify({ logger: false });
        app.setErrorHandler(errorHandler);
        await app.register(keygatePlugin, {
          keygate,
          sessions: true,
          admin: { sections: [warehouses, movements] },
        });
        await app.ready();
        admin = new SessionClient(app, { accept: 'text/html' });
        const login = await admin.postForm('/admin/login/', {
          username: 'root',
          password: PASSWORD,
          next: '/admin/',
        });
        assert.equal(login.statusCode, 302);
      });

      after(async () => {
        await app?.close();
        await keygate?.close();
        await database?.drop();
      });

      it('lists both models on the home page', async () => {
        const home = await admin.send({ url: '/admin/' });
        assert.equal(home.statusCode, 200);
        assert.match(home.body, /href="\/admin\/warehouses\/"/);
        assert.match(home.body, /Stock movements/);
      });

      it("adds with DRF's field rules, the admin as owner and the creation time", async () => {
        const refused = await admin.postForm('/admin/warehouses/add/', {
          name: '   ',
          capacity: '-3',
          city: '',
        });
        assert.equal(refused.statusCode, 200);
        assert.match(refused.body, /This field may not be blank\./);
        assert.match(refused.body, /Ensure this value is greater than or equal to 0\./);
        assert.equal((await rows()).length, 0, 'nothing is written');

        const added = await admin.postForm('/admin/warehouses/add/', {
          name: ' Depot ',
          capacity: '7',
          active: 'on',
        });
        assert.equal(added.statusCode, 302);
        const [row] = await rows();
        assert.equal(row?.name, 'Depot');
        assert.equal(row?.capacity, 7);
        assert.equal(Boolean(row?.active), true);
        assert.equal(row?.owner_id, adminId);
      });

      it('changes a row: an unticked box is false, the owner stays', async () => {
        const [row] = await rows();
        const changed = await admin.postForm(
          `/admin/warehouses/${row!.id}/change/`,
          { name: 'Depot', city: 'Oslo', capacity: '9' },
          `/admin/warehouses/${row!.id}/change/`,
        );
        assert.equal(changed.statusCode, 302);
        const [after] = await rows();
        assert.equal(after?.city, 'Oslo');
        assert.equal(Boolean(after?.active), false);
        assert.equal(after?.owner_id, adminId);
      });

      it('searches and filters the change list', async () => {
        await admin.postForm('/admin/warehouses/add/', {
          name: 'Harbour',
          city: 'Bergen',
          capacity: '1',
          active: 'on',
        });
        const searched = await admin.send({ url: '/admin/warehouses/?q=bergen' });
        assert.match(searched.body, /Harbour/);
        assert.doesNotMatch(searched.body, />Depot</);
        const inactive = await admin.send({ url: '/admin/warehouses/?active__exact=0' });
        assert.match(inactive.body, /Depot/);
        assert.doesNotMatch(inactive.body, /Harbour/);
      });

      it('refuses a movement naming no warehouse, then deletes a warehouse', async () => {
        const refused = await admin.postForm('/admin/stock_movements/add/', {
          warehouse: '999',
          sku: 'A',
          quantity: '1',
          unit_cost: '1.00',
          moved_at: '2026-12-06T10:00:00Z',
        });
        assert.match(
          refused.body,
          /Invalid pk &quot;999&quot; - object does not exist\.|Invalid pk "999" - object does not exist\./,
        );
        const [row] = await rows();
        const deleted = await admin.postForm(
          `/admin/warehouses/${row!.id}/delete/`,
          { post: 'yes' },
          `/admin/warehouses/${row!.id}/delete/`,
        );
        assert.equal(deleted.statusCode, 302);
        assert.equal(
          (await rows()).some((r) => r.id === row!.id),
          false,
        );
        const logged = await keygate.database.db
          .selectFrom('admin_log')
          .select(['action_flag', 'content_type'])
          .where('content_type', '=', 'warehouses')
          .execute();
        assert.deepEqual(
          logged.map((entry) => Number(entry.action_flag)).sort(),
          [1, 1, 2, 3],
          'two additions, a change and a deletion',
        );
      });
    },
  );
}
