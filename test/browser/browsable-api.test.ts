// The browsable API in a real browser (Debian's Chromium through playwright-core), on both dialects:
// log in, create with a validation error first, edit, delete, a <script> name shown as text, log out.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { Page } from 'playwright-core';
import { uniqueName, type DialectContext } from '../helpers.js';
import { describeInChromium, openBrowser, type BrowserSession } from './chromium.js';

const PASSWORD = 'correct horse battery';
const XSS = '<script>alert(1)</script>';

/** The status line the page shows, once it shows `expected`. */
async function waitForStatus(page: Page, expected: string): Promise<void> {
  await page.getByTestId('status-line').filter({ hasText: expected }).waitFor({ timeout: 10_000 });
}

/** The JSON the page shows as the response body. */
async function shownJson(page: Page): Promise<Record<string, unknown>> {
  const text = (await page.getByTestId('response').textContent()) ?? '';
  return JSON.parse(text.slice(text.indexOf('\n\n') + 2)) as Record<string, unknown>;
}

function browserTests(ctx: () => DialectContext): void {
  let session: BrowserSession;
  let page: Page;
  let base: string;
  let username: string;
  let dialogs: string[];
  let problems: string[];
  const screenshot = (name: string) => session.screenshot(name);

  before(async () => {
    username = uniqueName('alice');
    await ctx().keygate.users.createUser({ username, password: PASSWORD });
    base = await ctx().listen();
    session = await openBrowser('browser', ctx().dialect);
    ({ page, dialogs, problems } = session);
  });

  after(async () => {
    await session?.browser.close();
  });

  it('logs in, creates, edits and deletes a product, shows <script> as text, and logs out', async () => {
    // Anonymous: the API answers 401 as a page with a login link.
    await page.goto(`${base}/product_api/`);
    await waitForStatus(page, 'HTTP 401 Unauthorized');
    await screenshot('anonymous-401');
    await page.getByRole('link', { name: 'Log in' }).click();
    await page.getByLabel('Username').waitFor();
    assert.equal(new URL(page.url()).pathname, '/auth/login/');
    await screenshot('login');

    // A wrong password: Django's generic message, the form again.
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill('wrong password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByTestId('login-error').waitFor();
    assert.match(
      (await page.getByTestId('login-error').textContent()) ?? '',
      /Please enter a correct username/,
    );
    await screenshot('login-failed');

    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await waitForStatus(page, 'HTTP 200 OK');
    assert.equal(new URL(page.url()).pathname, '/product_api/', 'back where the login started');
    assert.equal(await page.getByTestId('username').textContent(), username);
    await screenshot('product-list');
    // Responsive: the same page on a phone-sized screen.
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot('product-list-narrow');
    await page.setViewportSize({ width: 1100, height: 900 });

    // The HTML form, with a bad price first: the error is shown beside the field.
    const htmlForm = page.getByRole('region', { name: 'HTML form' });
    await htmlForm.getByLabel('Name').fill('Mug');
    await htmlForm.getByLabel('Description').fill('Stoneware, 300 ml');
    await htmlForm.getByLabel('Price').fill('abc');
    await htmlForm.getByLabel('Stock').fill('4');
    await htmlForm.getByRole('button', { name: 'POST' }).click();
    await waitForStatus(page, 'HTTP 400 Bad Request');
    assert.equal(
      (await page.getByTestId('errors-price').textContent())?.trim(),
      'A valid number is required.',
    );
    assert.equal(
      await page.getByRole('region', { name: 'HTML form' }).getByLabel('Name').inputValue(),
      'Mug',
    );
    await screenshot('validation-error');

    await page.getByRole('region', { name: 'HTML form' }).getByLabel('Price').fill('12.50');
    await page.getByRole('region', { name: 'HTML form' }).getByRole('button', { name: 'POST' }).click();
    await waitForStatus(page, 'HTTP 201 Created');
    const created = await shownJson(page);
    assert.equal(created.name, 'Mug');
    assert.equal(created.price, '12.50');
    await screenshot('created');

    // See it, then edit it through the HTML form (PUT, sent by the page's script).
    const detail = `${base}/product_api/${String(created.id)}/`;
    await page.goto(detail);
    await waitForStatus(page, 'HTTP 200 OK');
    assert.equal((await shownJson(page)).name, 'Mug');
    await screenshot('detail');
    const editForm = page.getByRole('region', { name: 'HTML form' });
    assert.equal(await editForm.getByLabel('Name').inputValue(), 'Mug');
    await editForm.getByLabel('Name').fill('Large mug');
    await editForm.getByLabel('Stock').fill('5');
    await editForm.getByRole('button', { name: 'PUT' }).click();
    // The page before the PUT showed a 200 too: wait for the PUT's own answer to replace it.
    await page.locator('.request-line', { hasText: /^PUT / }).waitFor();
    await waitForStatus(page, 'HTTP 200 OK');
    await page.getByTestId('request-path').waitFor();
    const edited = await shownJson(page);
    assert.equal(edited.name, 'Large mug');
    assert.equal(edited.stock, 5);
    assert.match((await page.locator('.request-line').textContent()) ?? '', /^PUT /);
    await screenshot('edited');

    // A <script> name through the raw JSON form: shown as text, never run.
    await page.goto(`${base}/product_api/`);
    const raw = page.getByRole('region', { name: 'Raw data' });
    await raw.getByLabel('Media type').selectOption('application/json');
    await raw
      .getByLabel('Content')
      .fill(
        JSON.stringify({ name: XSS, description: '<img src=x onerror=alert(2)>', price: '1.00', stock: 1 }),
      );
    await raw.getByRole('button', { name: 'POST' }).click();
    await waitForStatus(page, 'HTTP 201 Created');
    const scripted = await shownJson(page);
    await page.goto(`${base}/product_api/${String(scripted.id)}/`);
    await waitForStatus(page, 'HTTP 200 OK');
    assert.equal(await page.getByRole('region', { name: 'HTML form' }).getByLabel('Name').inputValue(), XSS);
    assert.ok(await page.getByText(XSS).first().isVisible(), 'the name is visible as text');
    assert.equal(await page.locator('script:not([src])').count(), 0, 'no inline script made it in');
    await screenshot('script-name-as-text');
    assert.deepEqual(dialogs, [], 'no dialog fired');

    // Delete the mug: the confirmation is a disclosure, the DELETE is sent by the script.
    await page.goto(detail);
    await page.getByText('DELETE this Product Model Instance').click();
    await page.getByRole('button', { name: 'Yes, delete it' }).click();
    await waitForStatus(page, 'HTTP 204 No Content');
    await screenshot('deleted');
    await page.goto(detail);
    await waitForStatus(page, 'HTTP 404 Not Found');

    // Log out: the session row is gone, and the API answers 401 in the page.
    await page.goto(`${base}/product_api/`);
    await page.getByRole('button', { name: 'Log out' }).click();
    await waitForStatus(page, 'HTTP 401 Unauthorized');
    assert.equal(new URL(page.url()).pathname, '/product_api/');
    assert.ok(await page.getByRole('link', { name: 'Log in' }).isVisible());
    const user = await ctx().keygate.users.requireUser(username);
    const rows = await ctx()
      .keygate.database.db.selectFrom('sessions')
      .select('id')
      .where('user_id', '=', user.id)
      .execute();
    assert.equal(rows.length, 0, 'logging out deleted the session');
    await screenshot('logged-out');

    assert.deepEqual(dialogs, [], 'no dialog fired');
    assert.deepEqual(problems, [], 'no script errors or CSP violations');
  });
}

describeInChromium('Browsable API in Chromium', browserTests);
