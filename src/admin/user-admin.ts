// Users in the admin (Django's UserAdmin): list (search, staff/superuser/active filters, sorting),
// add with the password typed twice, change, a separate change-password page, and delete.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { DoesNotExist, NotFound, PermissionDenied, ValidationError, type FieldErrors } from '../errors.js';
import type { User } from '../users/user.js';
import type { UserDetails } from '../users/user-service.js';
import type { AdminContext } from './admin-site.js';
import {
  adminUser,
  field,
  fieldValues,
  formData,
  objectId,
  redirectTo,
  sendAdminPage,
  type Crumb,
} from './admin-page.js';
import {
  readListParams,
  selectedIds,
  sendChangeList,
  type ListPage,
  type ListSpec,
  type Row,
} from './change-list.js';
import { afterSave, nonFieldErrors, withErrors, type FormField } from './change-form.js';
import { DELETE_SELECTED, handleDeletePage, handleListAction } from './deletion.js';
import { flash } from './flash.js';
import { likeContains } from './search.js';
import { createUserDeleter, mayManage, SELF_DELETE, SUPERUSER_ONLY } from './user-deletion.js';
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

const LIST = '/admin/users/';
const ADD = '/admin/users/add/';
const changeUrl = (id: number) => `/admin/users/${id}/change/`;
const passwordUrl = (id: number) => `/admin/users/${id}/password/`;
const deleteUrl = (id: number) => `/admin/users/${id}/delete/`;
const CRUMBS: readonly Crumb[] = [{ label: 'Users', href: LIST }];
const PAGE: ListPage = { path: LIST, noun: 'user', nouns: 'users', crumb: 'Users', addHref: ADD };

type Sort = 'username' | 'email' | 'first_name' | 'last_name' | 'is_staff';
const YES_NO = [
  { value: '1', label: 'Yes' },
  { value: '0', label: 'No' },
] as const;
const FILTER_COLUMNS = {
  is_staff__exact: 'is_staff',
  is_superuser__exact: 'is_superuser',
  is_active__exact: 'is_active',
} as const;
const SEARCH_COLUMNS = ['username', 'email', 'first_name', 'last_name'] as const;
/** Words of a search beyond this many are ignored (each one is a scan of four columns). */
const MAX_SEARCH_WORDS = 5;

const SPEC: ListSpec<Sort> = {
  sortable: ['username', 'email', 'first_name', 'last_name', 'is_staff'],
  defaultSort: { field: 'username', descending: false },
  filters: [
    { param: 'is_staff__exact', title: 'By staff status', choices: YES_NO },
    { param: 'is_superuser__exact', title: 'By superuser status', choices: YES_NO },
    { param: 'is_active__exact', title: 'By active', choices: YES_NO },
  ],
  searchPlaceholder: 'Search username, email or name',
};

/** Registers the users section. */
export function registerUserAdmin(admin: FastifyInstance, { log }: AdminContext): void {
  const { users, database } = admin.keygate;
  const { db, dialect } = database;

  async function record(
    trx: Transaction<Database>,
    actor: User,
    user: User,
    action: 'added' | 'changed' | 'deleted',
    message?: string,
  ) {
    await log.record(trx, {
      actor,
      contentType: 'user',
      objectId: user.id,
      objectRepr: user.username,
      action,
      message,
    });
  }

  /** The user the URL names, if the admin may manage them; 404 or 403 otherwise. */
  async function targetOf(request: FastifyRequest): Promise<User> {
    const id = objectId((request.params as { id?: string }).id);
    const user = id === null ? undefined : await users.findById(id);
    if (user === undefined) throw new NotFound();
    if (!mayManage(adminUser(request), user)) throw new PermissionDenied(SUPERUSER_ONLY);
    return user;
  }

  const deleterFor = createUserDeleter({
    db,
    users,
    listPath: LIST,
    changeUrl,
    recordDeletion: (trx, actor, user) => record(trx, actor, user, 'deleted'),
  });

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
      { title: page.title, breadcrumbs: [...CRUMBS, { label: page.crumb }] },
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
        links: [{ label: 'Change password', href: passwordUrl(user.id) }],
        deleteHref: user.id === actor.id ? null : deleteUrl(user.id),
      },
    );
  }

  admin.route({
    method: ['GET', 'HEAD', 'POST'],
    url: '/users/',
    schema: { hide: true },
    async handler(request, reply) {
      const actor = adminUser(request);
      if (request.method === 'POST') {
        const data = formData(request);
        const chosen = selectedIds(fieldValues(data, '_selected_action'));
        if (field(data, 'action') === DELETE_SELECTED && chosen.includes(actor.id)) {
          flash(reply, { level: 'error', text: SELF_DELETE });
          return redirectTo(reply, request.url);
        }
        return handleListAction(request, reply, deleterFor(actor), CRUMBS);
      }
      const params = readListParams(request.query, SPEC);
      let query = db.selectFrom('users');
      // Django's search: every word must match one of the columns.
      for (const word of params.q.split(/\s+/).filter(Boolean).slice(0, MAX_SEARCH_WORDS)) {
        query = query.where((eb) =>
          eb.or(SEARCH_COLUMNS.map((column) => likeContains(column, word, dialect))),
        );
      }
      for (const [param, column] of Object.entries(FILTER_COLUMNS)) {
        const value = params.filters[param];
        if (value !== undefined) query = query.where(column, '=', value === '1');
      }
      const direction = params.sort.descending ? 'desc' : 'asc';
      const [counted, rows] = await Promise.all([
        query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
        query
          .select(['id', 'username', 'email', 'first_name', 'last_name', 'is_staff'])
          .orderBy(params.sort.field, direction)
          .orderBy('id', direction)
          .limit(params.limit)
          .offset(params.offset)
          .execute(),
      ]);
      const listed: Row[] = rows.map((row) => {
        const id = Number(row.id);
        const staff = Boolean(row.is_staff);
        return {
          id,
          label: row.username,
          cells: [
            { text: row.username, href: changeUrl(id) },
            { text: row.email },
            { text: row.first_name },
            { text: row.last_name },
            { text: staff ? 'Yes' : 'No', flag: staff },
          ],
        };
      });
      return sendChangeList(request, reply, PAGE, {
        params,
        spec: SPEC,
        columns: [
          { label: 'Username', sort: 'username' },
          { label: 'Email address', sort: 'email' },
          { label: 'First name', sort: 'first_name' },
          { label: 'Last name', sort: 'last_name' },
          { label: 'Staff status', sort: 'is_staff' },
        ],
        rows: listed,
        count: Number(counted.n),
      });
    },
  });

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
        { list: LIST, change: changeUrl(created.id), add: ADD },
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
        { list: LIST, change: changeUrl(user.id), add: ADD },
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
      return redirectTo(reply, changeUrl(updated.id));
    },
  });

  admin.route({
    method: ['GET', 'HEAD', 'POST'],
    url: '/users/:id/delete/',
    schema: { hide: true },
    async handler(request, reply) {
      const user = await targetOf(request);
      const actor = adminUser(request);
      if (user.id === actor.id) {
        flash(reply, { level: 'error', text: SELF_DELETE });
        return redirectTo(reply, changeUrl(user.id));
      }
      const answered = await handleDeletePage(request, reply, deleterFor(actor), user.id, CRUMBS);
      if (answered === null) throw new NotFound();
      return answered;
    },
  });
}
