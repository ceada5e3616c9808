// The users section's special cases, as hooks on the engine (Django's UserAdmin): the add form
// with the password typed twice (hashed before the transaction), accounts created, changed and
// deleted through the user service, the change-password page, and never deleting one's own account.
import type { FastifyInstance } from 'fastify';
import type { UserRow } from '../db/schema.js';
import { DoesNotExist, NotFound, ValidationError, type FieldErrors } from '../errors.js';
import type { PreparedPassword } from '../users/passwords.js';
import { toUser, type User } from '../users/user.js';
import type { UserDetails } from '../users/user-input.js';
import { usernameErrors } from '../users/user-validation.js';
import { adminUser, field, formData, redirectTo, sendAdminPage } from './admin-page.js';
import { sectionUrls, type AdminContext } from './admin-section.js';
import { afterSave, nonFieldErrors, withErrors } from './change-form.js';
import { flash } from './flash.js';
import type { AdminFormField, ModelAdminDefinition } from './model-admin-types.js';
import { SELF_DELETE } from './user-deletion.js';
import {
  NAME_MAX_LENGTH,
  passwordFields,
  passwordFormErrors,
  REQUIRED,
  underPasswordField,
  USERNAME_TAKEN,
} from './user-forms.js';

/** A password field of the add form: required, never shown again; `clean` compares the two. */
function passwordField(
  name: 'password1' | 'password2',
  label: string,
  help?: string,
): AdminFormField<UserRow> {
  return {
    name,
    label,
    kind: 'password',
    required: true,
    widget: { autocomplete: 'new-password' },
    ...(help !== undefined && { help }),
    show: () => '',
    parse: (raw) => (raw === undefined || raw === '' ? { errors: [REQUIRED] } : { value: raw }),
  };
}

/** The users section's hooks, which need the app's user service. */
export function configureUserAdmin(
  scope: FastifyInstance,
  { root }: AdminContext,
): Partial<ModelAdminDefinition<UserRow>> {
  const { users } = scope.keygate;
  const base = sectionUrls(root, 'users');
  const urls = { ...base, password: (id: number) => `${base.list}${id}/password/` };
  const helpTexts = users.passwordHelpTexts();
  const [first, second] = passwordFields('Password', 'Password confirmation', helpTexts);

  return {
    addFields: [
      {
        name: 'username',
        strip: true,
        label: 'Username',
        kind: 'text',
        required: true,
        widget: { maxlength: NAME_MAX_LENGTH, autocomplete: 'off' },
        help: 'Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only.',
        show: (row) => row.username,
        async parse(raw) {
          const username = (raw ?? '').trim();
          const invalid = username === '' ? [REQUIRED] : usernameErrors(username);
          if (invalid.length > 0) return { errors: invalid };
          // Checked with the other fields, as Django's form does; the unique index decides a race.
          if ((await users.findByUsername(username)) !== undefined) return { errors: [USERNAME_TAKEN] };
          return { value: username };
        },
      },
      passwordField('password1', first!.label, first!.help),
      passwordField('password2', second!.label, second!.help),
    ],
    // Django's UserCreationForm: the passwords match, then the validators, which compare with
    // the username only when it is acceptable; the slow hash before the transaction opens.
    async clean(sent, { values, errors }, { row }) {
      // Only the add form has passwords; the change form's fields are checked one by one.
      if (row !== undefined) return { values, errors };
      const username = typeof values.username === 'string' ? values.username : '';
      // The two password fields are checked together, as Django's form does.
      const fieldErrors = Object.fromEntries(
        Object.entries(errors).filter(([name]) => name !== 'password1' && name !== 'password2'),
      );
      const passwordErrors = passwordFormErrors(sent.password1 ?? '', sent.password2 ?? '', (candidate) =>
        users.passwordErrors(candidate, { username }),
      );
      const all: FieldErrors = { ...fieldErrors, ...passwordErrors };
      if (Object.keys(all).length > 0) return { values, errors: all };
      try {
        const prepared = await users.preparePassword(sent.password1 ?? '', { username });
        return { values: { username, password: prepared }, errors: {} };
      } catch (error) {
        if (error instanceof ValidationError) return { values, errors: underPasswordField(error.fields) };
        throw error;
      }
    },
    async insert(values, { trx }) {
      try {
        const user = await users.createUser(
          { username: values.username as string, password: values.password as PreparedPassword },
          { trx },
        );
        return { id: user.id };
      } catch (error) {
        if (error instanceof ValidationError) throw new ValidationError(underPasswordField(error.fields));
        throw error;
      }
    },
    async update(values, { row, user: actor, trx }) {
      const user = toUser(row!);
      const details: UserDetails = {
        email: values.email as string,
        firstName: values.first_name as string,
        lastName: values.last_name as string,
        isActive: values.is_active as boolean,
        ...(actor.isSuperuser && {
          isStaff: values.is_staff as boolean,
          isSuperuser: values.is_superuser as boolean,
        }),
      };
      const unchanged =
        details.email === user.email &&
        details.firstName === user.firstName &&
        details.lastName === user.lastName &&
        details.isActive === user.isActive &&
        (details.isStaff ?? user.isStaff) === user.isStaff &&
        (details.isSuperuser ?? user.isSuperuser) === user.isSuperuser;
      if (!unchanged) await users.updateDetails(user, details, { trx });
    },
    async delete(rows, trx) {
      const deleted = await users.deleteUsers(rows.map(toUser), { trx });
      const gone = new Set(deleted.map((user) => user.id));
      return rows.filter((row) => gone.has(Number(row.id)));
    },
    // The confirmation lists each user's tokens by their hint: a key is never shown here.
    async deleteRelated(ids) {
      const tokens = await scope.keygate.database.db
        .selectFrom('tokens')
        .select(['user_id', 'hint'])
        .where('user_id', 'in', ids)
        .orderBy('id')
        .execute();
      const related = new Map<number, string[]>();
      for (const token of tokens) {
        const userId = Number(token.user_id);
        related.set(userId, [...(related.get(userId) ?? []), `Token: ${token.hint}…`]);
      }
      return related;
    },
    beforeDelete(request, reply, ids) {
      const actor = adminUser(request);
      if (!ids.includes(actor.id)) return null;
      flash(reply, { level: 'error', text: SELF_DELETE });
      const page = request.routeOptions.url?.endsWith('/:id/delete/') === true;
      return redirectTo(reply, page ? urls.change(actor.id) : request.url);
    },
    formLinks: (row) => [{ label: 'Change password', href: urls.password(Number(row.id)) }],
    respondToSave(request, reply, { row, adding, message }) {
      if (!adding) return null;
      // Django's UserAdmin continues to the change page after "Save": the rest is edited there.
      const data = formData(request);
      const next = data._addanother === undefined ? { ...data, _continue: '1' } : data;
      const id = Number(row.id);
      return afterSave(reply, next, { list: urls.list, change: urls.change(id), add: urls.add }, message);
    },
    extraRoutes(admin, engine) {
      admin.route({
        method: ['GET', 'HEAD', 'POST'],
        url: '/users/:id/password/',
        schema: { hide: true },
        async handler(request, reply) {
          const row = await engine.rowOf(request);
          const user = toUser(row);
          const fields = passwordFields('Password', 'Password (again)', helpTexts);
          const page = (errors: FieldErrors = {}) =>
            sendAdminPage(
              request,
              reply,
              'change-form',
              {
                title: `Change password: ${user.username}`,
                breadcrumbs: [...engine.crumbs, { label: 'Change password' }],
              },
              {
                form: {
                  action: request.url,
                  fields: withErrors(fields, errors),
                  nonFieldErrors: nonFieldErrors(fields, errors),
                  deleteHref: null,
                  moreButtons: false,
                  submitLabel: 'Change password',
                },
                subtitle: `Enter a new password for the user ${user.username}.`,
              },
            );
          if (request.method !== 'POST') return page();
          const data = formData(request);
          const password = field(data, 'password1');
          const errors = passwordFormErrors(password, field(data, 'password2'), (candidate) =>
            users.passwordErrors(candidate, user),
          );
          if (Object.keys(errors).length > 0) return page(errors);
          const actor = adminUser(request);
          let updated: User;
          try {
            const prepared = await users.preparePassword(password, user);
            updated = await engine.db.transaction().execute(async (trx) => {
              const changed = await users.changePassword(user, prepared, { trx });
              await engine.record(trx, actor, row, 'changed', 'Changed password.');
              return changed;
            });
          } catch (error) {
            if (error instanceof DoesNotExist) throw new NotFound();
            if (!(error instanceof ValidationError)) throw error;
            return page(underPasswordField(error.fields));
          }
          // The change ended every session of the user; keep the admin's own (update_session_auth_hash).
          if (updated.id === actor.id) await request.server.sessions.start(request, reply, updated);
          flash(reply, { level: 'success', text: 'Password changed successfully.' });
          return redirectTo(reply, urls.change(updated.id));
        },
      });
    },
  };
}
