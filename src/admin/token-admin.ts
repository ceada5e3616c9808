// Tokens in the admin, declared for the engine (model-admin.ts). Token pages are named by the
// token's numeric id: a key never appears in a URL, a redirect, a log entry or an error. A
// superuser's tokens are for superusers only: the key acts as its owner on the API. The special
// pages (a read-only token page, regenerate, the key shown once, the user picker) are in
// token-pages.ts.
import { JOINED_TOKEN_COLUMNS } from '../authtoken/token.js';
import type { User } from '../users/user.js';
import { shownTime } from './admin-page.js';
import type { AdminSection } from './admin-section.js';
import { modelAdmin } from './model-admin.js';
import { CREATED_CHOICES, createdRange } from './token-admin-queries.js';
import {
  configureTokenAdmin,
  mayManageTokenOf,
  SUPERUSER_TOKENS_ONLY,
  tokenRepr,
  type TokenAdminRow,
} from './token-pages.js';

const mayManageRow = (actor: User, row?: TokenAdminRow) =>
  row === undefined || mayManageTokenOf(actor, { isSuperuser: Boolean(row.is_superuser) });

/** The tokens section. */
export const tokenAdmin: AdminSection = modelAdmin<TokenAdminRow>(
  {
    slug: 'tokens',
    name: 'Tokens',
    singular: 'token',
    contentType: 'token',
    app: { label: 'tokens', name: 'Auth token' },
    table: 'tokens',
    from: (db) => db.selectFrom('tokens as t').innerJoin('users as u', 'u.id', 't.user_id'),
    columns: [...JOINED_TOKEN_COLUMNS, 'u.username', 'u.is_superuser'],
    idReference: 't.id',
    objectRepr: (row) => tokenRepr(row.username),
    label: (row) => `${tokenRepr(row.username)} (${row.hint}…)`,
    listDisplay: [
      { label: 'User', cell: (row) => row.username, sort: { key: 'user', column: 'u.username' } },
      {
        label: 'Name',
        cell: (row) => (row.name === '' ? '—' : row.name),
        when: (scope) => scope.keygate.tokens.policy.namedTokens,
      },
      { label: 'Key', cell: (row) => `${row.hint}…` },
      {
        label: 'Created',
        cell: (row) => shownTime(row.created),
        sort: { key: 'created', column: 't.created' },
      },
      {
        label: 'Last used',
        cell: (row) => shownTime(row.last_used_at),
        // "Never used" sorts as the oldest on both databases.
        sort: { key: 'last_used', column: 't.last_used_at', nullsOldest: true },
      },
    ],
    searchFields: ['u.username'],
    searchPlaceholder: 'Search by username',
    listFilter: [
      {
        param: 'created',
        title: 'By created',
        choices: CREATED_CHOICES,
        where(eb, value, now) {
          const range = createdRange(value, now)!;
          return eb.and([eb('t.created', '>=', range.since), eb('t.created', '<', range.until)]);
        },
      },
    ],
    ordering: { key: 'created', descending: true },
    // The add form's fields are set by configureTokenAdmin (they need the app's services).
    fields: [],
    addTemplate: 'token-add',
    permissionDeniedMessage: SUPERUSER_TOKENS_ONLY,
    hasViewPermission: mayManageRow,
    hasDeletePermission: mayManageRow,
    // A token is never edited: it is regenerated or deleted.
    hasChangePermission: () => false,
  },
  configureTokenAdmin,
);
