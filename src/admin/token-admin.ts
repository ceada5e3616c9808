// Tokens in the admin: list (search by username, "By created" filter, sorting), add for a user
// picked by username, a read-only token page, regenerate and delete. Token pages are named by the
// token's numeric id: a key never appears in a URL, a redirect, a log entry or an error. A
// superuser's tokens are for superusers only: the key acts as its owner on the API.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { IssuedToken } from '../authtoken/token-service.js';
import { NotFound, ValidationError, type FieldErrors } from '../errors.js';
import type { User } from '../users/user.js';
import {
  adminUser,
  field,
  formData,
  objectId,
  redirectTo,
  sendAdminPage,
  shownTime,
  type Crumb,
} from './admin-page.js';
import { sectionUrls, type AdminContext, type AdminSection } from './admin-section.js';
import { readListParams, sendChangeList, type ListPage, type ListSpec, type Row } from './change-list.js';
import { nonFieldErrors, withErrors, type FormField } from './change-form.js';
import { handleListAction, registerDeletePage } from './deletion.js';
import { flash } from './flash.js';
import {
  CREATED_CHOICES,
  createTokenAdminQueries,
  type TokenSort,
  type TokenWithOwner,
} from './token-admin-queries.js';
import { checkTokenOwners, createTokenDeleter } from './token-deletion.js';

/** The user picker's script, loaded on token pages only. */
const SCRIPTS: readonly string[] = ['/static/admin-token.js'];

/** Django's ModelChoiceField error for a user that does not exist. */
export const INVALID_USER_CHOICE = 'Select a valid choice. That choice is not one of the available choices.';
/** The tokens table's `name` column. */
const NAME_MAX_LENGTH = 100;

const SPEC: ListSpec<TokenSort> = {
  sortable: ['user', 'created', 'last_used'],
  defaultSort: { field: 'created', descending: true },
  filters: [{ param: 'created', title: 'By created', choices: CREATED_CHOICES }],
  searchPlaceholder: 'Search by username',
};

/** How a token is named in the admin log and page titles: by its owner, never by its key. */
export function tokenRepr(username: string): string {
  return `Token for ${username}`;
}

/** A token in lists and confirmations: its owner and the safe hint. */
function tokenLabel(username: string, hint: string): string {
  return `${tokenRepr(username)} (${hint}…)`;
}

/** The add form's fields; `user` is picked by typing a username, with suggestions. */
function addFields(
  values: Readonly<Record<string, string>>,
  named: boolean,
  searchUrl: string,
): (FormField & { suggestions?: string; searchUrl?: string })[] {
  return [
    {
      name: 'user',
      label: 'User',
      kind: 'text',
      value: values.user ?? '',
      required: true,
      maxlength: 150,
      suggestions: 'user-suggestions',
      searchUrl,
      help: 'Type a username; matching users are suggested as you type.',
    },
    ...(named
      ? [
          {
            name: 'name',
            label: 'Name',
            kind: 'text' as const,
            value: values.name ?? '',
            maxlength: NAME_MAX_LENGTH,
            help: 'Optional: what the token is for, e.g. the device that uses it.',
          },
        ]
      : []),
  ];
}

/** The tokens section. */
export const tokenAdmin: AdminSection = {
  slug: 'tokens',
  name: 'Tokens',
  contentType: 'token',
  app: { label: 'tokens', name: 'Auth token' },
  register: registerTokenAdmin,
};

/** Registers the tokens section's pages. */
function registerTokenAdmin(admin: FastifyInstance, { log, root }: AdminContext): void {
  const urls = sectionUrls(root, 'tokens');
  const LIST = urls.list;
  const ADD = urls.add;
  const USER_SEARCH = `${LIST}user-search/`;
  const changeUrl = (id: number) => urls.change(id);
  const CRUMBS: readonly Crumb[] = [{ label: 'Tokens', href: LIST }];
  const PAGE: ListPage = { path: LIST, noun: 'token', nouns: 'tokens', crumb: 'Tokens', addHref: ADD };
  const { database, tokens, users } = admin.keygate;
  const queries = createTokenAdminQueries(database);
  const { policy } = tokens;
  const named = policy.namedTokens;

  /** The token the URL names, if the admin may manage it; 404 or 403 otherwise. */
  async function find(request: FastifyRequest): Promise<TokenWithOwner> {
    const id = objectId((request.params as { id?: string }).id);
    const [found] = id === null ? [] : await queries.findWithOwners([id]);
    if (found === undefined) throw new NotFound();
    checkTokenOwners(adminUser(request), [found]);
    return found;
  }

  const deleter = createTokenDeleter({
    db: database.db,
    queries,
    tokens,
    log,
    listPath: LIST,
    changeUrl,
    label: tokenLabel,
    repr: tokenRepr,
  });

  /** The page that shows a key the policy cannot show again, the one time it exists. */
  function keyPage(
    request: FastifyRequest,
    reply: FastifyReply,
    issued: IssuedToken,
    username: string,
    title: string,
    message: string,
  ): FastifyReply {
    return sendAdminPage(
      request,
      reply,
      'token-key',
      { title, breadcrumbs: [...CRUMBS, { label: title }] },
      { key: issued.key, username, tokenHref: changeUrl(issued.token.id), message, scripts: SCRIPTS },
    );
  }

  function addPage(
    request: FastifyRequest,
    reply: FastifyReply,
    values: Readonly<Record<string, string>>,
    errors: FieldErrors = {},
  ): FastifyReply {
    const fields = addFields(values, named, USER_SEARCH);
    return sendAdminPage(
      request,
      reply,
      'token-add',
      { title: 'Add token', breadcrumbs: [...CRUMBS, { label: 'Add token' }] },
      {
        form: {
          action: ADD,
          fields: withErrors(fields, errors),
          nonFieldErrors: nonFieldErrors(fields, errors),
        },
        scripts: SCRIPTS,
      },
    );
  }

  admin.route({
    method: ['GET', 'HEAD', 'POST'],
    url: '/tokens/',
    schema: { hide: true },
    async handler(request, reply) {
      if (request.method === 'POST') return handleListAction(request, reply, deleter, CRUMBS);
      const params = readListParams(request.query, SPEC);
      const { rows, count } = await queries.list(params, new Date());
      const listed: Row[] = rows.map((t) => ({
        id: t.id,
        label: tokenLabel(t.username, t.hint),
        cells: [
          { text: t.username, href: changeUrl(t.id) },
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
      return sendChangeList(request, reply, PAGE, { params, spec: SPEC, columns, rows: listed, count });
    },
  });

  // The add form's user picker: a prefix search that stays fast however many users there are.
  admin.get('/tokens/user-search/', { schema: { hide: true } }, async (request, reply) => {
    const q = (request.query as Record<string, unknown>).q;
    // Only users the admin may add a token for are suggested.
    const results = await queries.usersStartingWith(typeof q === 'string' ? q.trim() : '', {
      superusers: adminUser(request).isSuperuser,
    });
    return reply
      .header('cache-control', 'no-store, private')
      .type('application/json; charset=utf-8')
      .send(JSON.stringify({ results }));
  });

  admin.route({
    method: ['GET', 'HEAD', 'POST'],
    url: '/tokens/add/',
    schema: { hide: true },
    async handler(request, reply) {
      if (request.method !== 'POST') return addPage(request, reply, {});
      const data = formData(request);
      const sent = { user: field(data, 'user').trim(), name: named ? field(data, 'name').trim() : '' };
      const errors: FieldErrors = {};
      let user: User | undefined;
      const actor = adminUser(request);
      if (sent.user === '') errors.user = ['This field is required.'];
      else if ((user = await users.findByUsername(sent.user)) === undefined)
        errors.user = [INVALID_USER_CHOICE];
      // A new token for a superuser is a new way to act as them: its key is shown on the page
      // the add leads to (drf) or answers with (hashed).
      else checkTokenOwners(actor, [{ ownerIsSuperuser: user.isSuperuser }]);
      if ([...sent.name].length > NAME_MAX_LENGTH) {
        errors.name = [`Ensure this field has no more than ${NAME_MAX_LENGTH} characters.`];
      }
      if (user === undefined || Object.keys(errors).length > 0) return addPage(request, reply, sent, errors);
      const owner = user;
      let issued: IssuedToken;
      try {
        issued = await database.db.transaction().execute(async (trx) => {
          const created = await tokens.create(owner, named ? { name: sent.name } : {}, { trx });
          await log.record(trx, {
            actor,
            contentType: 'token',
            objectId: created.token.id,
            objectRepr: tokenRepr(owner.username),
            action: 'added',
          });
          return created;
        });
      } catch (error) {
        if (error instanceof ValidationError) return addPage(request, reply, sent, error.fields);
        throw error;
      }
      const message = `The token for “${owner.username}” was added successfully.`;
      // A key the policy does not keep (`hashed`) is shown by this answer only.
      if (policy.shownKey(issued.token) === null) {
        return keyPage(request, reply, issued, owner.username, 'Token added', message);
      }
      flash(reply, { level: 'success', text: message });
      return redirectTo(reply, changeUrl(issued.token.id));
    },
  });

  admin.route({
    method: ['GET', 'HEAD'],
    url: '/tokens/:id/change/',
    schema: { hide: true },
    async handler(request, reply) {
      const { token, username } = await find(request);
      const title = tokenRepr(username);
      return sendAdminPage(
        request,
        reply,
        'token-change',
        { title, breadcrumbs: [...CRUMBS, { label: title }] },
        {
          named,
          token: {
            ...token,
            // Only a kept key is shown again (`drf`); under `hashed` it was shown once, when issued.
            key: policy.shownKey(token),
            username,
            userHref: sectionUrls(root, 'users').change(token.userId),
            createdText: shownTime(token.created),
            lastUsedText: shownTime(token.lastUsedAt),
            expiresText: shownTime(token.expiresAt),
          },
          regenerateHref: `${LIST}${token.id}/regenerate/`,
          deleteHref: urls.delete(token.id),
          scripts: SCRIPTS,
        },
      );
    },
  });

  admin.route({
    method: ['GET', 'HEAD', 'POST'],
    url: '/tokens/:id/regenerate/',
    schema: { hide: true },
    async handler(request, reply) {
      const { token, username } = await find(request);
      if (request.method !== 'POST') {
        return sendAdminPage(
          request,
          reply,
          'token-regenerate',
          {
            title: 'Regenerate key',
            breadcrumbs: [
              ...CRUMBS,
              { label: tokenRepr(username), href: changeUrl(token.id) },
              { label: 'Regenerate key' },
            ],
          },
          { username, formAction: `${LIST}${token.id}/regenerate/`, cancelHref: changeUrl(token.id) },
        );
      }
      const actor = adminUser(request);
      const issued = await database.db.transaction().execute(async (trx) => {
        const fresh = await tokens.regenerate(token.id, { trx });
        if (fresh === undefined) return undefined;
        await log.record(trx, {
          actor,
          contentType: 'token',
          objectId: fresh.token.id,
          objectRepr: tokenRepr(username),
          action: 'changed',
          message: 'Regenerated key.',
        });
        return fresh;
      });
      if (issued === undefined) throw new NotFound();
      const message = `The key of the token for “${username}” was regenerated; the old key no longer works.`;
      if (policy.shownKey(issued.token) === null) {
        return keyPage(request, reply, issued, username, 'Key regenerated', message);
      }
      flash(reply, { level: 'success', text: message });
      // The regenerated token is a new row: its page has a new id.
      return redirectTo(reply, changeUrl(issued.token.id));
    },
  });

  registerDeletePage(admin, 'tokens', deleter, CRUMBS);
}
