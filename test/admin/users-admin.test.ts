// The admin's users section over HTTP: list, add, change, change password, delete and bulk delete,
// who may do what, the change log, and that no page ever shows a token's key.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { nowTimestamp } from '../../src/time.js';
import type { User } from '../../src/users/user.js';
import { describeEachDialect, uniqueName, type DialectContext } from '../helpers.js';
import { SessionClient } from '../sessions/session-client.js';

const PASSWORD = 'correct horse battery';
const TOO_SHORT = 'This password is too short. It must contain at least 8 characters.';
const TOO_COMMON = 'This password is too common.';
const NUMERIC = 'This password is entirely numeric.';
/** Django's help texts of its four default validators, in their order. */
const DEFAULT_HELP = [
  'Your password can’t be too similar to your other personal information.',
  'Your password must contain at least 8 characters.',
  'Your password can’t be a commonly used password.',
  'Your password can’t be entirely numeric.',
].join(' ');
const FORM = { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' };

/** The errors shown beside one field of an admin form. */
function fieldErrors(html: string, name: string): string[] {
  const match = new RegExp(`<ul class="field-errors" id="id_${name}-errors">([\\s\\S]*?)</ul>`).exec(html);
  if (match === null) return [];
  return [...match[1]!.matchAll(/<li>([^<]*)<\/li>/g)].map((m) => m[1]!);
}

/** The help text shown under one field of an admin form. */
function fieldHelp(html: string, name: string): string | undefined {
  return new RegExp(`<p class="help" id="id_${name}-help">([^<]*)</p>`).exec(html)?.[1];
}

/** The usernames of a change list page, in order. */
function listedNames(html: string): string[] {
  return [...html.matchAll(/<th scope="row">\s*<a href="\/admin\/users\/\d+\/change\/">([^<]*)<\/a>/g)].map(
    (m) => m[1]!,
  );
}

/** The flash messages shown on a page. */
function messages(html: string): string[] {
  return [...html.matchAll(/<li class="message message-\w+">([^<]*)<\/li>/g)].map((m) => m[1]!);
}

describeEachDialect('Admin: users', (ctx: () => DialectContext) => {
  /** Every token key that has existed while the suite ran: none may ever appear in a response. */
  const keys = new Set<string>();
  const responses: string[] = [];
  let root: User;
  let staff: User;
  let plain: User;

  /** A SessionClient that checks each response for token keys. */
  class AuditedClient extends SessionClient {
    override async send(options: InjectOptions): Promise<LightMyRequestResponse> {
      const rows = await ctx()
        .keygate.database.db.selectFrom('tokens')
        .select('key')
        .where('key', 'is not', null)
        .execute();
      for (const row of rows) keys.add(row.key!);
      const response = await super.send(options);
      responses.push(response.body);
      for (const key of keys)
        assert.ok(!response.body.includes(key), `${JSON.stringify(options.url)} shows a token key`);
      return response;
    }
  }

  const createUser = (username: string, extra: { isStaff?: boolean; isSuperuser?: boolean } = {}) =>
    ctx().keygate.users.createUser({ username, password: PASSWORD, ...extra });

  async function loggedIn(user: User, password = PASSWORD): Promise<AuditedClient> {
    const client = new AuditedClient(ctx().app);
    const response = await client.postForm('/admin/login/', { username: user.username, password });
    assert.equal(response.statusCode, 302, response.body);
    return client;
  }

  const get = (client: SessionClient, url: string) =>
    client.send({ method: 'GET', url, headers: { accept: 'text/html' } });

  /** Follows a redirect after a POST and returns the page it leads to. */
  async function follow(client: SessionClient, response: LightMyRequestResponse) {
    assert.equal(response.statusCode, 302, response.body);
    return get(client, String(response.headers.location));
  }

  const logEntries = (objectId: number) =>
    ctx()
      .keygate.database.db.selectFrom('admin_log')
      .selectAll()
      .where('content_type', '=', 'user')
      .where('object_id', '=', String(objectId))
      .orderBy('id')
      .execute();

  const findUser = (id: number) => ctx().keygate.users.findById(id);

  before(async () => {
    root = await createUser(uniqueName('root'), { isStaff: true, isSuperuser: true });
    staff = await createUser(uniqueName('staff'), { isStaff: true });
    plain = await createUser(uniqueName('plain'));
  });

  after(() => {
    assert.ok(keys.size > 0, 'the suite saw token keys to look for');
    for (const body of responses) for (const key of keys) assert.ok(!body.includes(key));
  });

  it('sends anyone who is not active staff to the login page, on every users page', async () => {
    const anonymous = new AuditedClient(ctx().app);
    const nonStaff = new AuditedClient(ctx().app);
    assert.equal((await nonStaff.login(plain.username, PASSWORD)).statusCode, 302);
    const urls = [
      '/admin/users/',
      '/admin/users/add/',
      `/admin/users/${plain.id}/change/`,
      `/admin/users/${plain.id}/password/`,
      `/admin/users/${plain.id}/delete/`,
    ];
    for (const client of [anonymous, nonStaff]) {
      for (const url of urls) {
        const response = await get(client, url);
        assert.equal(response.statusCode, 302, url);
        // Django's redirect_to_login leaves `/` unescaped in `next`.
        assert.equal(response.headers.location, `/admin/login/?next=${url}`);
      }
    }
    const csrf = await nonStaff.tokenFrom('/auth/login/');
    const posted = await nonStaff.send({
      method: 'POST',
      url: `/admin/users/${plain.id}/delete/`,
      headers: FORM,
      payload: new URLSearchParams({ csrfmiddlewaretoken: csrf, post: 'yes' }).toString(),
    });
    assert.equal(posted.statusCode, 302);
    assert.ok(await findUser(plain.id), 'nothing was deleted');
  });

  it('refuses a POST without its CSRF token', async () => {
    const client = await loggedIn(root);
    const username = uniqueName('nocsrf');
    const response = await client.send({
      method: 'POST',
      url: '/admin/users/add/',
      headers: FORM,
      payload: new URLSearchParams({ username, password1: PASSWORD, password2: PASSWORD }).toString(),
    });
    assert.equal(response.statusCode, 403);
    assert.equal(await ctx().keygate.users.findByUsername(username), undefined);
  });

  it('lists users with search, filters, sorting and pagination', async () => {
    const prefix = uniqueName('bulk');
    const now = nowTimestamp();
    await ctx()
      .keygate.database.db.insertInto('users')
      .values(
        Array.from({ length: 150 }, (_, i) => ({
          username: `${prefix}_${String(i).padStart(3, '0')}`,
          email: `${prefix}_${i}@example.com`,
          password: '!',
          first_name: i === 7 ? 'Zelda' : 'Ann',
          last_name: i === 7 ? 'Quartz' : 'Lee',
          is_active: i % 2 === 0,
          is_staff: i < 10,
          is_superuser: i < 3,
          date_joined: now,
        })),
      )
      .execute();
    const client = await loggedIn(root);
    const q = encodeURIComponent(prefix);

    const first = await get(client, `/admin/users/?q=${q}`);
    assert.equal(first.statusCode, 200);
    for (const heading of ['Username', 'Email address', 'First name', 'Last name', 'Staff status']) {
      assert.match(first.body, new RegExp(`<a href="[^"]*">${heading}( ▲)?</a>`));
    }
    assert.match(first.body, /placeholder="Search username, email or name"/);
    for (const title of ['By staff status', 'By superuser status', 'By active']) {
      assert.match(first.body, new RegExp(`<h3>${title}</h3>`));
    }
    assert.match(first.body, /data-testid="result-count">150 users</);
    assert.match(first.body, /Page 1 of 2/);
    const names = listedNames(first.body);
    assert.equal(names.length, 100);
    assert.equal(names[0], `${prefix}_000`);
    assert.deepEqual(names, [...names].sort(), 'username ascending by default');
    assert.match(first.body, /<span class="flag flag-yes">Yes<\/span>/);

    const second = await get(client, `/admin/users/?q=${q}&p=2`);
    assert.equal(listedNames(second.body).length, 50);
    assert.equal(listedNames(second.body).at(-1), `${prefix}_149`);

    const descending = await get(client, `/admin/users/?q=${q}&o=-username`);
    assert.equal(listedNames(descending.body)[0], `${prefix}_149`);
    const byStaff = await get(client, `/admin/users/?q=${q}&o=-is_staff`);
    assert.deepEqual(listedNames(byStaff.body).slice(0, 10).sort(), names.slice(0, 10));

    const staffOnly = await get(client, `/admin/users/?q=${q}&is_staff__exact=1`);
    assert.match(staffOnly.body, /data-testid="result-count">10 users</);
    const superusers = await get(client, `/admin/users/?q=${q}&is_superuser__exact=1`);
    assert.deepEqual(listedNames(superusers.body), [`${prefix}_000`, `${prefix}_001`, `${prefix}_002`]);
    const inactiveStaff = await get(client, `/admin/users/?q=${q}&is_active__exact=0&is_staff__exact=1`);
    assert.equal(listedNames(inactiveStaff.body).length, 5);
    const ignored = await get(client, `/admin/users/?q=${q}&is_staff__exact=maybe`);
    assert.match(ignored.body, /data-testid="result-count">150 users</);

    // Every word must match some column: a first name and a last name together, in any case.
    const byName = await get(client, `/admin/users/?q=${encodeURIComponent(`zelda QUARTZ ${prefix}`)}`);
    assert.deepEqual(listedNames(byName.body), [`${prefix}_007`]);
    const byEmail = await get(client, `/admin/users/?q=${encodeURIComponent(`${prefix}_42@example`)}`);
    assert.deepEqual(listedNames(byEmail.body), [`${prefix}_042`]);
    const wildcard = await get(client, `/admin/users/?q=${encodeURIComponent(`${prefix}%`)}`);
    assert.deepEqual(listedNames(wildcard.body), []);
  });

  it('shows errors beside the add form fields and never re-fills a password', async () => {
    const client = await loggedIn(root);
    const page = await get(client, '/admin/users/add/');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<label for="id_username" class="required">Username<\/label>/);
    assert.match(page.body, /<label for="id_password1" class="required">Password<\/label>/);
    assert.match(page.body, /<label for="id_password2" class="required">Password confirmation<\/label>/);
    assert.match(
      page.body,
      /Required\. 150 characters or fewer\. Letters, digits and @\/\.\/\+\/-\/_ only\./,
    );
    assert.match(page.body, /name="password1" type="password" value="" autocomplete="new-password"/);

    const typed = 'mismatch-secret-1';
    const mismatch = await client.postForm('/admin/users/add/', {
      username: 'bad name!',
      password1: typed,
      password2: 'mismatch-secret-2',
    });
    assert.equal(mismatch.statusCode, 200);
    assert.match(mismatch.body, /data-testid="form-errors">Please correct the errors below\./);
    assert.deepEqual(fieldErrors(mismatch.body, 'username'), [
      'Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters.',
    ]);
    assert.deepEqual(fieldErrors(mismatch.body, 'password2'), ['The two password fields didn’t match.']);
    assert.match(mismatch.body, /id="id_password2" name="password2" type="password" value=""/);
    assert.ok(!mismatch.body.includes(typed), 'the password is not echoed');
    assert.match(mismatch.body, /name="username" type="text" value="bad name!"/);

    const weak = await client.postForm('/admin/users/add/', {
      username: plain.username,
      password1: '1234',
      password2: '1234',
    });
    assert.deepEqual(fieldErrors(weak.body, 'username'), ['A user with that username already exists.']);
    assert.deepEqual(fieldErrors(weak.body, 'password2'), [TOO_SHORT, TOO_COMMON, NUMERIC]);

    const blank = await client.postForm('/admin/users/add/', { username: '', password1: '', password2: '' });
    for (const name of ['username', 'password1', 'password2']) {
      assert.deepEqual(fieldErrors(blank.body, name), ['This field is required.'], name);
    }
  });

  it('refuses a common password or one like the username on the add form, and saves nothing', async () => {
    const client = await loggedIn(root);
    const page = await get(client, '/admin/users/add/');
    assert.equal(fieldHelp(page.body, 'password1'), DEFAULT_HELP);
    const logBefore = await ctx().keygate.database.db.selectFrom('admin_log').select('id').execute();
    const cases = [
      ['robert.smith', 'smithrobert', ['The password is too similar to the username.']],
      [uniqueName('common'), 'password1', [TOO_COMMON]],
      [uniqueName('common'), 'Password', [TOO_COMMON]],
      [uniqueName('digits'), '12345678', [TOO_COMMON, NUMERIC]],
    ] as const;
    for (const [username, password, expected] of cases) {
      const response = await client.postForm('/admin/users/add/', {
        username,
        password1: password,
        password2: password,
      });
      assert.equal(response.statusCode, 200, password);
      assert.match(response.body, /data-testid="form-errors">Please correct the error below\./);
      assert.deepEqual(fieldErrors(response.body, 'password2'), expected, password);
      assert.deepEqual(fieldErrors(response.body, 'username'), []);
      assert.ok(!response.body.includes(`value="${password}"`), 'the password is not echoed');
      assert.equal(await ctx().keygate.users.findByUsername(username), undefined, username);
    }
    // An invalid username is not compared with: Django's form has no username to compare then.
    const invalid = await client.postForm('/admin/users/add/', {
      username: 'robert smith!',
      password1: 'smithrobert!',
      password2: 'smithrobert!',
    });
    assert.deepEqual(fieldErrors(invalid.body, 'password2'), []);
    const logAfter = await ctx().keygate.database.db.selectFrom('admin_log').select('id').execute();
    assert.equal(logAfter.length, logBefore.length, 'nothing was recorded');
  });

  it('adds a user, records it, and continues to the change page', async () => {
    const client = await loggedIn(root);
    const username = uniqueName('added');
    const response = await client.postForm('/admin/users/add/', {
      username,
      password1: PASSWORD,
      password2: PASSWORD,
      _save: '1',
    });
    const user = await ctx().keygate.users.findByUsername(username);
    assert.ok(user);
    assert.equal(response.headers.location, `/admin/users/${user.id}/change/`);
    const page = await follow(client, response);
    assert.deepEqual(messages(page.body), [
      `The user “${username}” was added successfully. You may edit it again below.`,
    ]);
    assert.ok(await ctx().keygate.users.authenticate(username, PASSWORD));
    const [entry, ...more] = await logEntries(user.id);
    assert.equal(more.length, 0);
    assert.equal(Number(entry!.user_id), root.id);
    assert.equal(Number(entry!.action_flag), 1);
    assert.equal(entry!.object_repr, username);
    assert.ok(!JSON.stringify(entry).includes(PASSWORD));

    const another = await client.postForm('/admin/users/add/', {
      username: uniqueName('another'),
      password1: PASSWORD,
      password2: PASSWORD,
      _addanother: '1',
    });
    assert.equal(another.headers.location, '/admin/users/add/');
  });

  it('changes a user’s details and records which fields changed', async () => {
    const client = await loggedIn(root);
    const target = await createUser(uniqueName('target'));
    const url = `/admin/users/${target.id}/change/`;
    const page = await get(client, url);
    assert.equal(page.statusCode, 200);
    assert.match(
      page.body,
      new RegExp(
        `<a class="button button-quiet" href="/admin/users/${target.id}/password/">Change password</a>`,
      ),
    );
    assert.match(page.body, new RegExp(`name="username" type="text" value="${target.username}" disabled`));
    assert.match(page.body, /<label for="id_email">Email address<\/label>/);
    assert.match(page.body, /Unselect this instead of deleting accounts\./);
    assert.match(page.body, /Last login/);
    assert.match(page.body, /value="Never"/);
    assert.match(page.body, /Date joined/);
    assert.doesNotMatch(page.body, /id="id_is_staff" name="is_staff" type="checkbox" value="on" disabled/);

    const invalid = await client.postForm(url, { email: 'not-an-address', is_active: 'on' });
    assert.equal(invalid.statusCode, 200);
    assert.deepEqual(fieldErrors(invalid.body, 'email'), ['Enter a valid email address.']);

    const saved = await client.postForm(url, {
      username: 'renamed',
      email: 'target@example.com',
      first_name: '',
      last_name: '',
      is_active: 'on',
      is_staff: 'on',
      _continue: '1',
    });
    assert.equal(saved.headers.location, url);
    const changed = await findUser(target.id);
    assert.equal(changed?.email, 'target@example.com');
    assert.equal(changed?.isStaff, true);
    assert.equal(changed?.username, target.username, 'the username is not renamed');
    const unchanged = await client.postForm(url, {
      email: 'target@example.com',
      is_active: 'on',
      is_staff: 'on',
    });
    assert.equal(unchanged.headers.location, '/admin/users/');
    const listed = await follow(client, unchanged);
    assert.deepEqual(messages(listed.body), [`The user “${target.username}” was changed successfully.`]);
    const entries = await logEntries(target.id);
    assert.deepEqual(
      entries.map((e) => [Number(e.action_flag), e.change_message, e.object_repr, Number(e.user_id)]),
      [
        [2, 'Changed email and is_staff.', target.username, root.id],
        [2, 'No fields changed.', target.username, root.id],
      ],
    );
  });

  it('lets staff who are not superusers change others but not the staff flags nor a superuser', async () => {
    const client = await loggedIn(staff);
    const target = await createUser(uniqueName('managed'));
    const url = `/admin/users/${target.id}/change/`;
    const page = await get(client, url);
    assert.match(page.body, /id="id_is_staff" name="is_staff" type="checkbox" value="on" disabled/);
    assert.match(page.body, /id="id_is_superuser" name="is_superuser" type="checkbox" value="on" disabled/);
    const saved = await client.postForm(url, {
      first_name: 'Grace',
      is_active: 'on',
      is_staff: 'on',
      is_superuser: 'on',
    });
    assert.equal(saved.statusCode, 302);
    const updated = await findUser(target.id);
    assert.equal(updated?.firstName, 'Grace');
    assert.equal(updated?.isStaff, false);
    assert.equal(updated?.isSuperuser, false);
    assert.equal((await logEntries(target.id))[0]?.change_message, 'Changed first_name.');

    for (const path of ['change', 'password', 'delete']) {
      const denied = await get(client, `/admin/users/${root.id}/${path}/`);
      assert.equal(denied.statusCode, 403, path);
      assert.match(String(denied.headers['content-type']), /text\/html/);
    }
    const posted = await client.postForm(
      `/admin/users/${root.id}/change/`,
      { email: 'taken@example.com', is_active: '' },
      url,
    );
    assert.equal(posted.statusCode, 403);
    const password = await client.postForm(
      `/admin/users/${root.id}/password/`,
      { password1: 'new password 1', password2: 'new password 1' },
      url,
    );
    assert.equal(password.statusCode, 403);
    assert.ok(await ctx().keygate.users.authenticate(root.username, PASSWORD));
    const bulk = await client.send({
      method: 'POST',
      url: '/admin/users/',
      headers: FORM,
      payload: new URLSearchParams([
        ['csrfmiddlewaretoken', await client.tokenFrom('/admin/users/')],
        ['action', 'delete_selected'],
        ['_selected_action', String(target.id)],
        ['_selected_action', String(root.id)],
        ['post', 'yes'],
      ]).toString(),
    });
    assert.equal(bulk.statusCode, 403);
    assert.ok(await findUser(root.id));
    assert.ok(await findUser(target.id), 'nothing was deleted');
    const rootAfter = await findUser(root.id);
    assert.equal(rootAfter?.email, root.email);
    assert.equal(rootAfter?.isActive, true);
  });

  it('changes a password: the old one stops working and the user’s sessions end', async () => {
    const admin = await loggedIn(root);
    const victim = await createUser(uniqueName('victim'));
    const browser = new AuditedClient(ctx().app);
    assert.equal((await browser.login(victim.username, PASSWORD)).statusCode, 302);
    const url = `/admin/users/${victim.id}/password/`;
    const page = await get(admin, url);
    assert.match(page.body, /<label for="id_password1" class="required">Password<\/label>/);
    assert.match(page.body, /<label for="id_password2" class="required">Password \(again\)<\/label>/);

    const mismatch = await admin.postForm(url, { password1: 'new password 1', password2: 'new password 2' });
    assert.deepEqual(fieldErrors(mismatch.body, 'password2'), ['The two password fields didn’t match.']);
    const short = await admin.postForm(url, { password1: 'short', password2: 'short' });
    assert.deepEqual(fieldErrors(short.body, 'password2'), [
      'This password is too short. It must contain at least 8 characters.',
    ]);
    assert.ok(await ctx().keygate.users.authenticate(victim.username, PASSWORD));

    const changed = await admin.postForm(url, { password1: 'new password 1', password2: 'new password 1' });
    assert.equal(changed.headers.location, `/admin/users/${victim.id}/change/`);
    const next = await follow(admin, changed);
    assert.deepEqual(messages(next.body), ['Password changed successfully.']);
    assert.equal(await ctx().keygate.users.authenticate(victim.username, PASSWORD), null);
    assert.ok(await ctx().keygate.users.authenticate(victim.username, 'new password 1'));
    const sessions = await ctx()
      .keygate.database.db.selectFrom('sessions')
      .select('id')
      .where('user_id', '=', victim.id)
      .execute();
    assert.equal(sessions.length, 0, 'the victim’s browser was logged out');
    const entries = await logEntries(victim.id);
    assert.deepEqual(
      entries.map((e) => e.change_message),
      ['Changed password.'],
    );
  });

  it('refuses a common password or one like the user’s e-mail on the change-password page', async () => {
    const admin = await loggedIn(root);
    const victim = await ctx().keygate.users.createUser({
      username: uniqueName('wanda'),
      email: 'wanda.maximoff@example.com',
      firstName: 'Wanda',
      password: PASSWORD,
    });
    const browser = new AuditedClient(ctx().app);
    assert.equal((await browser.login(victim.username, PASSWORD)).statusCode, 302);
    const url = `/admin/users/${victim.id}/password/`;
    assert.equal(fieldHelp((await get(admin, url)).body, 'password1'), DEFAULT_HELP);
    const cases = [
      ['password', [TOO_COMMON]],
      ['maximoff12', ['The password is too similar to the email address.']],
      [victim.username, ['The password is too similar to the username.']],
      ['1234', [TOO_SHORT, TOO_COMMON, NUMERIC]],
    ] as const;
    for (const [password, expected] of cases) {
      const response = await admin.postForm(url, { password1: password, password2: password });
      assert.equal(response.statusCode, 200, password);
      assert.deepEqual(fieldErrors(response.body, 'password2'), expected, password);
      assert.equal(await ctx().keygate.users.authenticate(victim.username, password), null);
    }
    assert.ok(await ctx().keygate.users.authenticate(victim.username, PASSWORD), 'unchanged');
    assert.deepEqual(await logEntries(victim.id), [], 'nothing was recorded');
    const sessions = await ctx()
      .keygate.database.db.selectFrom('sessions')
      .select('id')
      .where('user_id', '=', victim.id)
      .execute();
    assert.equal(sessions.length, 1, 'the user’s session was left alone');
  });

  it('keeps the admin logged in after changing their own password', async () => {
    const self = await createUser(uniqueName('selfroot'), { isStaff: true, isSuperuser: true });
    const client = await loggedIn(self);
    const other = await loggedIn(self);
    const url = `/admin/users/${self.id}/password/`;
    const changed = await client.postForm(url, {
      password1: 'my new password',
      password2: 'my new password',
    });
    assert.equal(changed.statusCode, 302);
    const page = await follow(client, changed);
    assert.equal(page.statusCode, 200, 'still logged in');
    assert.deepEqual(messages(page.body), ['Password changed successfully.']);
    const elsewhere = await get(other, '/admin/users/');
    assert.equal(elsewhere.statusCode, 302, 'the other browser was logged out');
    assert.ok(await ctx().keygate.users.authenticate(self.username, 'my new password'));
  });

  it('deletes a user with their token after a confirmation that names the token by its hint', async () => {
    const client = await loggedIn(root);
    const doomed = await createUser(uniqueName('doomed'));
    const issued = await ctx().keygate.tokens.issueForLogin(doomed);
    const api = () =>
      ctx().app.inject({
        method: 'GET',
        url: '/product_api/',
        headers: { authorization: `Token ${issued.key}` },
      });
    assert.equal((await api()).statusCode, 200);

    const url = `/admin/users/${doomed.id}/delete/`;
    const page = await get(client, url);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, new RegExp(`delete the user “${doomed.username}”`));
    assert.ok(page.body.includes(`<li>Token: ${issued.token.hint}…</li>`), page.body);

    const deleted = await client.postForm(url, { post: 'yes' });
    assert.equal(deleted.headers.location, '/admin/users/');
    const list = await follow(client, deleted);
    assert.deepEqual(messages(list.body), [`The user “${doomed.username}” was deleted successfully.`]);
    assert.equal(await findUser(doomed.id), undefined);
    const tokens = await ctx()
      .keygate.database.db.selectFrom('tokens')
      .select('id')
      .where('user_id', '=', doomed.id)
      .execute();
    assert.equal(tokens.length, 0);
    assert.equal((await api()).statusCode, 401);
    const entries = await logEntries(doomed.id);
    assert.deepEqual(
      entries.map((e) => [Number(e.action_flag), e.object_repr]),
      [[3, doomed.username]],
    );
  });

  it('bulk-deletes selected users after a confirmation page', async () => {
    const client = await loggedIn(root);
    const first = await createUser(uniqueName('bulkdel'));
    const second = await createUser(uniqueName('bulkdel'));
    const selection: [string, string][] = [
      ['action', 'delete_selected'],
      ['_selected_action', String(first.id)],
      ['_selected_action', String(second.id)],
    ];
    const post = async (extra: [string, string][] = []) =>
      client.send({
        method: 'POST',
        url: '/admin/users/',
        headers: FORM,
        payload: new URLSearchParams([
          ['csrfmiddlewaretoken', await client.tokenFrom('/admin/users/')],
          ...selection,
          ...extra,
        ]).toString(),
      });

    const confirm = await post();
    assert.equal(confirm.statusCode, 200);
    assert.match(confirm.body, /Are you sure you want to delete the selected users\?/);
    assert.ok(confirm.body.includes(first.username) && confirm.body.includes(second.username));
    assert.equal((confirm.body.match(/<li>Token: [^<]+…<\/li>/g) ?? []).length, 2);
    assert.ok(await findUser(first.id), 'nothing is deleted before confirming');

    const done = await post([['post', 'yes']]);
    assert.equal(done.statusCode, 302);
    const list = await follow(client, done);
    assert.deepEqual(messages(list.body), ['Successfully deleted 2 users.']);
    assert.equal(await findUser(first.id), undefined);
    assert.equal(await findUser(second.id), undefined);
    assert.equal((await logEntries(first.id)).length, 1);
    assert.equal((await logEntries(second.id)).length, 1);
  });

  it('refuses to delete the admin’s own account', async () => {
    const client = await loggedIn(root);
    const page = await get(client, `/admin/users/${root.id}/change/`);
    assert.doesNotMatch(page.body, /class="button button-danger deletelink"/);
    const asked = await get(client, `/admin/users/${root.id}/delete/`);
    assert.equal(asked.headers.location, `/admin/users/${root.id}/change/`);
    const back = await follow(client, asked);
    assert.deepEqual(messages(back.body), ['You cannot delete your own account.']);
    const posted = await client.postForm(`/admin/users/${root.id}/delete/`, { post: 'yes' }, '/admin/users/');
    assert.equal(posted.statusCode, 302);

    const bulk = await client.send({
      method: 'POST',
      url: '/admin/users/',
      headers: FORM,
      payload: new URLSearchParams([
        ['csrfmiddlewaretoken', await client.tokenFrom('/admin/users/')],
        ['action', 'delete_selected'],
        ['_selected_action', String(root.id)],
        ['post', 'yes'],
      ]).toString(),
    });
    assert.equal(bulk.statusCode, 302);
    const list = await follow(client, bulk);
    assert.deepEqual(messages(list.body), ['You cannot delete your own account.']);
    assert.ok(await findUser(root.id));
  });
});

describeEachDialect(
  'Admin: users, with PASSWORD_VALIDATORS=MinimumLength:10',
  (ctx: () => DialectContext) => {
    it('the add form applies exactly the configured validators and shows their help', async () => {
      const root = await ctx().keygate.users.createUser({
        username: uniqueName('root'),
        password: PASSWORD,
        isStaff: true,
        isSuperuser: true,
      });
      const client = new SessionClient(ctx().app);
      assert.equal(
        (await client.postForm('/admin/login/', { username: root.username, password: PASSWORD })).statusCode,
        302,
      );
      const page = await client.send({
        method: 'GET',
        url: '/admin/users/add/',
        headers: { accept: 'text/html' },
      });
      assert.equal(fieldHelp(page.body, 'password1'), 'Your password must contain at least 10 characters.');

      const username = uniqueName('lax');
      const short = await client.postForm('/admin/users/add/', {
        username,
        password1: 'password1',
        password2: 'password1',
      });
      assert.deepEqual(fieldErrors(short.body, 'password2'), [
        'This password is too short. It must contain at least 10 characters.',
      ]);
      assert.equal(await ctx().keygate.users.findByUsername(username), undefined);
      const common = await client.postForm('/admin/users/add/', {
        username,
        password1: 'password12',
        password2: 'password12',
      });
      assert.equal(common.statusCode, 302, 'the common-password validator is off');
      assert.ok(await ctx().keygate.users.authenticate(username, 'password12'));
    });
  },
  { env: { PASSWORD_VALIDATORS: 'MinimumLength:10' } },
);
