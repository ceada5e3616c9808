// The tokens section's form pages: add for a user picked by username (with the picker's search),
// a read-only token page, and regenerate; a key the policy does not keep is shown once, on the
// page the add or the regeneration answers with.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { IssuedToken } from '../authtoken/token-service.js';
import { NotFound, ValidationError, type FieldErrors } from '../errors.js';
import type { User } from '../users/user.js';
import { adminUser, field, formData, redirectTo, sendAdminPage, shownTime } from './admin-page.js';
import { nonFieldErrors, withErrors, type FormField } from './change-form.js';
import { flash } from './flash.js';
import { checkTokenOwners } from './token-deletion.js';
import { tokenRepr, type TokenPagesDeps } from './token-pages-deps.js';

/** The user picker's script, loaded on token pages only. */
const SCRIPTS: readonly string[] = ['/static/admin-token.js'];

/** Django's ModelChoiceField error for a user that does not exist. */
export const INVALID_USER_CHOICE = 'Select a valid choice. That choice is not one of the available choices.';
/** The tokens table's `name` column. */
const NAME_MAX_LENGTH = 100;

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

/**
 * Registers `/tokens/add/` (and its user picker's `/tokens/user-search/`), `/tokens/:id/change/`
 * and `/tokens/:id/regenerate/`.
 */
export function registerTokenPages(admin: FastifyInstance, deps: TokenPagesDeps): void {
  const { database, users, tokens, queries, urls, crumbs, record, tokenOf } = deps;
  const { policy } = tokens;
  const named = policy.namedTokens;

  /**
   * The answer to a new key: the page that shows it when the policy cannot show it again, the one
   * time it exists; otherwise a redirect to the token's page, with `message`.
   */
  function afterIssue(
    request: FastifyRequest,
    reply: FastifyReply,
    issued: IssuedToken,
    username: string,
    title: string,
    message: string,
  ): FastifyReply {
    if (policy.shownKey(issued.token) !== null) {
      flash(reply, { level: 'success', text: message });
      // A regenerated token is a new row: its page has a new id.
      return redirectTo(reply, urls.change(issued.token.id));
    }
    return sendAdminPage(
      request,
      reply,
      'token-key',
      { title, breadcrumbs: [...crumbs, { label: title }] },
      { key: issued.key, username, tokenHref: urls.change(issued.token.id), message, scripts: SCRIPTS },
    );
  }

  function addPage(
    request: FastifyRequest,
    reply: FastifyReply,
    values: Readonly<Record<string, string>>,
    errors: FieldErrors = {},
  ): FastifyReply {
    const fields = addFields(values, named, urls.userSearch);
    return sendAdminPage(
      request,
      reply,
      'token-add',
      { title: 'Add token', breadcrumbs: [...crumbs, { label: 'Add token' }] },
      {
        form: {
          action: urls.add,
          fields: withErrors(fields, errors),
          nonFieldErrors: nonFieldErrors(fields, errors),
        },
        scripts: SCRIPTS,
      },
    );
  }

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
          await record(trx, actor, { id: created.token.id, username: owner.username }, 'added');
          return created;
        });
      } catch (error) {
        if (error instanceof ValidationError) return addPage(request, reply, sent, error.fields);
        throw error;
      }
      const message = `The token for “${owner.username}” was added successfully.`;
      return afterIssue(request, reply, issued, owner.username, 'Token added', message);
    },
  });

  admin.route({
    method: ['GET', 'HEAD'],
    url: '/tokens/:id/change/',
    schema: { hide: true },
    async handler(request, reply) {
      const { token, username } = await tokenOf(request);
      const title = tokenRepr(username);
      return sendAdminPage(
        request,
        reply,
        'token-change',
        { title, breadcrumbs: [...crumbs, { label: title }] },
        {
          named,
          token: {
            ...token,
            // Only a kept key is shown again (`drf`); under `hashed` it was shown once, when issued.
            key: policy.shownKey(token),
            username,
            userHref: urls.owner(token.userId),
            createdText: shownTime(token.created),
            lastUsedText: shownTime(token.lastUsedAt),
            expiresText: shownTime(token.expiresAt),
          },
          regenerateHref: urls.regenerate(token.id),
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
      const { token, username } = await tokenOf(request);
      if (request.method !== 'POST') {
        return sendAdminPage(
          request,
          reply,
          'token-regenerate',
          {
            title: 'Regenerate key',
            breadcrumbs: [
              ...crumbs,
              { label: tokenRepr(username), href: urls.change(token.id) },
              { label: 'Regenerate key' },
            ],
          },
          { username, formAction: urls.regenerate(token.id), cancelHref: urls.change(token.id) },
        );
      }
      const actor = adminUser(request);
      const issued = await database.db.transaction().execute(async (trx) => {
        const fresh = await tokens.regenerate(token.id, { trx });
        if (fresh === undefined) return undefined;
        await record(trx, actor, { id: fresh.token.id, username }, 'changed', 'Regenerated key.');
        return fresh;
      });
      if (issued === undefined) throw new NotFound();
      const message = `The key of the token for “${username}” was regenerated; the old key no longer works.`;
      return afterIssue(request, reply, issued, username, 'Key regenerated', message);
    },
  });
}
