// Users in the admin (Django's UserAdmin): the section, and what its pages share: URLs, the log
// record, the target user an admin may manage, and the deleter. The pages are in user-list.ts and
// user-pages.ts.
import type { FastifyInstance } from 'fastify';
import { NotFound, PermissionDenied } from '../errors.js';
import { adminUser, objectId, redirectTo } from './admin-page.js';
import { sectionUrls, type AdminContext, type AdminSection } from './admin-section.js';
import { handleDeletePage } from './deletion.js';
import { flash } from './flash.js';
import { createUserDeleter, mayManage, SELF_DELETE, SUPERUSER_ONLY } from './user-deletion.js';
import type { UserPagesDeps } from './user-pages-deps.js';
import { registerUserList } from './user-list.js';
import { registerUserPages } from './user-pages.js';

/** The users section. */
export const userAdmin: AdminSection = {
  slug: 'users',
  name: 'Users',
  contentType: 'user',
  app: { label: 'auth', name: 'Authentication and authorization' },
  register: registerUserAdmin,
};

/** Registers the users section's pages. */
function registerUserAdmin(admin: FastifyInstance, { log, root }: AdminContext): void {
  const { users, database } = admin.keygate;
  const base = sectionUrls(root, 'users');
  const urls = { ...base, password: (id: number) => `${base.list}${id}/password/` };

  const record: UserPagesDeps['record'] = async (trx, actor, user, action, message) => {
    await log.record(trx, {
      actor,
      contentType: 'user',
      objectId: user.id,
      objectRepr: user.username,
      action,
      message,
    });
  };

  const deps: UserPagesDeps = {
    users,
    database,
    urls,
    crumbs: [{ label: 'Users', href: urls.list }],
    record,
    async targetOf(request) {
      const id = objectId((request.params as { id?: string }).id);
      const user = id === null ? undefined : await users.findById(id);
      if (user === undefined) throw new NotFound();
      if (!mayManage(adminUser(request), user)) throw new PermissionDenied(SUPERUSER_ONLY);
      return user;
    },
    deleterFor: createUserDeleter({
      db: database.db,
      users,
      listPath: urls.list,
      changeUrl: urls.change,
      recordDeletion: (trx, actor, user) => record(trx, actor, user, 'deleted'),
    }),
  };

  registerUserList(admin, deps);
  registerUserPages(admin, deps);

  admin.route({
    method: ['GET', 'HEAD', 'POST'],
    url: '/users/:id/delete/',
    schema: { hide: true },
    async handler(request, reply) {
      const user = await deps.targetOf(request);
      const actor = adminUser(request);
      if (user.id === actor.id) {
        flash(reply, { level: 'error', text: SELF_DELETE });
        return redirectTo(reply, urls.change(user.id));
      }
      const answered = await handleDeletePage(request, reply, deps.deleterFor(actor), user.id, deps.crumbs);
      if (answered === null) throw new NotFound();
      return answered;
    },
  });
}
