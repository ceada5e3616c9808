// The admin mounted under another root (registerAdmin's `root`): login, lists, add, change and
// delete of a product and a user all stay under it, and no page, redirect or cookie names /admin/.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import Fastify from 'fastify';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/app.js';
import { registerAdmin } from '../../src/admin/admin-site.js';
import { describeEachDialect, uniqueName, type DialectContext } from '../helpers.js';
import { SessionClient } from '../sessions/session-client.js';

const ROOT = '/backoffice/';
const PASSWORD = 'correct horse battery';

/** Fails when a response leaks the default root in its body, Location or cookies. */
function assertNoDefaultRoot(response: LightMyRequestResponse, what: string): void {
  assert.doesNotMatch(response.body, /\/admin\//, `${what}: body`);
  assert.doesNotMatch(String(response.headers.location ?? ''), /\/admin\//, `${what}: location`);
  assert.doesNotMatch(JSON.stringify(response.headers['set-cookie'] ?? ''), /\/admin\//, `${what}: cookies`);
}

/** Every admin link of a page (href and form action values that are site paths). */
function links(html: string): string[] {
  return [...html.matchAll(/(?:href|action)="(\/[^"]*)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
}

describeEachDialect('Admin under another root', (ctx: () => DialectContext) => {
  let app: FastifyInstance;
  let client: SessionClient;
  let staffName: string;

  /** GETs `url` as the logged-in client, checks no /admin/ leaks, and returns the response. */
  async function page(url: string, status = 200): Promise<LightMyRequestResponse> {
    const response = await client.send({ method: 'GET', url, headers: { accept: 'text/html' } });
    assert.equal(response.statusCode, status, url);
    assertNoDefaultRoot(response, url);
    // The admin's own pages link only under the root (the 404 page is the site's, not the admin's).
    for (const link of status === 200 ? links(response.body) : []) {
      assert.ok(link.startsWith(ROOT) || link.startsWith('/static/') || link === '/product_api/', link);
    }
    return response;
  }

  async function post(url: string, fields: Record<string, string>, from = url) {
    const response = await client.postForm(url, fields, from);
    assertNoDefaultRoot(response, `POST ${url}`);
    return response;
  }

  before(async () => {
    app = buildApp(ctx().keygate, { logger: false, adminRoot: ROOT });
    await app.ready();
    client = new SessionClient(app);
    staffName = uniqueName('staff');
    await ctx().keygate.users.createUser({
      username: staffName,
      password: PASSWORD,
      isStaff: true,
      isSuperuser: true,
    });
  });

  after(() => app.close());

  it('sends an anonymous visitor to the login page under the root, with next', async () => {
    for (const url of [ROOT, `${ROOT}products/`, `${ROOT}users/1/change/`, `${ROOT}nothing`]) {
      const response = await client.send({ method: 'GET', url });
      assert.equal(response.statusCode, 302, url);
      assert.equal(response.headers.location, `${ROOT}login/?next=${url}`);
    }
    const login = await page(`${ROOT}login/?next=${ROOT}products/`);
    assert.match(login.body, /<form method="post" action="\/backoffice\/login\/"/);
    assert.match(login.body, /<input type="hidden" name="next" value="\/backoffice\/products\/">/);
  });

  it('does not answer at /admin/ any more', async () => {
    for (const url of ['/admin/', '/admin/login/', '/admin/products/']) {
      const response = await client.send({ method: 'GET', url, headers: { accept: 'text/html' } });
      assert.equal(response.statusCode, 404, url);
    }
  });

  it('logs a staff user in; without next, lands on the root', async () => {
    const response = await post(`${ROOT}login/`, { username: staffName, password: PASSWORD });
    assert.equal(response.statusCode, 302);
    assert.equal(response.headers.location, ROOT);
    const home = await page(ROOT);
    assert.match(home.body, /<a class="brand" href="\/backoffice\/">/);
    assert.match(home.body, /<form method="post" action="\/backoffice\/logout\/"/);
    for (const section of ['users', 'tokens', 'products']) {
      assert.match(home.body, new RegExp(`href="/backoffice/${section}/add/">Add</a>`), section);
    }
  });

  it('adds, changes and deletes a product under the root', async () => {
    await page(`${ROOT}products/`);
    await page(`${ROOT}products/add/`);
    const added = await post(`${ROOT}products/add/`, {
      name: 'Mug',
      description: 'Stoneware',
      price: '12.50',
      stock: '3',
      _continue: '1',
    });
    assert.equal(added.statusCode, 302);
    const match = /^\/backoffice\/products\/(\d+)\/change\/$/.exec(String(added.headers.location));
    assert.ok(match, String(added.headers.location));
    const changeUrl = match[0];
    const id = match[1]!;
    // The message cookie is scoped to the root, and shown on the next page there.
    assert.match(JSON.stringify(added.headers['set-cookie']), /Path=\/backoffice\//);
    const change = await page(changeUrl);
    assert.match(change.body, /The product “Mug” was added successfully\./);
    assert.match(change.body, new RegExp(`href="/backoffice/products/${id}/delete/"`));
    assert.match(change.body, /<li><a href="\/backoffice\/">Home<\/a><\/li>/);

    const changed = await post(changeUrl, {
      name: 'Big mug',
      description: 'Stoneware',
      price: '14.00',
      stock: '3',
    });
    assert.equal(changed.statusCode, 302);
    assert.equal(changed.headers.location, `${ROOT}products/`);
    const list = await page(`${ROOT}products/?q=mug&o=name`);
    assert.match(list.body, /The product “Big mug” was changed successfully\./);
    assert.match(list.body, new RegExp(`<a href="/backoffice/products/${id}/change/">Big mug</a>`));

    const home = await page(ROOT);
    assert.match(
      home.body,
      new RegExp(`<a href="/backoffice/products/${id}/change/">Big mug</a>`),
      'log entry link',
    );

    await page(`${ROOT}products/${id}/delete/`);
    const deleted = await post(`${ROOT}products/${id}/delete/`, {});
    assert.equal(deleted.statusCode, 302);
    assert.equal(deleted.headers.location, `${ROOT}products/`);
    await page(changeUrl, 404);
  });

  it('adds, changes and deletes a user under the root', async () => {
    const username = uniqueName('member');
    await page(`${ROOT}users/`);
    await page(`${ROOT}users/add/`);
    const added = await post(`${ROOT}users/add/`, {
      username,
      password1: 'Very-long pass 123',
      password2: 'Very-long pass 123',
    });
    assert.equal(added.statusCode, 302);
    const match = /^\/backoffice\/users\/(\d+)\/change\/$/.exec(String(added.headers.location));
    assert.ok(match, String(added.headers.location));
    const id = match[1]!;
    const change = await page(match[0]);
    assert.match(change.body, new RegExp(`href="/backoffice/users/${id}/password/"`));
    await page(`${ROOT}users/${id}/password/`);

    const changed = await post(match[0], { email: 'member@example.com', first_name: 'M', is_active: 'on' });
    assert.equal(changed.statusCode, 302);
    assert.equal(changed.headers.location, `${ROOT}users/`);
    await page(`${ROOT}users/?q=${username}`);

    // A token of the user: its page links back to the user under the root.
    const user = await ctx().keygate.users.findByUsername(username);
    await ctx().keygate.tokens.getOrCreate(user!);
    const tokens = await page(`${ROOT}tokens/?q=${username}`);
    const tokenLink = /<a href="(\/backoffice\/tokens\/\d+\/change\/)">/.exec(tokens.body);
    assert.ok(tokenLink, 'the token is listed');
    const token = await page(tokenLink[1]!);
    assert.match(token.body, new RegExp(`href="/backoffice/users/${id}/change/"`));

    await page(`${ROOT}users/${id}/delete/`);
    const deleted = await post(`${ROOT}users/${id}/delete/`, {});
    assert.equal(deleted.statusCode, 302);
    assert.equal(deleted.headers.location, `${ROOT}users/`);
    await page(`${ROOT}users/${id}/change/`, 404);
  });

  it('redirects unslashed admin URLs under the root (APPEND_SLASH), else the 404 page', async () => {
    const slashed = await client.send({ method: 'GET', url: `${ROOT}products?o=name` });
    assert.equal(slashed.statusCode, 301);
    assert.equal(slashed.headers.location, `${ROOT}products/?o=name`);
    const missing = await client.send({ method: 'GET', url: `${ROOT}nothing/` });
    assert.equal(missing.statusCode, 404);
  });

  it('logs out under the root', async () => {
    await page(`${ROOT}logout/`);
    const out = await post(`${ROOT}logout/`, {}, `${ROOT}logout/`);
    assert.equal(out.statusCode, 200);
    assert.match(out.body, /<a class="button button-primary" href="\/backoffice\/login\/">Log in again<\/a>/);
    assert.equal((await client.send({ method: 'GET', url: ROOT })).statusCode, 302);
  });
});

it('refuses a malformed root or a repeated section slug at registration', () => {
  const app = Fastify();
  app.decorate('keygate', { database: { db: null } } as never);
  for (const root of ['backoffice/', '/backoffice', '/', '/a/../', '//x/', '/a b/']) {
    assert.throws(() => registerAdmin(app, { root, sections: [] }), TypeError, root);
  }
  const section = { slug: 'x', name: 'X', contentType: 'x', app: { label: 'x', name: 'X' }, register() {} };
  assert.throws(
    () => registerAdmin(app, { sections: [section, section] }),
    /two admin sections use the slug 'x'/,
  );
});
