// The admin site over HTTP: staff-only login with the shared brute-force limit, logout, the home
// page's recent actions, and the products section (API validation, errors beside fields, delete
// and bulk delete with confirmation, escaping, CSRF), on both databases.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { describeEachDialect, uniqueName, type DialectContext } from '../helpers.js';
import { csrfTokenIn, SessionClient } from '../sessions/session-client.js';
import type { ProductTables } from '../../src/products/product-table.js';

const PASSWORD = 'correct horse battery';
const XSS = '<script>alert(1)</script>';
const FORM = { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' };

/** Logs `username` in through the admin's own login form. */
async function adminLogin(client: SessionClient, username: string, password = PASSWORD) {
  return client.postForm('/admin/login/', { username, password, next: '/admin/' });
}

/** The admin log's rows, newest first. */
async function logEntries(ctx: DialectContext) {
  return ctx.keygate.database.db.selectFrom('admin_log').selectAll().orderBy('id', 'desc').execute();
}

/** Posts a form whose fields may repeat (the list's check boxes). */
async function postPairs(client: SessionClient, url: string, pairs: readonly (readonly [string, string])[]) {
  const token = await client.tokenFrom(url);
  const body = new URLSearchParams([...pairs, ['csrfmiddlewaretoken', token]] as [string, string][]);
  return client.send({ method: 'POST', url, headers: FORM, payload: body.toString() });
}

describeEachDialect('Admin site', (ctx: () => DialectContext) => {
  let staffName: string;
  let memberName: string;

  before(async () => {
    staffName = uniqueName('staff');
    memberName = uniqueName('member');
    await ctx().keygate.users.createUser({ username: staffName, password: PASSWORD, isStaff: true });
    await ctx().keygate.users.createUser({ username: memberName, password: PASSWORD });
  });

  describe('login and logout', () => {
    it('sends anonymous visitors of any admin page to the login page, with next', async () => {
      const client = new SessionClient(ctx().app);
      for (const url of [
        '/admin/',
        '/admin/products/',
        '/admin/products/add/',
        '/admin/products/1/change/',
      ]) {
        const response = await client.send({ method: 'GET', url });
        assert.equal(response.statusCode, 302, url);
        // Django's redirect_to_login leaves `/` unescaped in `next`.
        assert.equal(response.headers.location, `/admin/login/?next=${url}`);
      }
      const page = await client.send({ method: 'GET', url: '/admin/login/?next=/admin/products/' });
      assert.equal(page.statusCode, 200);
      assert.equal(page.headers['content-type'], 'text/html; charset=utf-8');
      assert.equal(page.headers['cache-control'], 'no-store, private');
      assert.match(String(page.headers['content-security-policy']), /script-src 'self'/);
      assert.match(page.body, /<input type="hidden" name="next" value="\/admin\/products\/">/);
    });

    it('logs a staff user in and goes to next; only a local next is followed', async () => {
      const client = new SessionClient(ctx().app);
      const response = await client.postForm('/admin/login/', {
        username: staffName,
        password: PASSWORD,
        next: '/admin/products/',
      });
      assert.equal(response.statusCode, 302);
      assert.equal(response.headers.location, '/admin/products/');
      const list = await client.send({ method: 'GET', url: '/admin/products/' });
      assert.equal(list.statusCode, 200);
      assert.match(list.body, /data-testid="username">staff_/);

      const other = new SessionClient(ctx().app);
      const offsite = await other.postForm('/admin/login/', {
        username: staffName,
        password: PASSWORD,
        next: 'https://evil.example/',
      });
      assert.equal(offsite.headers.location, '/admin/');
    });

    it('refuses a non-staff account with the same message as a wrong password', async () => {
      const client = new SessionClient(ctx().app);
      const member = await adminLogin(client, memberName);
      assert.equal(member.statusCode, 200);
      assert.match(member.body, /Please enter the correct username and password for a staff account/);
      const wrong = await adminLogin(client, staffName, 'not the password');
      assert.equal(wrong.statusCode, 200);
      assert.match(wrong.body, /Please enter the correct username and password for a staff account/);
      assert.equal(client.cookies.has('sessionid'), false, 'no session for either');
      assert.equal((await client.send({ method: 'GET', url: '/admin/' })).statusCode, 302);
    });

    it('tells a logged-in non-staff user they are not authorized, and keeps them out', async () => {
      const client = new SessionClient(ctx().app);
      assert.equal((await client.login(memberName, PASSWORD)).statusCode, 302, 'API session login');
      const home = await client.send({ method: 'GET', url: '/admin/' });
      assert.equal(home.statusCode, 302);
      const login = await client.send({ method: 'GET', url: home.headers.location });
      assert.match(login.body, /You are authenticated as member_[0-9a-f]+, but are not authorized/);
      const post = await client.postForm('/admin/products/add/', { name: 'x' }, '/admin/login/');
      assert.equal(post.statusCode, 302, 'a non-staff POST goes to the login page, nothing saved');
    });

    it('logs out only on POST, and the session row is gone', async () => {
      const client = new SessionClient(ctx().app);
      await adminLogin(client, staffName);
      const countSessions = async () =>
        Number(
          (
            await ctx()
              .keygate.database.db.selectFrom('sessions')
              .innerJoin('users', 'users.id', 'sessions.user_id')
              .where('users.username', '=', staffName)
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      const before = await countSessions();
      const ask = await client.send({ method: 'GET', url: '/admin/logout/' });
      assert.equal(ask.statusCode, 200);
      assert.equal(await countSessions(), before, 'GET does not log out');
      const out = await client.postForm('/admin/logout/', {}, '/admin/logout/');
      assert.equal(out.statusCode, 200);
      assert.match(out.body, /Logged out/);
      assert.equal(await countSessions(), before - 1);
      assert.equal((await client.send({ method: 'GET', url: '/admin/' })).statusCode, 302);
    });

    it('shares the brute-force limit: the admin login answers 429 once a username is locked', async () => {
      const target = uniqueName('locked');
      await ctx().keygate.users.createUser({ username: target, password: PASSWORD, isStaff: true });
      const client = new SessionClient(ctx().app);
      let last = await adminLogin(client, target, 'wrong');
      for (let i = 1; i < ctx().config.loginFailuresPerUser; i += 1)
        last = await adminLogin(client, target, 'wrong');
      assert.equal(last.statusCode, 200);
      const locked = await adminLogin(client, target);
      assert.equal(locked.statusCode, 429, 'even the right password, once locked');
      assert.match(String(locked.headers['retry-after']), /^\d+$/);
      assert.match(locked.body, /Too many failed login attempts/);
    });
  });

  describe('products', () => {
    let client: SessionClient;

    before(async () => {
      client = new SessionClient(ctx().app);
      assert.equal((await adminLogin(client, staffName)).statusCode, 302);
    });

    it('refuses a form posted without its CSRF token', async () => {
      const response = await client.send({
        method: 'POST',
        url: '/admin/products/add/',
        headers: FORM,
        payload: 'name=x&description=y&price=1.00&stock=1',
      });
      assert.equal(response.statusCode, 403);
      assert.match(response.body, /CSRF Failed/);
      const bad = await client.send({
        method: 'POST',
        url: '/admin/products/add/',
        headers: FORM,
        payload: 'name=x&description=y&price=1.00&stock=1&csrfmiddlewaretoken=forged',
      });
      assert.equal(bad.statusCode, 403);
    });

    it('validates exactly as the API does and shows each error beside its field', async () => {
      const fields = { name: '', description: 'Stoneware', price: '12.345', stock: '-1' };
      const page = await client.postForm('/admin/products/add/', fields);
      assert.equal(page.statusCode, 200);
      const api = await ctx().app.inject({
        method: 'POST',
        url: '/product_api/',
        headers: {
          authorization: `Token ${(await ctx().keygate.tokens.getOrCreate((await ctx().keygate.users.findByUsername(staffName))!)).key}`,
        },
        payload: fields,
      });
      const errors = api.json<Record<string, string[]>>();
      assert.deepEqual(Object.keys(errors), ['name', 'price', 'stock']);
      for (const [name, messages] of Object.entries(errors)) {
        const escaped = messages[0]!.replace(/"/g, '&quot;').replace(/'/g, '&#39;');
        assert.match(
          page.body,
          new RegExp(
            `<ul class="field-errors" id="id_${name}-errors">\\s*<li>${escaped.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}</li>`,
          ),
          name,
        );
      }
      assert.match(page.body, /name="description"[^>]*>Stoneware<\/textarea>/, 'values kept');
      assert.match(page.body, /Please correct the errors below\./);
    });

    it('adds, changes and deletes, recording who did what in the admin log', async () => {
      const added = await client.postForm('/admin/products/add/', {
        name: XSS,
        description: 'Stoneware, 300 ml',
        price: '12.5',
        stock: '4',
        _continue: '1',
      });
      assert.equal(added.statusCode, 302);
      const changeUrl = added.headers.location as string;
      assert.match(changeUrl, /^\/admin\/products\/\d+\/change\/$/);
      const id = Number(changeUrl.split('/')[3]);
      const form = await client.send({ method: 'GET', url: changeUrl });
      assert.match(form.body, /was added successfully\. You may edit it again below\./);
      assert.match(form.body, /value="12\.50"/, 'price shown as the API shows it');
      assert.ok(!form.body.includes(XSS), 'the name is escaped');
      assert.ok(form.body.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));

      const changed = await client.postForm(changeUrl, {
        name: 'Mug',
        description: 'Stoneware, 300 ml',
        price: '13.00',
        stock: '4',
      });
      assert.equal(changed.statusCode, 302);
      assert.equal(changed.headers.location, '/admin/products/');
      const api = await ctx()
        .keygate.database.db.withTables<ProductTables>()
        .selectFrom('products')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      assert.equal(api.name, 'Mug');
      assert.equal(Number(api.price_cents), 1300);

      const entries = await logEntries(ctx());
      assert.equal(entries[0]!.action_flag, 2);
      assert.equal(entries[0]!.change_message, 'Changed name, price.');
      assert.equal(entries[1]!.action_flag, 1);
      assert.equal(entries[1]!.object_repr, XSS);

      const ask = await client.send({ method: 'GET', url: `/admin/products/${id}/delete/` });
      assert.equal(ask.statusCode, 200);
      assert.match(ask.body, /Are you sure you want to delete the product “Mug”\?/);
      const deleted = await client.postForm(`/admin/products/${id}/delete/`, {});
      assert.equal(deleted.statusCode, 302);
      assert.equal(deleted.headers.location, '/admin/products/');
      const list = await client.send({ method: 'GET', url: '/admin/products/' });
      assert.match(list.body, /The product “Mug” was deleted successfully\./);
      const gone = await ctx()
        .keygate.database.db.withTables<ProductTables>()
        .selectFrom('products')
        .select('id')
        .where('id', '=', id)
        .execute();
      assert.equal(gone.length, 0);

      const home = await client.send({ method: 'GET', url: '/admin/' });
      assert.match(home.body, /deleted product by staff_/);
      assert.ok(!home.body.includes(XSS), 'recent actions escape names');
    });

    it('bulk-deletes the selected products after a confirmation page', async () => {
      const ids: number[] = [];
      for (const name of ['Bulk one', 'Bulk two', 'Bulk keep']) {
        const response = await client.postForm('/admin/products/add/', {
          name,
          description: 'd',
          price: '1.00',
          stock: '1',
          _continue: '1',
        });
        ids.push(Number((response.headers.location as string).split('/')[3]));
      }
      const nothing = await postPairs(client, '/admin/products/', [['action', 'delete_selected']]);
      assert.equal(nothing.statusCode, 302);
      const warned = await client.send({ method: 'GET', url: '/admin/products/' });
      assert.match(warned.body, /Items must be selected in order to perform actions on them/);

      const selected = [
        ['action', 'delete_selected'],
        ['_selected_action', String(ids[0])],
        ['_selected_action', String(ids[1])],
      ] as const;
      const confirm = await postPairs(client, '/admin/products/', selected);
      assert.equal(confirm.statusCode, 200);
      assert.match(confirm.body, /Are you sure you want to delete the selected products\?/);
      assert.match(confirm.body, /Product: <a href="\/admin\/products\/\d+\/change\/">Bulk one<\/a>/);
      const stillThere = await ctx()
        .keygate.database.db.withTables<ProductTables>()
        .selectFrom('products')
        .select('id')
        .where('id', 'in', ids)
        .execute();
      assert.equal(stillThere.length, 3, 'nothing deleted before confirming');

      const done = await postPairs(client, '/admin/products/', [...selected, ['post', 'yes']]);
      assert.equal(done.statusCode, 302);
      const after = await client.send({ method: 'GET', url: '/admin/products/' });
      assert.match(after.body, /Successfully deleted 2 products\./);
      const left = await ctx()
        .keygate.database.db.withTables<ProductTables>()
        .selectFrom('products')
        .select('id')
        .where('id', 'in', ids)
        .execute();
      assert.deepEqual(
        left.map((row) => Number(row.id)),
        [ids[2]],
      );
      const entries = (await logEntries(ctx())).slice(0, 2);
      assert.deepEqual(
        entries.map((e) => [e.action_flag, e.content_type]),
        [
          [3, 'product'],
          [3, 'product'],
        ],
      );
    });

    it('searches, filters, sorts and paginates the list', async () => {
      const db = ctx().keygate.database.db.withTables<ProductTables>();
      const now = new Date().toISOString().replace('Z', '000Z');
      const tag = uniqueName('page');
      await db
        .insertInto('products')
        .values(
          Array.from({ length: 105 }, (_, i) => ({
            name: `${tag} ${String(i).padStart(3, '0')}`,
            description: i % 2 === 0 ? 'even 100%_match' : 'odd',
            price_cents: 100 + i,
            stock: i % 3 === 0 ? 0 : i,
            created: now,
            updated: now,
          })),
        )
        .execute();
      const first = await client.send({ method: 'GET', url: `/admin/products/?q=${tag}&o=name` });
      assert.match(first.body, /data-testid="result-count">105 products</);
      assert.match(first.body, /Page 1 of 2/);
      const names = [...first.body.matchAll(new RegExp(`>(${tag} \\d{3})</a></th>`, 'g'))].map((m) => m[1]);
      assert.equal(names.length, 100);
      assert.equal(names[0], `${tag} 000`);
      const next = /<a href="([^"]+)" rel="next">/.exec(first.body)![1]!.replace(/&amp;/g, '&');
      assert.equal(next, `/admin/products/?q=${tag}&o=name&p=2`);
      const second = await client.send({ method: 'GET', url: next });
      assert.equal([...second.body.matchAll(new RegExp(`>(${tag} \\d{3})</a></th>`, 'g'))].length, 5);

      const descending = await client.send({ method: 'GET', url: `/admin/products/?q=${tag}&o=-price` });
      assert.match(descending.body, new RegExp(`>${tag} 104</a>`));
      assert.ok(descending.body.indexOf(`${tag} 104`) < descending.body.indexOf(`${tag} 103`));

      const outOfStock = await client.send({ method: 'GET', url: `/admin/products/?q=${tag}&in_stock=no` });
      assert.match(outOfStock.body, /data-testid="result-count">35 products</);
      // LIKE wildcards typed into the search match themselves, case-insensitively.
      const literal = await client.send({
        method: 'GET',
        url: `/admin/products/?q=${encodeURIComponent('EVEN 100%_MATCH')}`,
      });
      assert.match(literal.body, /data-testid="result-count">53 products</);
      const wildcard = await client.send({ method: 'GET', url: '/admin/products/?q=%25' });
      assert.ok(!/data-testid="result-count">0 products</.test(wildcard.body));
      const none = await client.send({ method: 'GET', url: `/admin/products/?q=${tag}_x%25` });
      assert.match(none.body, /data-testid="result-count">0 products</);
    });

    it('answers 404 for a product that does not exist and for a malformed id', async () => {
      for (const url of [
        '/admin/products/999999/change/',
        '/admin/products/abc/change/',
        '/admin/products/0/delete/',
      ]) {
        const response = await client.send({ method: 'GET', url });
        assert.equal(response.statusCode, 404, url);
      }
    });

    it('a NUL in a search or the user picker is answered, never a 500', async () => {
      for (const url of [
        '/admin/products/?q=a%00b',
        '/admin/users/?q=%00',
        '/admin/tokens/?q=%00',
        '/admin/tokens/user-search/?q=%00',
      ]) {
        const response = await client.send({ method: 'GET', url });
        assert.ok(response.statusCode < 500, `${url}: ${response.statusCode} ${response.body.slice(0, 200)}`);
      }
    });

    it('keeps the CSRF token usable across the pages of one session', async () => {
      const token = csrfTokenIn((await client.send({ method: 'GET', url: '/admin/' })).body);
      const response = await client.send({
        method: 'POST',
        url: '/admin/products/add/',
        headers: FORM,
        payload: new URLSearchParams({
          csrfmiddlewaretoken: token,
          name: 'Token reuse',
          description: 'd',
          price: '2',
          stock: '0',
        }).toString(),
      });
      assert.equal(response.statusCode, 302);
    });
  });
});
