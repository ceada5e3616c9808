// The users section's change list (Django's UserAdmin list): search, staff/superuser/active
// filters, sorting, and the "delete selected" action, which never deletes the admin's own account.
import type { FastifyInstance } from 'fastify';
import { adminUser, field, fieldValues, formData, redirectTo } from './admin-page.js';
import {
  readListParams,
  selectedIds,
  sendChangeList,
  type ListPage,
  type ListSpec,
  type Row,
} from './change-list.js';
import { DELETE_SELECTED, handleListAction } from './deletion.js';
import { flash } from './flash.js';
import { SELF_DELETE } from './user-deletion.js';
import type { UserPagesDeps } from './user-pages-deps.js';

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

/** Registers `/users/`, the list and its bulk action. */
export function registerUserList(admin: FastifyInstance, deps: UserPagesDeps): void {
  const { database } = deps;
  const { db } = database;
  const { urls, crumbs } = deps;
  const page: ListPage = { path: urls.list, noun: 'user', nouns: 'users', crumb: 'Users', addHref: urls.add };

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
        return handleListAction(request, reply, deps.deleterFor(actor), crumbs);
      }
      const params = readListParams(request.query, SPEC);
      let query = db.selectFrom('users');
      // Django's search: every word must match one of the columns.
      for (const word of params.q.split(/\s+/).filter(Boolean).slice(0, MAX_SEARCH_WORDS)) {
        query = query.where((eb) => eb.or(SEARCH_COLUMNS.map((column) => database.contains(column, word))));
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
            { text: row.username, href: urls.change(id) },
            { text: row.email },
            { text: row.first_name },
            { text: row.last_name },
            { text: staff ? 'Yes' : 'No', flag: staff },
          ],
        };
      });
      return sendChangeList(request, reply, page, {
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
}
