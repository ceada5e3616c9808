// Object-level permissions (DRF's has_object_permission, the tutorial's IsOwnerOrReadOnly): the
// owner, another user and an anonymous client on a resource's detail views, per dialect.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { checkObjectPermissions, isOwner, isOwnerOrReadOnly } from '../../src/auth/permissions.js';
import { NotAuthenticated, PermissionDenied } from '../../src/errors.js';
import { IsAuthenticatedOrReadOnly, type Keygate, type User } from '../../src/index.js';
import { POSTGRES_AVAILABLE, uniqueName, type TestDatabase } from '../helpers.js';
import { createNotesTable, notesApp, notesResource, openTestKeygate } from '../http/notes-fixture.js';

const NOT_PROVIDED = '{"detail":"Authentication credentials were not provided."}';
const FORBIDDEN = '{"detail":"You do not have permission to perform this action."}';

describe('isOwner and isOwnerOrReadOnly', () => {
  const user = { id: 7 } as User;
  const other = { id: 8 } as User;
  it('compare the named field with the user id', () => {
    const mine = { author: 7 };
    assert.equal(isOwner('author').hasObjectPermission?.({ method: 'GET', user }, mine), true);
    assert.equal(isOwner('author').hasObjectPermission?.({ method: 'GET', user: other }, mine), false);
    assert.equal(isOwner().hasObjectPermission?.({ method: 'GET', user }, mine), false);
    assert.equal(isOwner().hasPermission({ method: 'GET', user: null }), false);
    const readOnly = isOwnerOrReadOnly('author');
    assert.equal(readOnly.hasPermission({ method: 'DELETE', user: null }), true);
    assert.equal(readOnly.hasObjectPermission?.({ method: 'HEAD', user: null }, mine), true);
    assert.equal(readOnly.hasObjectPermission?.({ method: 'PATCH', user: other }, mine), false);
    assert.equal(readOnly.hasObjectPermission?.({ method: 'PATCH', user }, mine), true);
  });
  it('refuse with 401 for an anonymous request, 403 otherwise (DRF permission_denied)', () => {
    const permissions = [isOwner()];
    assert.throws(
      () => checkObjectPermissions({ method: 'GET', user: null }, permissions, {}),
      NotAuthenticated,
    );
    assert.throws(
      () => checkObjectPermissions({ method: 'GET', user: other }, permissions, { owner: 7 }),
      PermissionDenied,
    );
    checkObjectPermissions({ method: 'GET', user }, permissions, { owner: 7 });
  });
});

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe(
    `object permissions over HTTP [${dialect}]`,
    { skip: dialect === 'postgres' && !POSTGRES_AVAILABLE },
    () => {
      let keygate: Keygate;
      let database: TestDatabase;
      const apps: Record<'tutorial' | 'private' | 'loose', FastifyInstance> = {} as never;
      let alice: { id: number; key: string };
      let bob: { id: number; key: string };

      before(async () => {
        ({ keygate, database } = await openTestKeygate(dialect));
        const person = async () => {
          const username = uniqueName('owner');
          const user = await keygate.users.createUser({
            username,
            email: `${username}@example.com`,
            password: 'x-Pass-1234',
          });
          return { id: user.id, key: (await keygate.tokens.getOrCreate(user)).key };
        };
        alice = await person();
        bob = await person();
        const permissions = {
          tutorial: [IsAuthenticatedOrReadOnly, isOwnerOrReadOnly()],
          private: [isOwner()],
          loose: [isOwnerOrReadOnly()],
        } as const;
        for (const table of ['tutorial', 'private', 'loose'] as const) {
          await createNotesTable(keygate, table);
          const resource = notesResource(keygate, table);
          apps[table] = await notesApp(
            keygate,
            {
              ...resource,
              access: { ...resource.access, permissions: permissions[table] },
            },
            { sessions: true, browsableApi: true },
          );
        }
      });

      after(async () => {
        for (const app of Object.values(apps)) await app.close();
        await keygate.close();
        await database.drop();
      });

      const call = (
        table: keyof typeof apps,
        method: string,
        url: string,
        who?: { key: string },
        payload?: object,
      ) =>
        apps[table].inject({
          method: method as 'GET',
          url: `/${table}/${url}`,
          headers: who ? { authorization: `Token ${who.key}` } : {},
          ...(payload && { payload }),
        });
      const create = async (table: keyof typeof apps): Promise<number> => {
        const created = await call(table, 'POST', '', alice, { title: 'mine', body: 'b' });
        assert.equal(created.statusCode, 201, created.body);
        const note = created.json<{ id: number; owner: number }>();
        assert.equal(note.owner, alice.id, 'the owner is set from the request user');
        return note.id;
      };

      it('lets anyone read but only the owner write (IsAuthenticatedOrReadOnly + IsOwnerOrReadOnly)', async () => {
        const id = await create('tutorial');
        for (const who of [alice, bob, undefined])
          assert.equal((await call('tutorial', 'GET', `${id}/`, who)).statusCode, 200);
        for (const [method, payload] of [
          ['PUT', { title: 'bob' }],
          ['PATCH', { title: 'bob' }],
          ['DELETE', undefined],
        ] as const) {
          const refused = await call('tutorial', method, `${id}/`, bob, payload);
          assert.equal(refused.statusCode, 403, method);
          assert.equal(refused.body, FORBIDDEN);
          const anonymous = await call('tutorial', method, `${id}/`, undefined, payload);
          assert.equal(anonymous.statusCode, 401, method);
          assert.equal(anonymous.body, NOT_PROVIDED);
        }
        // The object is checked before the body: an invalid body from another user is still a 403.
        assert.equal((await call('tutorial', 'PUT', `${id}/`, bob, { title: 5 })).statusCode, 403);
        // And a missing object is a 404 before any permission on it.
        assert.equal((await call('tutorial', 'PUT', '999999/', bob, { title: 'x' })).statusCode, 404);
        const put = await call('tutorial', 'PUT', `${id}/`, alice, { title: 'renamed' });
        assert.equal(put.statusCode, 200, put.body);
        assert.deepEqual(put.json(), { id, title: 'renamed', body: 'b', owner: alice.id });
        const patched = await call('tutorial', 'PATCH', `${id}/`, alice, { body: 'new' });
        assert.deepEqual(patched.json(), { id, title: 'renamed', body: 'new', owner: alice.id });
        assert.equal((await call('tutorial', 'DELETE', `${id}/`, alice)).statusCode, 204);
        assert.equal((await call('tutorial', 'GET', `${id}/`, alice)).statusCode, 404);
      });

      it('describes PUT in OPTIONS only to the user the object check lets change it', async () => {
        const id = await create('tutorial');
        const actions = async (who?: { key: string }) => {
          const response = await call('tutorial', 'OPTIONS', `${id}/`, who);
          assert.equal(response.statusCode, 200, response.body);
          return Object.keys(response.json<{ actions?: object }>().actions ?? {});
        };
        assert.deepEqual(await actions(alice), ['PUT']);
        assert.deepEqual(await actions(bob), []);
        assert.deepEqual(await actions(), []);
        const list = await call('tutorial', 'OPTIONS', '', bob);
        assert.deepEqual(Object.keys(list.json<{ actions: object }>().actions), ['POST']);
      });

      it("shows the browsable API's PUT form only to the user the object check lets change it", async () => {
        const id = await create('tutorial');
        const page = async (who: { key: string }) => {
          const response = await apps.tutorial.inject({
            url: `/tutorial/${id}/`,
            headers: { authorization: `Token ${who.key}`, accept: 'text/html' },
          });
          assert.equal(response.statusCode, 200, response.body);
          assert.match(String(response.headers['content-type']), /^text\/html/);
          return response.body;
        };
        assert.match(await page(alice), /data-method="PUT"/);
        assert.doesNotMatch(await page(bob), /data-method="(PUT|PATCH|DELETE)"/);
      });

      it('refuses reading to anyone but the owner with isOwner', async () => {
        const id = await create('private');
        assert.equal((await call('private', 'GET', `${id}/`, alice)).statusCode, 200);
        const other = await call('private', 'GET', `${id}/`, bob);
        assert.equal(other.statusCode, 403);
        assert.equal(other.body, FORBIDDEN);
        assert.equal((await call('private', 'GET', `${id}/`)).statusCode, 401);
        assert.equal((await call('private', 'GET', '', bob)).statusCode, 200, 'the list has no object check');
      });

      it('answers 401 with the challenge when the object check refuses an anonymous request', async () => {
        const id = await create('loose');
        const refused = await call('loose', 'PATCH', `${id}/`, undefined, { title: 'anon' });
        assert.equal(refused.statusCode, 401);
        assert.equal(refused.body, NOT_PROVIDED);
        assert.equal(refused.headers['www-authenticate'], 'Token');
        assert.equal((await call('loose', 'GET', `${id}/`)).statusCode, 200);
      });
    },
  );
}
