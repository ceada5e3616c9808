// Tokens in the admin: the section, and what its pages share: URLs, the log record, the token an
// admin may manage, and the deleter. The pages are in token-list.ts and token-pages.ts. Token pages
// are named by the token's numeric id: a key never appears in a URL, a redirect, a log entry or an
// error. A superuser's tokens are for superusers only: the key acts as its owner on the API.
import type { FastifyInstance } from 'fastify';
import { NotFound } from '../errors.js';
import { adminUser, objectId } from './admin-page.js';
import { sectionUrls, type AdminContext, type AdminSection } from './admin-section.js';
import { registerDeletePage } from './deletion.js';
import { createTokenAdminQueries } from './token-admin-queries.js';
import { checkTokenOwners, createTokenDeleter } from './token-deletion.js';
import { registerTokenList } from './token-list.js';
import { tokenLabel, tokenRepr, type TokenPagesDeps } from './token-pages-deps.js';
import { registerTokenPages } from './token-pages.js';

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
  const { database, tokens, users } = admin.keygate;
  const queries = createTokenAdminQueries(database);
  const base = sectionUrls(root, 'tokens');
  const urls: TokenPagesDeps['urls'] = {
    ...base,
    regenerate: (id) => `${base.list}${id}/regenerate/`,
    userSearch: `${base.list}user-search/`,
    owner: sectionUrls(root, 'users').change,
  };

  const deps: TokenPagesDeps = {
    database,
    users,
    tokens,
    queries,
    urls,
    crumbs: [{ label: 'Tokens', href: urls.list }],
    async record(trx, actor, token, action, message) {
      await log.record(trx, {
        actor,
        contentType: 'token',
        objectId: token.id,
        objectRepr: tokenRepr(token.username),
        action,
        message,
      });
    },
    async tokenOf(request) {
      const id = objectId((request.params as { id?: string }).id);
      const [found] = id === null ? [] : await queries.findWithOwners([id]);
      if (found === undefined) throw new NotFound();
      checkTokenOwners(adminUser(request), [found]);
      return found;
    },
    deleter: createTokenDeleter({
      db: database.db,
      queries,
      tokens,
      log,
      listPath: urls.list,
      changeUrl: urls.change,
      label: tokenLabel,
      repr: tokenRepr,
    }),
  };

  registerTokenList(admin, deps);
  registerTokenPages(admin, deps);
  registerDeletePage(admin, 'tokens', deps.deleter, deps.crumbs);
}
