// The Swagger UI at /docs in a real browser (Debian's Chromium through playwright-core), under its
// Content-Security-Policy, on both databases: it renders the operations with no policy violation
// and no console error, and "Try it out" with a key entered in Authorize reaches the API (200).
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { Page } from 'playwright-core';
import { uniqueName, type DialectContext } from '../helpers.js';
import { describeInChromium, openBrowser, type BrowserSession } from './chromium.js';

/**
 * Records every `securitypolicyviolation` in `window.__violations`. Init scripts are injected by the
 * browser's debugging protocol, which the page's policy does not govern: this one sees every
 * violation, that of an inline script included. (A string: the tests are compiled without the DOM types.)
 */
const RECORD_VIOLATIONS = `window.__violations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__violations.push(event.effectiveDirective + ' blocked ' + (event.blockedURI || 'inline') +
    ' from ' + event.sourceFile + ':' + event.lineNumber + ':' + event.columnNumber);
});`;

function docsTests(ctx: () => DialectContext): void {
  let session: BrowserSession;
  let page: Page;
  let base: string;
  let key: string;
  /** Every console message of any type, to find the browser's CSP reports among them. */
  const consoleMessages: string[] = [];

  before(async () => {
    const user = await ctx().keygate.users.createUser({ username: uniqueName('docs'), password: null });
    key = (await ctx().keygate.tokens.getOrCreate(user)).key;
    base = await ctx().listen();
    session = await openBrowser('docs', ctx().dialect);
    page = session.page;
    page.on('console', (message) => consoleMessages.push(`${message.type()}: ${message.text()}`));
    await page.addInitScript({ content: RECORD_VIOLATIONS });
  });

  after(async () => {
    await session?.browser.close();
  });

  const violations = () => page.evaluate<string[]>('window.__violations');

  it('loads /docs under its Content-Security-Policy and renders the operations', async () => {
    const response = await page.goto(`${base}/docs`);
    assert.ok(response, 'the page answered');
    assert.ok(response.headers()['content-security-policy'], 'the page carries a policy');
    const productList = page.locator('.opblock-get:has(.opblock-summary-path[data-path="/product_api/"])');
    await productList.waitFor();
    for (const method of ['get', 'post', 'put', 'patch', 'delete']) {
      assert.ok((await page.locator(`.opblock-${method}`).count()) > 0, `a ${method} operation is shown`);
    }
    // The logo (a data: image) and the stylesheet took effect.
    await page.locator('.topbar img[src^="data:"]').waitFor();
    const background = await page
      .locator('.swagger-ui .opblock-get')
      .first()
      .evaluate('(element) => getComputedStyle(element).backgroundColor');
    assert.notEqual(background, 'rgba(0, 0, 0, 0)', 'swagger-ui.css applies');
    await session.screenshot('operations');
    assert.deepEqual(await violations(), []);
  });

  it('"Try it out" with the key entered in Authorize reaches the API and gets 200', async () => {
    await page.getByRole('button', { name: 'Authorize' }).first().click();
    const dialog = page.locator('.dialog-ux');
    // The dialog has a form per security scheme: TokenAuth's, and SessionAuth's (a browser's cookie).
    const tokenForm = dialog.locator('form', { hasText: 'TokenAuth' });
    await tokenForm.locator('input').first().fill(`Token ${key}`);
    await session.screenshot('authorize');
    await tokenForm.getByRole('button', { name: 'Apply credentials' }).click();
    await tokenForm.getByRole('button', { name: 'Remove authorization' }).waitFor();
    await tokenForm.getByRole('button', { name: 'Close', exact: true }).click();

    const operation = page.locator('.opblock-get:has(.opblock-summary-path[data-path="/product_api/"])');
    await operation.locator('.opblock-summary').first().click();
    await operation.getByRole('button', { name: 'Try it out' }).click();
    const answered = page.waitForResponse(
      (r) => new URL(r.url()).pathname === '/product_api/' && r.request().method() === 'GET',
    );
    await operation.getByRole('button', { name: 'Execute' }).click();
    const response = await answered;
    assert.equal(await response.request().headerValue('authorization'), `Token ${key}`);
    assert.equal(response.status(), 200);
    const shown = operation.locator('.live-responses-table .response .response-col_status').first();
    await shown.waitFor();
    assert.equal(((await shown.textContent()) ?? '').trim(), '200');
    await session.screenshot('try-it-out');

    assert.deepEqual(await violations(), []);
    const reported = consoleMessages.filter((m) => /Content[- ]Security[- ]Policy|Refused to/i.test(m));
    assert.deepEqual(reported, [], 'no policy violation in the console');
    assert.deepEqual(session.problems, [], 'no console error or page error');
    assert.deepEqual(session.dialogs, []);
  });
}

describeInChromium('Swagger UI at /docs under its Content-Security-Policy', docsTests);
