// Users in the admin (Django's UserAdmin), declared for the engine (model-admin.ts). The special
// cases (the add form's password typed twice, accounts created and changed through the user
// service, the change-password page, never deleting one's own account) are hooks in user-pages.ts.
import type { UserRow } from '../db/schema.js';
import { USER_COLUMNS, type User } from '../users/user.js';
import { emailErrors, nullCharacterErrors } from '../users/user-validation.js';
import { shownTime, ticked } from './admin-page.js';
import type { AdminSection } from './admin-section.js';
import { modelAdmin } from './model-admin.js';
import type { AdminFormField, ParsedField } from './model-admin-types.js';
import { mayManage, SUPERUSER_ONLY } from './user-deletion.js';
import { NAME_MAX_LENGTH, textList } from './user-forms.js';
import { configureUserAdmin } from './user-pages.js';

const YES_NO = [
  { value: '1', label: 'Yes' },
  { value: '0', label: 'No' },
] as const;

/** Words of a search beyond this many are ignored (each one is a scan of four columns). */
const MAX_SEARCH_WORDS = 5;

/** Django's CheckboxInput: checked when sent with any value but '', 'false' or '0'. */
function checkboxField(raw: string | undefined): ParsedField {
  return { value: ticked(raw) };
}

const flag = (value: unknown) => (value ? 'on' : '');
const mayManageRow = (actor: User, row?: UserRow) =>
  row === undefined || mayManage(actor, { isSuperuser: Boolean(row.is_superuser) });
const superuserOnly = (actor: User) => actor.isSuperuser;

/** A name field: trimmed, no NUL, at most 150 characters (Django's CharField(max_length=150)). */
function nameField(name: 'first_name' | 'last_name', label: string): AdminFormField<UserRow> {
  return {
    name,
    label,
    kind: 'text',
    strip: true,
    widget: { maxlength: NAME_MAX_LENGTH, autocomplete: 'off' },
    show: (row) => row[name],
    parse(raw) {
      const text = (raw ?? '').trim();
      const nul = nullCharacterErrors(text);
      if (nul.length > 0) return { errors: nul };
      const length = [...text].length;
      return length > NAME_MAX_LENGTH
        ? { errors: [`Ensure this value has at most ${NAME_MAX_LENGTH} characters (it has ${length}).`] }
        : { value: text };
    },
  };
}

/** The users section. */
export const userAdmin: AdminSection = modelAdmin<UserRow>(
  {
    slug: 'users',
    name: 'Users',
    singular: 'user',
    contentType: 'user',
    app: { label: 'auth', name: 'Authentication and authorization' },
    table: 'users',
    columns: USER_COLUMNS,
    objectRepr: (row) => row.username,
    listDisplay: [
      { label: 'Username', cell: (row) => row.username, sort: { key: 'username', column: 'username' } },
      { label: 'Email address', cell: (row) => row.email, sort: { key: 'email', column: 'email' } },
      {
        label: 'First name',
        cell: (row) => row.first_name,
        sort: { key: 'first_name', column: 'first_name' },
      },
      { label: 'Last name', cell: (row) => row.last_name, sort: { key: 'last_name', column: 'last_name' } },
      {
        label: 'Staff status',
        cell: (row) => ({ text: row.is_staff ? 'Yes' : 'No', flag: Boolean(row.is_staff) }),
        sort: { key: 'is_staff', column: 'is_staff' },
      },
    ],
    searchFields: ['username', 'email', 'first_name', 'last_name'],
    searchWords: MAX_SEARCH_WORDS,
    searchPlaceholder: 'Search username, email or name',
    listFilter: (
      [
        ['is_staff', 'By staff status'],
        ['is_superuser', 'By superuser status'],
        ['is_active', 'By active'],
      ] as const
    ).map(([column, title]) => ({
      param: `${column}__exact`,
      title,
      choices: YES_NO,
      where: (eb, value) => eb(column, '=', value === '1'),
    })),
    ordering: { key: 'username', descending: false },
    fields: [
      {
        readonly: true,
        name: 'username',
        label: 'Username',
        show: (row) => row.username,
        help: 'Usernames cannot be changed.',
      },
      {
        name: 'email',
        strip: true,
        label: 'Email address',
        kind: 'email',
        widget: { maxlength: 254, autocomplete: 'off' },
        show: (row) => row.email,
        parse(raw) {
          const email = (raw ?? '').trim();
          const errors = emailErrors(email);
          return errors.length > 0 ? { errors } : { value: email };
        },
      },
      nameField('first_name', 'First name'),
      nameField('last_name', 'Last name'),
      {
        name: 'is_active',
        label: 'Active',
        kind: 'checkbox',
        help: 'Designates whether this user should be treated as active. Unselect this instead of deleting accounts.',
        show: (row) => flag(row.is_active),
        parse: checkboxField,
      },
      {
        name: 'is_staff',
        label: 'Staff status',
        kind: 'checkbox',
        help: 'Designates whether the user can log into this admin site.',
        show: (row) => flag(row.is_staff),
        parse: checkboxField,
        editable: superuserOnly,
      },
      {
        name: 'is_superuser',
        label: 'Superuser status',
        kind: 'checkbox',
        help: 'Designates that this user has all permissions without explicitly assigning them.',
        show: (row) => flag(row.is_superuser),
        parse: checkboxField,
        editable: superuserOnly,
      },
      {
        readonly: true,
        name: 'last_login',
        label: 'Last login',
        show: (row) => shownTime(row.last_login, 'Never'),
      },
      {
        readonly: true,
        name: 'date_joined',
        label: 'Date joined',
        show: (row) => shownTime(row.date_joined),
      },
    ],
    changeMessage: (changed) => `Changed ${textList(changed)}.`,
    permissionDeniedMessage: SUPERUSER_ONLY,
    hasViewPermission: mayManageRow,
    hasChangePermission: mayManageRow,
    // One's own account is never deleted (beforeDelete explains why, on the page).
    hasDeletePermission: (actor, row) =>
      row === undefined || (Number(row.id) !== actor.id && mayManageRow(actor, row)),
  },
  configureUserAdmin,
);
