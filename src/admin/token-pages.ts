// The tokens section's special cases, as hooks on the engine: the add form (a user picked by
// username, with the picker's search; a name when the policy names tokens), a token created by the
// token service, the key shown once when the policy does not keep it, a read-only token page,
// regenerate, and deletion through the service.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { IssuedToken } from '../authtoken/token-service.js';
import { toToken } from '../authtoken/token.js';
import { NotFound } from '../errors.js';
import type { User } from '../users/user.js';
import { adminUser, allowOnly, redirectTo, sendAdminPage, shownTime } from './admin-page.js';
import { sectionUrls, type AdminContext } from './admin-section.js';
import { flash } from './flash.js';
import type { ModelAdminDefinition } from './model-admin-types.js';
import type { TokenRow } from '../db/schema.js';
import { mayManage } from './user-deletion.js';
import { createTokenAdminQueries } from './token-admin-queries.js';

/** A token as the section reads it: the token's columns, its owner's username and rank. */
export type TokenAdminRow = Omit<TokenRow, 'digest'> & {
  readonly username: string;
  readonly is_superuser: boolean | number;
};

/** The refusal of a superuser's token to a staff user who is not a superuser. */
export const SUPERUSER_TOKENS_ONLY = 'Only a superuser can see or change a superuser’s tokens.';

/** How a token is named in the admin log and page titles: by its owner, never by its key. */
export function tokenRepr(username: string): string {
  return `Token for ${username}`;
}

/**
 * Whether `actor` may see, replace or delete a token of this owner: whoever can read such a key,
 * replace it or add one for its owner acts as a superuser on the API. The users section's rule (a
 * superuser's account is for superusers to manage), applied to what the account owns.
 */
export function mayManageTokenOf(actor: User, owner: { readonly isSuperuser: boolean }): boolean {
  return mayManage(actor, owner);
}

/** The user picker's script, loaded on token pages only. */
const SCRIPTS: readonly string[] = ['/static/admin-token.js'];

/** Django's ModelChoiceField error for a user that does not exist. */
export const INVALID_USER_CHOICE = 'Select a valid choice. That choice is not one of the available choices.';
/** The tokens table's `name` column. */
const NAME_MAX_LENGTH = 100;

/** The tokens section's hooks, which need the app's token and user services and its policy. */
export function configureTokenAdmin(
  scope: FastifyInstance,
  { root }: AdminContext,
): Partial<ModelAdminDefinition<TokenAdminRow>> {
  const { database, tokens, users } = scope.keygate;
  const { policy } = tokens;
  const named = policy.namedTokens;
  const queries = createTokenAdminQueries(database);
  const base = sectionUrls(root, 'tokens');
  const urls = {
    ...base,
    regenerate: (id: number) => `${base.list}${id}/regenerate/`,
    userSearch: `${base.list}user-search/`,
    owner: sectionUrls(root, 'users').change,
  };
  const crumbs = [{ label: 'Tokens', href: urls.list }];
  return {
    fields: [
      {
        name: 'user',
        strip: true,
        label: 'User',
        kind: 'text',
        required: true,
        widget: { maxlength: 150, suggestions: 'user-suggestions', searchUrl: urls.userSearch },
        help: 'Type a username; matching users are suggested as you type.',
        show: (row) => row.username,
        async parse(raw, { user: actor }) {
          const username = (raw ?? '').trim();
          if (username === '') return { errors: ['This field is required.'] };
          const owner = await users.findByUsername(username);
          if (owner === undefined) return { errors: [INVALID_USER_CHOICE] };
          // A new token for a superuser is a new way to act as them.
          allowOnly(mayManageTokenOf(actor, owner), SUPERUSER_TOKENS_ONLY);
          return { value: owner };
        },
      },
      ...(named
        ? [
            {
              name: 'name',
              strip: true,
              label: 'Name',
              kind: 'text' as const,
              widget: { maxlength: NAME_MAX_LENGTH },
              help: 'Optional: what the token is for, e.g. the device that uses it.',
              show: (row: TokenAdminRow) => row.name,
              parse(raw: string | undefined) {
                const name = (raw ?? '').trim();
                return [...name].length > NAME_MAX_LENGTH
                  ? { errors: [`Ensure this field has no more than ${NAME_MAX_LENGTH} characters.`] }
                  : { value: name };
              },
            },
          ]
        : []),
    ],
    async insert(values, { trx }) {
      const owner = values.user as User;
      const options = named ? { name: (values.name as string | undefined) ?? '' } : {};
      const issued = await tokens.create(owner, options, { trx });
      return { id: issued.token.id, extra: issued };
    },
    delete: async (rows, trx) => {
      const gone = new Set(
        (
          await tokens.deleteMany(
            rows.map((row) => Number(row.id)),
            { trx },
          )
        ).map((t) => t.id),
      );
      return rows.filter((row) => gone.has(Number(row.id)));
    },
    formExtra: () => ({ scripts: SCRIPTS }),
    respondToSave(request, reply, { row, extra }) {
      const message = `The token for “${row.username}” was added successfully.`;
      return afterIssue(request, reply, extra as IssuedToken, row.username, 'Token added', message);
    },
    changeView(request, reply, row) {
      const token = toToken(row);
      const title = tokenRepr(row.username);
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
            username: row.username,
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
    extraRoutes(admin, engine) {
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
        url: '/tokens/:id/regenerate/',
        schema: { hide: true },
        async handler(request, reply) {
          const row = await engine.rowOf(request);
          const { username } = row;
          const id = Number(row.id);
          if (request.method !== 'POST') {
            return sendAdminPage(
              request,
              reply,
              'token-regenerate',
              {
                title: 'Regenerate key',
                breadcrumbs: [
                  ...engine.crumbs,
                  { label: tokenRepr(username), href: urls.change(id) },
                  { label: 'Regenerate key' },
                ],
              },
              { username, formAction: urls.regenerate(id), cancelHref: urls.change(id) },
            );
          }
          const actor = adminUser(request);
          const issued = await engine.db.transaction().execute(async (trx) => {
            const fresh = await tokens.regenerate(id, { trx });
            if (fresh === undefined) return undefined;
            // A regenerated token is a new row: the log names the new id.
            await engine.record(trx, actor, { ...row, id: fresh.token.id }, 'changed', 'Regenerated key.');
            return fresh;
          });
          if (issued === undefined) throw new NotFound();
          const message = `The key of the token for “${username}” was regenerated; the old key no longer works.`;
          return afterIssue(request, reply, issued, username, 'Key regenerated', message);
        },
      });
    },
  };

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
}
