// The users section's form pages (Django's UserAdmin views): add with the password typed twice,
// change, and the separate change-password page.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DoesNotExist, NotFound, ValidationError, type FieldErrors } from '../errors.js';
import type { User } from '../users/user.js';
import type { UserDetails } from '../users/user-input.js';
import { adminUser, field, formData, redirectTo, sendAdminPage } from './admin-page.js';
import { afterSave, nonFieldErrors, withErrors, type FormField } from './change-form.js';
import { flash } from './flash.js';
import {
  addFields,
  addFormErrors,
  changedValues,
  changeFields,
  changeFormErrors,
  passwordFields,
  passwordFormErrors,
  sentChangeValues,
  textList,
  underPasswordField,
  valuesOf,
  type ChangeValues,
} from './user-forms.js';
import type { UserPagesDeps } from './user-pages-deps.js';

/** Registers `/users/add/`, `/users/:id/change/` and `/users/:id/password/`. */
export function registerUserPages(admin: FastifyInstance, deps: UserPagesDeps): void {
  const { users, urls, crumbs, record, targetOf } = deps;
  const { db } = deps.database;

  function formPage(
    request: FastifyRequest,
    reply: FastifyReply,
    page: { title: string; crumb: string; subtitle?: string; submitLabel?: string },
    form: {
      fields: readonly FormField[];
      errors?: FieldErrors;
      links?: { label: string; href: string }[];
      deleteHref?: string | null;
      moreButtons?: boolean;
    },
  ): FastifyReply {
    const errors = form.errors ?? {};
    return sendAdminPage(
      request,
      reply,
      'change-form',
      { title: page.title, breadcrumbs: [...crumbs, { label: page.crumb }] },
      {
        form: {
          action: request.url,
          fields: withErrors(form.fields, errors),
          nonFieldErrors: nonFieldErrors(form.fields, errors),
          links: form.links,
          deleteHref: form.deleteHref ?? null,
          moreButtons: form.moreButtons ?? true,
          submitLabel: page.submitLabel,
        },
        subtitle: page.subtitle ?? null,
      },
    );
  }

  function changePage(
    request: FastifyRequest,
    reply: FastifyReply,
    user: User,
    values: ChangeValues,
    errors: FieldErrors = {},
  ): FastifyReply {
    const actor = adminUser(request);
    return formPage(
      request,
      reply,
      { title: 'Change user', crumb: user.username, subtitle: user.username },
      {
        fields: changeFields(user, values, actor.isSuperuser),
        errors,
        links: [{ label: 'Change password', href: urls.password(user.id) }],
        deleteHref: user.id === actor.id ? null : urls.delete(user.id),
      },
    );
  }

  admin.route({
    method: ['GET', 'HEAD', 'POST'],
    url: '/users/add/',
    schema: { hide: true },
    async handler(request, reply) {
      const page = { title: 'Add user', crumb: 'Add user' };
      const help = users.passwordHelpTexts();
      if (request.method !== 'POST') return formPage(request, reply, page, { fields: addFields('', help) });
      const data = formData(request);
      const username = field(data, 'username').trim();
      const password = field(data, 'password1');
      const errors = await addFormErrors(
        username,
        password,
        field(data, 'password2'),
        async (name) => (await users.findByUsername(name)) !== undefined,
        (candidate, name) => users.passwordErrors(candidate, { username: name }),
      );
      if (Object.keys(errors).length > 0) {
        return formPage(request, reply, page, { fields: addFields(username, help), errors });
      }
      const actor = adminUser(request);
      let created: User;
      try {
        // The slow hash first: the transaction (with its write lock, on SQLite) opens after it.
        const prepared = await users.preparePassword(password, { username });
        created = await db.transaction().execute(async (trx) => {
          const user = await users.createUser({ username, password: prepared }, { trx });
          await record(trx, actor, user, 'added');
          return user;
        });
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        const fields = addFields(username, help);
        return formPage(request, reply, page, { fields, errors: underPasswordField(error.fields) });
      }
      // Django's UserAdmin continues to the change page after "Save": the rest is edited there.
      const next = data._addanother === undefined ? { ...data, _continue: '1' } : data;
      return afterSave(
        reply,
        next,
        { list: urls.list, change: urls.change(created.id), add: urls.add },
        `The user “${created.username}” was added successfully.`,
      );
    },
  });

  admin.route({
    method: ['GET', 'HEAD', 'POST'],
    url: '/users/:id/change/',
    schema: { hide: true },
    async handler(request, reply) {
      const user = await targetOf(request);
      if (request.method !== 'POST') return changePage(request, reply, user, valuesOf(user));
      const actor = adminUser(request);
      const data = formData(request);
      const before = valuesOf(user);
      const sent = sentChangeValues(data, before, actor.isSuperuser);
      const errors = changeFormErrors(sent);
      if (Object.keys(errors).length > 0) return changePage(request, reply, user, sent, errors);

      const changed = changedValues(before, sent);
      const message = changed.length === 0 ? 'No fields changed.' : `Changed ${textList(changed)}.`;
      if (changed.length === 0) {
        await db.transaction().execute((trx) => record(trx, actor, user, 'changed', message));
      } else {
        const details: UserDetails = {
          email: sent.email,
          firstName: sent.first_name,
          lastName: sent.last_name,
          isActive: sent.is_active,
          ...(actor.isSuperuser && { isStaff: sent.is_staff, isSuperuser: sent.is_superuser }),
        };
        try {
          await db.transaction().execute(async (trx) => {
            const updated = await users.updateDetails(user, details, { trx });
            await record(trx, actor, updated, 'changed', message);
          });
        } catch (error) {
          if (error instanceof DoesNotExist) throw new NotFound();
          if (!(error instanceof ValidationError)) throw error;
          return changePage(request, reply, user, sent, error.fields);
        }
      }
      return afterSave(
        reply,
        data,
        { list: urls.list, change: urls.change(user.id), add: urls.add },
        `The user “${user.username}” was changed successfully.`,
      );
    },
  });

  admin.route({
    method: ['GET', 'HEAD', 'POST'],
    url: '/users/:id/password/',
    schema: { hide: true },
    async handler(request, reply) {
      const user = await targetOf(request);
      const page = {
        title: `Change password: ${user.username}`,
        crumb: 'Change password',
        subtitle: `Enter a new password for the user ${user.username}.`,
        submitLabel: 'Change password',
      };
      const fields = passwordFields('Password', 'Password (again)', users.passwordHelpTexts());
      if (request.method !== 'POST') return formPage(request, reply, page, { fields, moreButtons: false });
      const data = formData(request);
      const password = field(data, 'password1');
      const errors = passwordFormErrors(password, field(data, 'password2'), (candidate) =>
        users.passwordErrors(candidate, user),
      );
      if (Object.keys(errors).length > 0) {
        return formPage(request, reply, page, { fields, errors, moreButtons: false });
      }
      const actor = adminUser(request);
      let updated: User;
      try {
        const prepared = await users.preparePassword(password, user);
        updated = await db.transaction().execute(async (trx) => {
          const changed = await users.changePassword(user, prepared, { trx });
          await record(trx, actor, changed, 'changed', 'Changed password.');
          return changed;
        });
      } catch (error) {
        if (error instanceof DoesNotExist) throw new NotFound();
        if (!(error instanceof ValidationError)) throw error;
        const refused = underPasswordField(error.fields);
        return formPage(request, reply, page, { fields, errors: refused, moreButtons: false });
      }
      // The change ended every session of the user; keep the admin's own (update_session_auth_hash).
      if (updated.id === actor.id) await request.server.sessions.start(request, reply, updated);
      flash(reply, { level: 'success', text: 'Password changed successfully.' });
      return redirectTo(reply, urls.change(updated.id));
    },
  });
}
