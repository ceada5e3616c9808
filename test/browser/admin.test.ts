// The admin site in a real browser (Debian's Chromium through playwright-core), on both databases:
// a superuser creates a user and a token for them, the token works over real HTTP, regenerating it
// kills the old key; products are added (a validation error first), edited, deleted and
// bulk-deleted; a <script> name stays text; a form without its CSRF token is refused; a non-staff
// user cannot enter; logging out ends the session. Every admin page is photographed.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { Page } from 'playwright-core';
import { uniqueName, type DialectContext } from '../helpers.js';
import { describeInChromium, openBrowser, type BrowserSession } from './chromium.js';
import type { ProductTables } from '../../src/products/product-table.js';

const PASSWORD = 'correct horse battery';
const XSS = '<script>alert(1)</script>';

/** GET /product_api/ over real HTTP with a token; the status. */
async function apiStatus(base: string, key: string): Promise<number> {
  const response = await fetch(`${base}/product_api/`, { headers: { authorization: `Token ${key}` } });
  await response.arrayBuffer();
  return response.status;
}

/** The success message the admin shows after a change. */
async function message(page: Page): Promise<string> {
  return ((await page.getByTestId('messages').textContent()) ?? '').trim();
}

function adminTests(ctx: () => DialectContext): void {
  let session: BrowserSession;
  let page: Page;
  let base: string;
  let rootName: string;
  let memberName: string;
  const shot = (name: string) => session.screenshot(name);

  before(async () => {
    rootName = uniqueName('root');
    memberName = uniqueName('member');
    await ctx().keygate.users.createUser({
      username: rootName,
      password: PASSWORD,
      isStaff: true,
      isSuperuser: true,
    });
    await ctx().keygate.users.createUser({ username: memberName, password: PASSWORD });
    base = await ctx().listen();
    session = await openBrowser('admin', ctx().dialect);
    page = session.page;
  });

  after(async () => {
    await session?.browser.close();
  });

  async function logIn(username: string): Promise<void> {
    await page.goto(`${base}/admin/`);
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
  }

  it('keeps a non-staff user out with the generic message', async () => {
    await logIn(memberName);
    await page.getByTestId('login-error').waitFor();
    assert.match(
      (await page.getByTestId('login-error').textContent()) ?? '',
      /Please enter the correct username and password for a staff account/,
    );
    assert.equal(new URL(page.url()).pathname, '/admin/login/');
    await shot('login-refused');
  });

  it('logs in a superuser and shows the home page', async () => {
    await logIn(rootName);
    await page.getByRole('heading', { name: 'Site administration' }).waitFor();
    assert.equal(await page.getByTestId('username').textContent(), rootName);
    for (const section of ['Users', 'Tokens', 'Products']) {
      assert.ok(await page.getByRole('link', { name: section, exact: true }).isVisible(), section);
    }
    await shot('home');
  });

  let userName: string;
  let key: string;

  it('creates a user, gives them a token, and the token works over HTTP', async () => {
    userName = uniqueName('dana');
    await page.goto(`${base}/admin/users/add/`);
    await page.getByLabel('Username').fill(userName);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByLabel('Password confirmation').fill('a different one');
    await shot('user-add');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.locator('#id_password2-errors').waitFor();
    assert.match((await page.locator('#id_password2-errors').textContent()) ?? '', /didn’t match/);
    await shot('user-add-error');
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByLabel('Password confirmation').fill(PASSWORD);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('heading', { name: 'Change user' }).waitFor();
    assert.match(await message(page), /was added successfully/);
    await page.getByLabel('Email address').fill(`${userName}@example.com`);
    await page.getByLabel('First name').fill('Dana');
    await shot('user-change');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('heading', { name: /Select user to change/ }).waitFor();
    await page.getByLabel('Search').fill(userName);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('link', { name: userName }).waitFor();
    await shot('user-list');

    // The signal gave the new user a token already (the seed's post_save receiver): delete it here,
    // then add one through the admin.
    await page.goto(`${base}/admin/tokens/?q=${userName}`);
    await page.getByRole('link', { name: userName }).click();
    await page.getByRole('link', { name: 'Delete' }).click();
    await page.getByRole('button', { name: 'Yes, I’m sure' }).click();
    assert.match(await message(page), /was deleted successfully/);

    await page.goto(`${base}/admin/tokens/add/`);
    const userField = page.getByLabel('User', { exact: true });
    await userField.pressSequentially(userName.slice(0, 6), { delay: 20 });
    // The suggestions come from the user search as one types.
    await page.locator(`#user-suggestions option[value="${userName}"]`).waitFor({ state: 'attached' });
    await userField.fill(userName);
    await shot('token-add');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByTestId('token-key').waitFor();
    key = ((await page.getByTestId('token-key').textContent()) ?? '').trim();
    assert.match(key, /^[0-9a-f]{40}$/);
    assert.ok(!page.url().includes(key), 'the key is not in the URL');
    assert.ok(await page.getByRole('button', { name: 'Copy' }).isVisible(), 'copy button shown');
    await shot('token-change');
    assert.equal(await apiStatus(base, key), 200, 'the new token authenticates');
  });

  it('regenerates the token: the old key is rejected, the new one works', async () => {
    await page.getByRole('link', { name: 'Regenerate key' }).click();
    await page.getByTestId('regenerate-question').waitFor();
    assert.equal(await apiStatus(base, key), 200, 'asking changes nothing');
    await shot('token-regenerate-confirm');
    await page.getByRole('button', { name: 'Yes, regenerate' }).click();
    await page.getByTestId('token-key').waitFor();
    const fresh = ((await page.getByTestId('token-key').textContent()) ?? '').trim();
    assert.match(fresh, /^[0-9a-f]{40}$/);
    assert.notEqual(fresh, key);
    assert.equal(await apiStatus(base, key), 401, 'the old key is dead');
    assert.equal(await apiStatus(base, fresh), 200);
    await page.goto(`${base}/admin/tokens/`);
    await page.getByRole('link', { name: userName }).waitFor();
    assert.ok(!(await page.content()).includes(fresh), 'the list shows hints, not keys');
    await shot('token-list');
  });

  it('adds a product after a validation error, edits it, shows <script> as text, deletes it', async () => {
    await page.goto(`${base}/admin/products/add/`);
    await page.getByLabel('Name').fill(XSS);
    await page.getByLabel('Description').fill('Stoneware, 300 ml');
    await page.getByLabel('Price').fill('12.345');
    await page.getByLabel('Stock').fill('4');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.locator('#id_price-errors').waitFor();
    assert.equal(
      ((await page.locator('#id_price-errors').textContent()) ?? '').trim(),
      'Ensure that there are no more than 2 decimal places.',
    );
    assert.equal(await page.getByLabel('Name').inputValue(), XSS, 'what was typed is kept');
    await shot('product-add-error');
    await page.getByLabel('Price').fill('12.50');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('heading', { name: 'Select product to change' }).waitFor();
    assert.match(await message(page), /was added successfully/);
    assert.ok(await page.getByRole('link', { name: XSS }).isVisible(), 'the name is shown as text');
    assert.equal(await page.locator('script:not([src])').count(), 0, 'no inline script made it in');
    await shot('product-list');

    await page.getByRole('link', { name: XSS }).click();
    await page.getByLabel('Name').fill('Mug');
    await page.getByLabel('Stock').fill('5');
    await shot('product-change');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('link', { name: 'Mug' }).waitFor();
    const row = await ctx()
      .keygate.database.db.withTables<ProductTables>()
      .selectFrom('products')
      .selectAll()
      .where('name', '=', 'Mug')
      .executeTakeFirstOrThrow();
    assert.equal(Number(row.stock), 5);
    assert.equal(Number(row.price_cents), 1250);

    await page.getByRole('link', { name: 'Mug' }).click();
    await page.getByRole('link', { name: 'Delete' }).click();
    await page.getByRole('heading', { name: 'Are you sure?' }).waitFor();
    await shot('product-delete-confirm');
    await page.getByRole('button', { name: 'Yes, I’m sure' }).click();
    assert.match(await message(page), /was deleted successfully/);
    assert.equal(await page.getByRole('link', { name: 'Mug' }).count(), 0);
  });

  it('bulk-deletes selected products after confirming', async () => {
    for (const name of ['Bulk A', 'Bulk B', 'Bulk C']) {
      await page.goto(`${base}/admin/products/add/`);
      await page.getByLabel('Name').fill(name);
      await page.getByLabel('Description').fill('d');
      await page.getByLabel('Price').fill('1');
      await page.getByLabel('Stock').fill('1');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.getByRole('link', { name }).waitFor();
    }
    await page.getByLabel('Select Bulk A').check();
    await page.getByLabel('Select Bulk B').check();
    await page.getByLabel('Action:').selectOption('delete_selected');
    await page.getByRole('button', { name: 'Go' }).click();
    await page.getByTestId('deleted-objects').waitFor();
    await shot('bulk-delete-confirm');
    await page.getByRole('button', { name: 'Yes, I’m sure' }).click();
    assert.match(await message(page), /Successfully deleted 2 products\./);
    assert.equal(await page.getByRole('link', { name: 'Bulk A' }).count(), 0);
    assert.ok(await page.getByRole('link', { name: 'Bulk C' }).isVisible());
    await shot('bulk-deleted');
  });

  it('refuses a form whose CSRF token was removed', async () => {
    await page.goto(`${base}/admin/products/add/`);
    await page
      .locator('form.admin-form input[name="csrfmiddlewaretoken"]')
      .evaluate((input: { remove(): void }) => {
        input.remove();
      });
    await page.getByLabel('Name').fill('Forged');
    await page.getByLabel('Description').fill('d');
    await page.getByLabel('Price').fill('1');
    await page.getByLabel('Stock').fill('1');
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Save', exact: true }).click(),
    ]);
    assert.equal(response.status(), 403);
    assert.match(await page.content(), /CSRF Failed/);
    await shot('csrf-refused');
    const forged = await ctx()
      .keygate.database.db.withTables<ProductTables>()
      .selectFrom('products')
      .select('id')
      .where('name', '=', 'Forged')
      .execute();
    assert.equal(forged.length, 0);
  });

  it('logs out: the session row is gone and the admin asks for a login again', async () => {
    await page.goto(`${base}/admin/`);
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('heading', { name: 'Logged out' }).waitFor();
    await shot('logged-out');
    const root = await ctx().keygate.users.requireUser(rootName);
    const rows = await ctx()
      .keygate.database.db.selectFrom('sessions')
      .select('id')
      .where('user_id', '=', root.id)
      .execute();
    assert.equal(rows.length, 0);
    await page.goto(`${base}/admin/products/`);
    assert.equal(new URL(page.url()).pathname, '/admin/login/');
    assert.deepEqual(session.dialogs, [], 'no dialog fired');
    assert.deepEqual(session.problems, [], 'no script errors or CSP violations');
  });
}

describeInChromium('Admin in Chromium', adminTests);
