// Test support for browser tests: Debian's Chromium through playwright-core, a page that records
// script errors and dialogs, numbered full-page screenshots, and a loud skip without Chromium.
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { describeEachDialect, type DialectContext } from '../helpers.js';

/** Debian's Chromium (`apt-get install chromium`; `.ci/run` installs it). */
export const CHROMIUM = '/usr/bin/chromium';

/** A browser with one page, and what went wrong on it. */
export interface BrowserSession {
  readonly browser: Browser;
  readonly page: Page;
  /** Messages of dialogs that opened (an alert() that ran would land here). */
  readonly dialogs: string[];
  /** Page errors and console errors, except the HTTP statuses the test provokes on purpose. */
  readonly problems: string[];
  /** Saves a full-page screenshot as `<dir>/<prefix>-NN-<name>.png`. */
  screenshot(name: string): Promise<void>;
}

/**
 * Launches Chromium headless with one page. Screenshots go to `test-artifacts/<dir>/`; that run's
 * earlier files with the same prefix are removed first.
 */
export async function openBrowser(
  dir: string,
  prefix: string,
  expectedStatuses = /status of (400|401|403|404)/,
): Promise<BrowserSession> {
  const artifacts = join('test-artifacts', dir);
  mkdirSync(artifacts, { recursive: true });
  for (const file of readdirSync(artifacts)) {
    if (file.startsWith(`${prefix}-`)) rmSync(join(artifacts, file));
  }
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  const dialogs: string[] = [];
  const problems: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !expectedStatuses.test(message.text())) {
      problems.push(`console: ${message.text()}`);
    }
  });
  let shot = 0;
  return {
    browser,
    page,
    dialogs,
    problems,
    async screenshot(name) {
      shot += 1;
      const file = join(artifacts, `${prefix}-${String(shot).padStart(2, '0')}-${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
    },
  };
}

/** Runs `body` on both databases when Chromium is installed; otherwise a loud, visible skip. */
export function describeInChromium(name: string, body: (context: () => DialectContext) => void): void {
  if (existsSync(CHROMIUM)) {
    describeEachDialect(name, body);
    return;
  }
  process.stderr.write(
    `\n!!! ${CHROMIUM} is missing (apt-get install chromium; .ci/run does it).\n` +
      '!!! Every browser test is SKIPPED, not passed.\n\n',
  );
  describe(name, { skip: `${CHROMIUM} is missing` }, () => {
    it('needs Chromium', () => undefined);
  });
}
