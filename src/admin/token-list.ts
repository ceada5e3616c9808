// The tokens section's change list: search by username, the "By created" filter, sorting, and the
// "delete selected" action.
import type { FastifyInstance } from 'fastify';
import { shownTime } from './admin-page.js';
import { readListParams, sendChangeList, type ListPage, type ListSpec, type Row } from './change-list.js';
import { handleListAction } from './deletion.js';
import { CREATED_CHOICES, type TokenSort } from './token-admin-queries.js';
import { tokenLabel, type TokenPagesDeps } from './token-pages-deps.js';

const SPEC: ListSpec<TokenSort> = {
  sortable: ['user', 'created', 'last_used'],
  defaultSort: { field: 'created', descending: true },
  filters: [{ param: 'created', title: 'By created', choices: CREATED_CHOICES }],
  searchPlaceholder: 'Search by username',
};

/** Registers `/tokens/`, the list and its bulk action. */
export function registerTokenList(admin: FastifyInstance, deps: TokenPagesDeps): void {
  const { urls, crumbs, queries, deleter } = deps;
  const named = deps.tokens.policy.namedTokens;
  const { list, add } = urls;
  const page: ListPage = { path: list, noun: 'token', nouns: 'tokens', crumb: 'Tokens', addHref: add };

  admin.route({
    method: ['GET', 'HEAD', 'POST'],
    url: '/tokens/',
    schema: { hide: true },
    async handler(request, reply) {
      if (request.method === 'POST') return handleListAction(request, reply, deleter, crumbs);
      const params = readListParams(request.query, SPEC);
      const { rows, count } = await queries.list(params, new Date());
      const listed: Row[] = rows.map((t) => ({
        id: t.id,
        label: tokenLabel(t.username, t.hint),
        cells: [
          { text: t.username, href: urls.change(t.id) },
          ...(named ? [{ text: t.name === '' ? '—' : t.name }] : []),
          { text: `${t.hint}…` },
          { text: shownTime(t.created) },
          { text: shownTime(t.lastUsedAt) },
        ],
      }));
      const columns = [
        { label: 'User', sort: 'user' },
        ...(named ? [{ label: 'Name' }] : []),
        { label: 'Key' },
        { label: 'Created', sort: 'created' },
        { label: 'Last used', sort: 'last_used' },
      ];
      return sendChangeList(request, reply, page, { params, spec: SPEC, columns, rows: listed, count });
    },
  });
}
