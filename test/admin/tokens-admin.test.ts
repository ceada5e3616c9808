// The admin's tokens section under both policies: list, search, filter and sort; the add form's
// user picker; add, regenerate and delete (one and bulk); a superuser's tokens out of reach of staff
// who are not superusers; and no key in a URL, a redirect or the log.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { describeEachDialect, uniqueName, type DialectContext } from '../helpers.js';
import type { User } from '../../src/users/user.js';
import { SessionClient } from '../sessions/session-client.js';

const PASSWORD = 'correct horse battery';
const INVALID_CHOICE = 'Select a valid choice. That choice is not one of the available choices.';
const FORM = { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' };
/** What a staff user who is not a superuser is told on a superuser's token. */
const SUPERUSER_TOKENS_ONLY = 'Only a superuser can see or change a superuser’s tokens.';

/**
 * A SessionClient that also keeps every Location header it was sent, and sends cookies back as
 * they were set, still URL-encoded, as a browser does (SessionClient stores the decoded values,
 * which breaks a flash message containing `;`).
 */
class RecordingClient extends SessionClient {
  constructor(
    app: FastifyInstance,
    readonly locations: string[],
    /** Every response body this client received, in order. */
    readonly bodies: string[] = [],
  ) {
    super(app);
  }

  override async send(options: InjectOptions): Promise<LightMyRequestResponse> {
    const response = await super.send(options);
    this.bodies.push(response.body);
    for (const header of [response.headers['set-cookie'] ?? []].flat()) {
      const pair = header.slice(0, header.indexOf(';') === -1 ? undefined : header.indexOf(';'));
      const name = pair.slice(0, pair.indexOf('='));
      if (this.cookies.has(name)) this.cookies.set(name, pair.slice(pair.indexOf('=') + 1));
    }
    const location = response.headers.location;
    if (typeof location === 'string') this.locations.push(location);
    return response;
  }
}

/** The key a page shows in its `token-key` element. */
function keyIn(html: string): string {
  const match = /data-testid="token-key">([^<]+)</.exec(html);
  assert.ok(match, 'the page shows a key');
  return match[1]!;
}

/** The token id of a `/admin/tokens/<id>/change/` link or Location. */
function tokenIdIn(text: string): number {
  const match = /\/admin\/tokens\/(\d+)\/change\//.exec(text);
  assert.ok(match, `a token page link in ${text.slice(0, 200)}`);
  return Number(match[1]);
}

/** The usernames of a change list's rows, in order. */
function listedUsers(html: string): string[] {
  return [...html.matchAll(/<th scope="row">\s*<a href="\/admin\/tokens\/\d+\/change\/">([^<]+)<\/a>/g)].map(
    (m) => m[1]!,
  );
}

function tokenAdminSuite(policy: 'drf' | 'hashed') {
  return (ctx: () => DialectContext) => {
    const hashed = policy === 'hashed';
    /** Every Location header any client was sent, and every key issued, for the last test. */
    const locations: string[] = [];
    const keys: string[] = [];
    let staff: string;
    let client: RecordingClient;

    const db = () => ctx().keygate.database.db;

    async function staffClient(): Promise<RecordingClient> {
      const logged = new RecordingClient(ctx().app, locations);
      const response = await logged.postForm('/admin/login/', { username: staff, password: PASSWORD });
      assert.equal(response.statusCode, 302);
      return logged;
    }

    async function newUser(prefix: string, password: string | null = null): Promise<string> {
      const username = uniqueName(prefix);
      await ctx().keygate.users.createUser({ username, password });
      return username;
    }

    const userIdOf = async (username: string) => (await ctx().keygate.users.requireUser(username)).id;

    /** Status of `GET /product_api/` with `Authorization: Token <key>`. */
    async function apiStatus(key: string): Promise<number> {
      const response = await ctx().app.inject({
        method: 'GET',
        url: '/product_api/',
        headers: { authorization: `Token ${key}`, accept: 'application/json' },
      });
      return response.statusCode;
    }

    /** Adds a token in the admin; returns its id and key (from its page under drf, the answer under hashed). */
    async function addToken(username: string, name = '', by = client): Promise<{ id: number; key: string }> {
      const response = await by.postForm('/admin/tokens/add/', {
        user: username,
        ...(hashed && { name }),
      });
      if (hashed) {
        assert.equal(response.statusCode, 200, response.body);
        const key = keyIn(response.body);
        keys.push(key);
        return { id: tokenIdIn(response.body), key };
      }
      assert.equal(response.statusCode, 302, response.body);
      const id = tokenIdIn(String(response.headers.location));
      const page = await by.send({ method: 'GET', url: `/admin/tokens/${id}/change/` });
      const key = keyIn(page.body);
      keys.push(key);
      return { id, key };
    }

    /** Posts a form with repeated fields (the list's checkboxes), with the CSRF token of `pageUrl`. */
    async function postPairs(url: string, pairs: [string, string][], pageUrl = url) {
      const csrf = await client.tokenFrom(pageUrl);
      return client.send({
        method: 'POST',
        url,
        headers: FORM,
        payload: new URLSearchParams([...pairs, ['csrfmiddlewaretoken', csrf]]).toString(),
      });
    }

    const tokenLog = () =>
      db().selectFrom('admin_log').selectAll().where('content_type', '=', 'token').orderBy('id').execute();

    before(async () => {
      staff = uniqueName('staff');
      await ctx().keygate.users.createUser({ username: staff, password: PASSWORD, isStaff: true });
      client = await staffClient();
    });

    it('lists tokens with user, key hint, created and last used, newest first', async () => {
      const first = await newUser('tka');
      const second = await newUser('tkb');
      const a = await addToken(first, 'laptop');
      const b = await addToken(second, 'phone');
      const page = await client.send({ method: 'GET', url: '/admin/tokens/' });
      assert.equal(page.statusCode, 200);
      assert.equal(page.headers['cache-control'], 'no-store, private');
      const users = listedUsers(page.body);
      assert.deepEqual(users.slice(0, 2), [second, first], 'created descending by default');
      assert.match(page.body, new RegExp(`<a href="/admin/tokens/${a.id}/change/">${first}</a>`));
      assert.ok(page.body.includes(`${a.key.slice(0, hashed ? 7 : 4)}…`), 'the hint is shown');
      for (const key of [a.key, b.key]) assert.ok(!page.body.includes(key), 'never the key');
      for (const label of ['User', 'Key', 'Created', 'Last used']) assert.ok(page.body.includes(label));
      assert.equal(/<th scope="col">\s*Name\s*<\/th>/.test(page.body), hashed, 'a Name column under hashed');
      if (hashed) assert.ok(page.body.includes('laptop'));
      assert.ok(page.body.includes('By created'));
      for (const label of ['Today', 'Past 7 days', 'This month', 'This year']) {
        assert.ok(page.body.includes(`>${label}</a>`), label);
      }
    });

    it('searches by username, case-insensitively', async () => {
      const username = await newUser('findme');
      await addToken(username);
      const suffix = username.slice(username.indexOf('_') + 1).toUpperCase();
      const page = await client.send({ method: 'GET', url: `/admin/tokens/?q=${suffix}` });
      assert.deepEqual(listedUsers(page.body), [username]);
      assert.match(page.body, /data-testid="result-count">1 token</);
      const none = await client.send({ method: 'GET', url: '/admin/tokens/?q=nobody_has_this_name' });
      assert.deepEqual(listedUsers(none.body), []);
    });

    it('filters by created, in UTC', async () => {
      const old = await newUser('old');
      const recent = await newUser('recent');
      const oldToken = await addToken(old);
      await addToken(recent);
      const longAgo = new Date(Date.now() - 400 * 86_400_000).toISOString().replace('Z', '000Z');
      const threeDaysAgo = new Date(Date.now() - 3 * 86_400_000).toISOString().replace('Z', '000Z');
      await db().updateTable('tokens').set({ created: longAgo }).where('id', '=', oldToken.id).execute();
      const listed = async (query: string) =>
        listedUsers((await client.send({ method: 'GET', url: `/admin/tokens/${query}` })).body);

      assert.ok((await listed('')).includes(old));
      for (const choice of ['today', 'past_7_days', 'this_month', 'this_year']) {
        const users = await listed(`?created=${choice}`);
        assert.ok(!users.includes(old), `${choice} leaves out a token from 400 days ago`);
        assert.ok(users.includes(recent), `${choice} includes a token made now`);
      }
      await db().updateTable('tokens').set({ created: threeDaysAgo }).where('id', '=', oldToken.id).execute();
      assert.ok(!(await listed('?created=today')).includes(old));
      assert.ok((await listed('?created=past_7_days')).includes(old));
      // An unknown value is ignored, as Django ignores it.
      assert.ok((await listed('?created=yesterday')).includes(old));
    });

    it('sorts by user and by last used', async () => {
      const byUser = listedUsers((await client.send({ method: 'GET', url: '/admin/tokens/?o=user' })).body);
      assert.deepEqual(byUser, [...byUser].sort(), 'usernames ascending');
      const reversed = listedUsers(
        (await client.send({ method: 'GET', url: '/admin/tokens/?o=-user' })).body,
      );
      assert.deepEqual(reversed, [...byUser].reverse());

      const used = await newUser('used');
      const { id } = await addToken(used);
      await db()
        .updateTable('tokens')
        .set({ last_used_at: '2999-01-01T00:00:00.000000Z' })
        .where('id', '=', id)
        .execute();
      const page = await client.send({ method: 'GET', url: '/admin/tokens/?o=-last_used' });
      assert.equal(listedUsers(page.body)[0], used);
      assert.match(page.body, /2999-01-01 00:00:00 UTC/);
      const ascending = listedUsers(
        (await client.send({ method: 'GET', url: '/admin/tokens/?o=last_used' })).body,
      );
      assert.equal(ascending.at(-1), used, 'never-used tokens sort as the oldest');
    });

    it('user-search answers up to 20 users whose username starts with q, by username', async () => {
      const prefix = uniqueName('pick');
      const made: string[] = [];
      for (let i = 0; i < 25; i++) {
        const username = `${prefix}_${String(i).padStart(2, '0')}`;
        await ctx().keygate.users.createUser({ username, password: null });
        made.push(username);
      }
      const search = (q: string) =>
        client.send({ method: 'GET', url: `/admin/tokens/user-search/?q=${encodeURIComponent(q)}` });

      const response = await search(prefix);
      assert.equal(response.statusCode, 200);
      assert.equal(response.headers['content-type'], 'application/json; charset=utf-8');
      assert.equal(response.headers['cache-control'], 'no-store, private');
      const body = response.json<{ results: { id: number; username: string }[] }>();
      assert.deepEqual(Object.keys(body), ['results']);
      assert.equal(body.results.length, 20);
      assert.deepEqual(
        body.results.map((r) => r.username),
        made.slice(0, 20),
      );
      const firstId = await userIdOf(made[0]!);
      assert.deepEqual(body.results[0], { id: firstId, username: made[0] });

      const narrower = (await search(`${prefix}_2`)).json<{ results: { username: string }[] }>();
      assert.deepEqual(
        narrower.results.map((r) => r.username),
        made.slice(20),
      );
      // A prefix, not "contains", and case-sensitive.
      const middle = prefix.slice(2);
      const contains = (await search(middle)).json<{ results: unknown[] }>();
      assert.deepEqual(contains.results, []);
      assert.deepEqual((await search(prefix.toUpperCase())).json<{ results: unknown[] }>().results, []);
      // LIKE wildcards are ordinary characters here.
      assert.deepEqual((await search('%')).json<{ results: unknown[] }>().results, []);
    });

    it('user-search is for staff only: others are sent to the admin login', async () => {
      const anonymous = await ctx().app.inject({ method: 'GET', url: '/admin/tokens/user-search/?q=a' });
      assert.equal(anonymous.statusCode, 302);
      assert.match(String(anonymous.headers.location), /^\/admin\/login\/\?next=/);
      const plain = await newUser('plain', PASSWORD);
      const nonStaff = new SessionClient(ctx().app);
      assert.equal((await nonStaff.login(plain, PASSWORD)).statusCode, 302);
      const response = await nonStaff.send({ method: 'GET', url: '/admin/tokens/user-search/?q=a' });
      assert.equal(response.statusCode, 302);
      assert.match(String(response.headers.location), /^\/admin\/login\/\?next=/);
      assert.ok(!response.body.includes('results'));
    });

    it('the add form picks a user by typing, with suggestions from the picker script', async () => {
      const page = await client.send({ method: 'GET', url: '/admin/tokens/add/' });
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /<label for="id_user" class="required">User<\/label>/);
      assert.match(page.body, /<input id="id_user" name="user" type="text" value="" list="user-suggestions"/);
      assert.match(page.body, /autocomplete="off"/);
      assert.match(page.body, /<datalist id="user-suggestions"><\/datalist>/);
      assert.match(page.body, /<script src="\/static\/admin-token\.js" defer><\/script>/);
      assert.equal(/name="name"/.test(page.body), hashed, 'a Name field under hashed only');
      const script = await ctx().app.inject({ method: 'GET', url: '/static/admin-token.js' });
      assert.equal(script.statusCode, 200);
      assert.match(String(script.headers['content-type']), /^text\/javascript/);
      assert.match(script.body, /user-search|dataset\.userSearch/);
      // Other admin pages do not load it.
      const home = await client.send({ method: 'GET', url: '/admin/' });
      assert.ok(!home.body.includes('admin-token.js'));
    });

    it('add refuses an unknown or missing user beside the field', async () => {
      const unknown = await client.postForm('/admin/tokens/add/', { user: 'no_such_user_anywhere' });
      assert.equal(unknown.statusCode, 200);
      assert.match(
        unknown.body,
        new RegExp(`<ul class="field-errors" id="id_user-errors">\\s*<li>${INVALID_CHOICE}`),
      );
      assert.match(unknown.body, /value="no_such_user_anywhere"/);
      const missing = await client.postForm('/admin/tokens/add/', { user: '' });
      assert.match(missing.body, /id="id_user-errors">\s*<li>This field is required\./);
    });

    if (!hashed) {
      it('drf: add shows the key on the token page, and the key authenticates', async () => {
        const owner = await newUser('owner');
        const response = await client.postForm('/admin/tokens/add/', { user: owner });
        assert.equal(response.statusCode, 302);
        const id = tokenIdIn(String(response.headers.location));
        assert.equal(response.headers.location, `/admin/tokens/${id}/change/`);
        const page = await client.send({ method: 'GET', url: `/admin/tokens/${id}/change/` });
        assert.equal(page.statusCode, 200);
        assert.equal(page.headers['cache-control'], 'no-store, private');
        assert.ok(page.body.includes(`The token for “${owner}” was added successfully.`));
        const key = keyIn(page.body);
        keys.push(key);
        assert.match(key, /^[0-9a-f]{40}$/);
        assert.match(page.body, /<code id="token-key" class="key-display" data-testid="token-key">/);
        assert.match(
          page.body,
          /<button type="button" class="button" data-copy-target="token-key" hidden>Copy<\/button>/,
        );
        assert.ok(page.body.includes(`<a href="/admin/users/${await userIdOf(owner)}/change/">${owner}</a>`));
        assert.match(
          page.body,
          new RegExp(`<a class="button" href="/admin/tokens/${id}/regenerate/">Regenerate key</a>`),
        );
        assert.ok(page.body.includes(`href="/admin/tokens/${id}/delete/"`));
        assert.equal(await apiStatus(key), 200);

        const entry = (await tokenLog()).at(-1)!;
        assert.equal(entry.action_flag, 1);
        assert.equal(entry.object_id, String(id));
        assert.equal(entry.object_repr, `Token for ${owner}`);
      });

      it('drf: a second token for the same user is refused beside the User field', async () => {
        const owner = await newUser('twice');
        await addToken(owner);
        const again = await client.postForm('/admin/tokens/add/', { user: owner });
        assert.equal(again.statusCode, 200);
        assert.match(again.body, /id="id_user-errors">\s*<li>Token with this User already exists\./);
        const rows = await db()
          .selectFrom('tokens')
          .select('id')
          .where('user_id', '=', await userIdOf(owner))
          .execute();
        assert.equal(rows.length, 1);
      });
    } else {
      it('hashed: add shows the key once, the token page never does, and the key authenticates', async () => {
        const owner = await newUser('device');
        const response = await client.postForm('/admin/tokens/add/', { user: owner, name: 'CI runner' });
        assert.equal(response.statusCode, 200, 'the key is answered, not redirected to');
        assert.equal(response.headers.location, undefined);
        assert.equal(response.headers['cache-control'], 'no-store, private');
        const key = keyIn(response.body);
        keys.push(key);
        assert.match(key, /^kg_[0-9A-Za-z]{38}$/);
        assert.match(response.body, /data-testid="key-warning">[^<]*will not be shown again/);
        assert.match(response.body, /data-copy-target="token-key"/);
        const id = tokenIdIn(response.body);
        assert.equal(await apiStatus(key), 200);

        const page = await client.send({ method: 'GET', url: `/admin/tokens/${id}/change/` });
        assert.equal(page.statusCode, 200);
        assert.ok(!page.body.includes(key), 'the key is not on the token page');
        assert.ok(!page.body.includes('data-testid="token-key"'));
        assert.ok(page.body.includes(`${key.slice(0, 7)}…`));
        assert.match(page.body, /shown only once, at creation/);
        assert.ok(page.body.includes('CI runner'));
        for (const label of ['Expires', 'Scopes', 'Name']) assert.ok(page.body.includes(label));

        // Another named token for the same user is fine under hashed.
        const second = await addToken(owner, 'laptop');
        assert.notEqual(second.id, id);
        assert.equal(await apiStatus(second.key), 200);
        const tooLong = await client.postForm('/admin/tokens/add/', { user: owner, name: 'x'.repeat(101) });
        assert.match(
          tooLong.body,
          /id="id_name-errors">\s*<li>Ensure this field has no more than 100 characters\./,
        );
      });
    }

    it('regenerate asks first, then replaces the key: the old one is refused at once', async () => {
      const owner = await newUser('regen');
      const old = await addToken(owner, 'desk');
      const confirm = await client.send({ method: 'GET', url: `/admin/tokens/${old.id}/regenerate/` });
      assert.equal(confirm.statusCode, 200);
      assert.ok(
        confirm.body.includes(
          `Regenerate the key of the token for ${owner}? The current key stops working immediately.`,
        ),
      );
      assert.equal(await apiStatus(old.key), 200, 'asking changes nothing');

      const response = await client.postForm(
        `/admin/tokens/${old.id}/regenerate/`,
        {},
        `/admin/tokens/${old.id}/regenerate/`,
      );
      let fresh: { id: number; key: string };
      if (hashed) {
        assert.equal(response.statusCode, 200);
        assert.equal(response.headers.location, undefined);
        assert.equal(response.headers['cache-control'], 'no-store, private', 'the key page is never cached');
        fresh = { id: tokenIdIn(response.body), key: keyIn(response.body) };
        assert.ok(response.body.includes('the old key no longer works'));
      } else {
        assert.equal(response.statusCode, 302);
        const id = tokenIdIn(String(response.headers.location));
        const page = await client.send({ method: 'GET', url: `/admin/tokens/${id}/change/` });
        assert.ok(
          page.body.includes(
            `The key of the token for “${owner}” was regenerated; the old key no longer works.`,
          ),
        );
        fresh = { id, key: keyIn(page.body) };
      }
      keys.push(fresh.key);
      assert.notEqual(fresh.id, old.id);
      assert.notEqual(fresh.key, old.key);
      assert.equal(await apiStatus(old.key), 401);
      assert.equal(await apiStatus(fresh.key), 200);
      const gone = await client.send({ method: 'GET', url: `/admin/tokens/${old.id}/change/` });
      assert.equal(gone.statusCode, 404);
      const [token] = await db().selectFrom('tokens').select(['name']).where('id', '=', fresh.id).execute();
      assert.equal(token!.name, hashed ? 'desk' : '');

      const entry = (await tokenLog()).at(-1)!;
      assert.equal(entry.action_flag, 2);
      assert.equal(entry.object_id, String(fresh.id));
      assert.equal(entry.object_repr, `Token for ${owner}`);
      assert.equal(entry.change_message, 'Regenerated key.');
    });

    it('delete asks for confirmation, then the key is refused', async () => {
      const owner = await newUser('gone');
      const { id, key } = await addToken(owner);
      const url = `/admin/tokens/${id}/delete/`;
      const confirm = await client.send({ method: 'GET', url });
      assert.equal(confirm.statusCode, 200);
      assert.ok(confirm.body.includes(`Are you sure you want to delete the token “Token for ${owner} (`));
      assert.ok(!confirm.body.includes(key));
      assert.equal(await apiStatus(key), 200);
      const response = await client.postForm(url, { post: 'yes' });
      assert.equal(response.statusCode, 302);
      assert.equal(response.headers.location, '/admin/tokens/');
      assert.equal(await apiStatus(key), 401);
      const entry = (await tokenLog()).at(-1)!;
      assert.equal(entry.action_flag, 3);
      assert.equal(entry.object_id, String(id));
      assert.equal(entry.object_repr, `Token for ${owner}`);
      assert.equal((await client.send({ method: 'GET', url })).statusCode, 404);
    });

    it('bulk "delete selected" confirms on a second page, then every key is refused', async () => {
      const one = await addToken(await newUser('bulk'));
      const two = await addToken(await newUser('bulk'));
      const selected: [string, string][] = [
        ['action', 'delete_selected'],
        ['_selected_action', String(one.id)],
        ['_selected_action', String(two.id)],
      ];
      const confirm = await postPairs('/admin/tokens/', selected);
      assert.equal(confirm.statusCode, 200);
      assert.match(confirm.body, /Are you sure you want to delete the selected tokens\?/);
      assert.ok(confirm.body.includes(`href="/admin/tokens/${one.id}/change/"`));
      assert.ok(confirm.body.includes(`href="/admin/tokens/${two.id}/change/"`));
      assert.equal(await apiStatus(one.key), 200, 'nothing is deleted before confirming');

      const before = (await tokenLog()).length;
      const done = await postPairs('/admin/tokens/', [...selected, ['post', 'yes']]);
      assert.equal(done.statusCode, 302);
      assert.equal(done.headers.location, '/admin/tokens/');
      const list = await client.send({ method: 'GET', url: '/admin/tokens/' });
      assert.ok(list.body.includes('Successfully deleted 2 tokens.'));
      assert.equal(await apiStatus(one.key), 401);
      assert.equal(await apiStatus(two.key), 401);
      const entries = (await tokenLog()).slice(before);
      assert.deepEqual(
        entries.map((e) => [e.action_flag, e.object_id]),
        [
          [3, String(one.id)],
          [3, String(two.id)],
        ],
      );
    });

    async function newSuperuser(): Promise<User> {
      const username = uniqueName('root');
      return ctx().keygate.users.createUser({
        username,
        password: PASSWORD,
        isStaff: true,
        isSuperuser: true,
      });
    }

    /** A staff client logged in as `username`, recording every body it receives in `bodies`. */
    async function loggedIn(username: string, bodies: string[] = []): Promise<RecordingClient> {
      const logged = new RecordingClient(ctx().app, locations, bodies);
      const response = await logged.postForm('/admin/login/', { username, password: PASSWORD });
      assert.equal(response.statusCode, 302);
      return logged;
    }

    /** A user's tokens as stored: a regenerated, deleted or added token shows here. */
    const tokenRows = (userId: number) =>
      db()
        .selectFrom('tokens')
        .select(['id', 'digest', 'key', 'hint', 'name'])
        .where('user_id', '=', userId)
        .orderBy('id')
        .execute();

    it('a staff user who is not a superuser cannot see, regenerate, delete or add a superuser’s token', async () => {
      const bodies: string[] = [];
      const staffSide = await loggedIn(staff, bodies);
      const root = await newSuperuser();
      const issued = await ctx().keygate.tokens.create(root, hashed ? { name: 'root laptop' } : {});
      keys.push(issued.key);
      const id = issued.token.id;
      // A token the staff user may delete, selected together with the superuser's.
      const memberName = await newUser('member');
      const member = await addToken(memberName);
      const stored = await tokenRows(root.id);
      const logged = (await tokenLog()).length;
      const csrf = await staffSide.tokenFrom('/admin/tokens/');
      const post = (url: string, pairs: [string, string][]) =>
        staffSide.send({
          method: 'POST',
          url,
          headers: FORM,
          payload: new URLSearchParams([...pairs, ['csrfmiddlewaretoken', csrf]]).toString(),
        });
      const refused = (response: LightMyRequestResponse, what: string) => {
        assert.equal(response.statusCode, 403, `${what}: ${response.statusCode}`);
        assert.match(String(response.headers['content-type']), /^text\/html/, what);
        if (response.body !== '') assert.ok(response.body.includes(SUPERUSER_TOKENS_ONLY), what);
      };

      for (const method of ['GET', 'HEAD'] as const) {
        for (const page of ['change', 'regenerate', 'delete']) {
          const url = `/admin/tokens/${id}/${page}/`;
          refused(
            await staffSide.send({ method, url, headers: { accept: 'text/html' } }),
            `${method} ${url}`,
          );
        }
      }
      refused(await post(`/admin/tokens/${id}/regenerate/`, []), 'POST regenerate');
      refused(await post(`/admin/tokens/${id}/delete/`, [['post', 'yes']]), 'POST delete');
      const selected: [string, string][] = [
        ['action', 'delete_selected'],
        ['_selected_action', String(member.id)],
        ['_selected_action', String(id)],
      ];
      refused(await post('/admin/tokens/', selected), 'delete selected: the confirmation page');
      refused(await post('/admin/tokens/', [...selected, ['post', 'yes']]), 'delete selected, confirmed');
      const add: [string, string][] = [
        ['user', root.username],
        ...(hashed ? [['name', 'stolen'] as [string, string]] : []),
      ];
      refused(await post('/admin/tokens/add/', add), 'add a token for a superuser');
      // The users section's delete page, which lists the user's tokens, is refused too.
      const userDelete = await staffSide.send({ method: 'GET', url: `/admin/users/${root.id}/delete/` });
      assert.equal(userDelete.statusCode, 403);
      // For a user they may delete, it names the tokens by their hint only.
      const memberDelete = await staffSide.send({
        method: 'GET',
        url: `/admin/users/${await userIdOf(memberName)}/delete/`,
      });
      assert.equal(memberDelete.statusCode, 200);
      assert.ok(memberDelete.body.includes(`Token: ${member.key.slice(0, hashed ? 7 : 4)}…`));
      assert.ok(!memberDelete.body.includes(member.key));

      // Nothing changed: the same rows with the same keys, both keys still work, nothing logged.
      assert.deepEqual(await tokenRows(root.id), stored);
      assert.equal(await apiStatus(issued.key), 200);
      assert.equal(await apiStatus(member.key), 200, 'the refused bulk action deleted nothing');
      assert.equal((await tokenLog()).length, logged);

      // The user picker does not offer a superuser; a namesake who is not one is still offered.
      const namesake = `${root.username}_x`;
      await ctx().keygate.users.createUser({ username: namesake, password: null });
      const search = await staffSide.send({
        method: 'GET',
        url: `/admin/tokens/user-search/?q=${root.username}`,
      });
      assert.equal(search.statusCode, 200);
      const offered = search.json<{ results: { username: string }[] }>().results.map((r) => r.username);
      assert.deepEqual(offered, [namesake]);

      // The list still shows the token, by its owner and hint, never its key.
      const list = await staffSide.send({ method: 'GET', url: `/admin/tokens/?q=${root.username}` });
      assert.equal(list.statusCode, 200);
      assert.deepEqual(listedUsers(list.body), [root.username]);
      assert.ok(list.body.includes(`${issued.token.hint}…`));

      assert.ok(bodies.length >= 15, 'every response was recorded');
      for (const body of bodies)
        assert.ok(!body.includes(issued.key), 'the key in a response to a non-superuser');
    });

    it('a token whose owner became a superuser after the confirmation page cannot be deleted', async () => {
      const owner = await newUser('promoted');
      const token = await addToken(owner);
      const url = `/admin/tokens/${token.id}/delete/`;
      assert.equal((await client.send({ method: 'GET', url })).statusCode, 200);
      const selected: [string, string][] = [
        ['action', 'delete_selected'],
        ['_selected_action', String(token.id)],
      ];
      assert.equal((await postPairs('/admin/tokens/', selected)).statusCode, 200);
      await db().updateTable('users').set({ is_superuser: true }).where('username', '=', owner).execute();
      assert.equal((await client.postForm(url, { post: 'yes' }, '/admin/tokens/')).statusCode, 403);
      assert.equal((await postPairs('/admin/tokens/', [...selected, ['post', 'yes']])).statusCode, 403);
      assert.equal(await apiStatus(token.key), 200);
    });

    it('a superuser sees, adds, regenerates and deletes superusers’ tokens', async () => {
      const root = await newSuperuser();
      const other = await newSuperuser();
      const rootSide = await loggedIn(root.username);

      const search = await rootSide.send({
        method: 'GET',
        url: `/admin/tokens/user-search/?q=${other.username}`,
      });
      const offered = search.json<{ results: { username: string }[] }>().results.map((r) => r.username);
      assert.deepEqual(offered, [other.username], 'a superuser is offered superusers');

      const first = await addToken(other.username, 'ops', rootSide);
      assert.equal(await apiStatus(first.key), 200);
      const page = await rootSide.send({ method: 'GET', url: `/admin/tokens/${first.id}/change/` });
      assert.equal(page.statusCode, 200);
      assert.equal(page.headers['cache-control'], 'no-store, private');
      assert.equal(page.body.includes(first.key), !hashed, 'the key is on its page under drf only');

      const regenerateUrl = `/admin/tokens/${first.id}/regenerate/`;
      assert.equal((await rootSide.send({ method: 'GET', url: regenerateUrl })).statusCode, 200);
      const regenerated = await rootSide.postForm(regenerateUrl, {}, regenerateUrl);
      assert.equal(regenerated.statusCode, hashed ? 200 : 302);
      const freshId = tokenIdIn(hashed ? regenerated.body : String(regenerated.headers.location));
      const fresh = hashed
        ? keyIn(regenerated.body)
        : keyIn((await rootSide.send({ method: 'GET', url: `/admin/tokens/${freshId}/change/` })).body);
      keys.push(fresh);
      assert.equal(await apiStatus(first.key), 401);
      assert.equal(await apiStatus(fresh), 200);

      const deleteUrl = `/admin/tokens/${freshId}/delete/`;
      assert.equal((await rootSide.send({ method: 'GET', url: deleteUrl })).statusCode, 200);
      assert.equal((await rootSide.postForm(deleteUrl, { post: 'yes' })).statusCode, 302);
      assert.equal(await apiStatus(fresh), 401);

      // Bulk: a superuser's token and the superuser's own, in one action.
      const mine = await addToken(root.username, 'desk', rootSide);
      const theirs = await addToken(other.username, 'ops', rootSide);
      const selected: [string, string][] = [
        ['action', 'delete_selected'],
        ['_selected_action', String(mine.id)],
        ['_selected_action', String(theirs.id)],
      ];
      const csrf = await rootSide.tokenFrom('/admin/tokens/');
      const bulk = (pairs: [string, string][]) =>
        rootSide.send({
          method: 'POST',
          url: '/admin/tokens/',
          headers: FORM,
          payload: new URLSearchParams([...pairs, ['csrfmiddlewaretoken', csrf]]).toString(),
        });
      assert.equal((await bulk(selected)).statusCode, 200);
      assert.equal((await bulk([...selected, ['post', 'yes']])).statusCode, 302);
      assert.equal(await apiStatus(mine.key), 401);
      assert.equal(await apiStatus(theirs.key), 401);
      assert.deepEqual(await tokenRows(other.id), []);
    });

    it('every admin page, the key pages and refusals included, is sent with Cache-Control: no-store', async () => {
      const { id } = await addToken(await newUser('cached'));
      const root = await newSuperuser();
      const rootToken = await ctx().keygate.tokens.create(root);
      keys.push(rootToken.key);
      const pages = [
        '/admin/',
        '/admin/tokens/',
        '/admin/tokens/add/',
        `/admin/tokens/${id}/change/`,
        `/admin/tokens/${id}/regenerate/`,
        `/admin/tokens/${id}/delete/`,
        `/admin/tokens/${rootToken.token.id}/change/`,
        '/admin/users/',
        '/admin/products/',
      ];
      for (const url of pages) {
        const response = await client.send({ method: 'GET', url });
        assert.ok([200, 403].includes(response.statusCode), `${url}: ${response.statusCode}`);
        assert.match(String(response.headers['cache-control']), /(^|,\s*)no-store(,|$)/, url);
      }
    });

    it('token pages answer 404 for ids that name nothing', async () => {
      for (const url of [
        '/admin/tokens/999999/change/',
        '/admin/tokens/abc/change/',
        '/admin/tokens/0/regenerate/',
        '/admin/tokens/99999999999/delete/',
      ]) {
        assert.equal((await client.send({ method: 'GET', url })).statusCode, 404, url);
      }
    });

    it('home page links to logged tokens by id', async () => {
      const owner = await newUser('home');
      const { id } = await addToken(owner);
      const home = await client.send({ method: 'GET', url: '/admin/' });
      assert.ok(home.body.includes(`<a href="/admin/tokens/${id}/change/">Token for ${owner}</a>`));
    });

    it('no key ever appears in a Location header, the admin log or the home page', async () => {
      assert.ok(keys.length >= 8, 'the suite issued keys');
      assert.ok(locations.length >= 3, 'the suite saw redirects');
      const stored = await db().selectFrom('tokens').select('key').where('key', 'is not', null).execute();
      const everyKey = [...keys, ...stored.map((row) => row.key!)];
      const logged = await db().selectFrom('admin_log').selectAll().execute();
      const home = await client.send({ method: 'GET', url: '/admin/' });
      for (const key of everyKey) {
        for (const location of locations) assert.ok(!location.includes(key), `key in Location ${location}`);
        for (const entry of logged) assert.ok(!JSON.stringify(entry).includes(key), 'key in the admin log');
        assert.ok(!home.body.includes(key), 'key on the home page');
        assert.ok(!home.body.includes(key.slice(0, 12)), 'no part of a key beyond its hint');
      }
    });
  };
}

const quiet = { AUTO_CREATE_TOKEN: 'false' };
describeEachDialect('Admin tokens (drf)', tokenAdminSuite('drf'), { env: { ...quiet, TOKEN_POLICY: 'drf' } });
describeEachDialect('Admin tokens (hashed)', tokenAdminSuite('hashed'), {
  env: { ...quiet, TOKEN_POLICY: 'hashed' },
});
