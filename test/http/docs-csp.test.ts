// The Content-Security-Policy of the Swagger UI at /docs: on the page, every asset it loads and the
// document it fetches; strict (no inline script, no eval, only this origin); and nowhere else.
// test/browser/docs.test.ts shows in Chromium that the UI works under it.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeEachDialect } from '../helpers.js';

/** A policy as directive -> sources. */
function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter((words) => words[0] !== '')
      .map(([name, ...sources]) => [name!.toLowerCase(), sources]),
  );
}

/** The `src`/`href` URLs of an HTML page. */
function assetUrls(html: string): string[] {
  return [...html.matchAll(/\s(?:src|href)\s*=\s*"([^"]*)"/gi)].map((match) => match[1]!);
}

describeEachDialect('Content-Security-Policy of /docs', (ctx) => {
  const get = (url: string) => ctx().app.inject({ method: 'GET', url });

  it('the page, each asset it loads and the document it fetches carry the policy', async () => {
    const page = await get('/docs');
    assert.equal(page.statusCode, 200);
    const policy = page.headers['content-security-policy'];
    assert.equal(typeof policy, 'string', '/docs has a Content-Security-Policy');
    const urls = [
      ...assetUrls(page.body).map((asset) => new URL(asset, 'http://localhost/docs').pathname),
      '/docs/static/swagger-initializer.js',
      '/docs/json',
    ];
    assert.ok(urls.some((url) => url.endsWith('/swagger-ui-bundle.js')));
    assert.ok(urls.some((url) => url.endsWith('/swagger-ui.css')));
    for (const url of urls) {
      const response = await get(url);
      assert.equal(response.statusCode, 200, url);
      assert.equal(response.headers['content-security-policy'], policy, url);
    }
  });

  it('is strict: scripts from this origin only, no inline script, no eval, fetches to this origin', async () => {
    const csp = directives(String((await get('/docs')).headers['content-security-policy']));
    assert.deepEqual(csp.get('default-src'), ["'none'"]);
    assert.deepEqual(csp.get('script-src'), ["'self'"]);
    assert.equal(csp.has('script-src-elem') || csp.has('script-src-attr'), false);
    // Swagger UI's one inline style (its small logo's <style>) is allowed by its hash only.
    const styles = csp.get('style-src') ?? [];
    assert.equal(styles[0], "'self'");
    for (const source of styles.slice(1)) assert.match(source, /^'sha256-[A-Za-z0-9+/]{43}='$/);
    assert.ok(styles.length <= 2, styles.join(' '));
    assert.deepEqual(csp.get('img-src'), ["'self'", 'data:']);
    assert.deepEqual(csp.get('connect-src'), ["'self'"]);
    assert.deepEqual(csp.get('form-action'), ["'self'"]);
    assert.deepEqual(csp.get('base-uri'), ["'none'"]);
    assert.deepEqual(csp.get('frame-ancestors'), ["'none'"]);
    const everything = [...csp.values()].flat();
    for (const loose of ["'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", '*', 'https:', 'http:']) {
      assert.ok(!everything.includes(loose), `${loose} is not allowed`);
    }
  });

  it('stays on the docs: keygate pages keep their own policy, the API has none', async () => {
    const docsPolicy = String((await get('/docs')).headers['content-security-policy']);
    const login = await get('/auth/login/');
    assert.equal(login.statusCode, 200);
    assert.notEqual(login.headers['content-security-policy'], docsPolicy);
    assert.ok(!String(login.headers['content-security-policy']).includes('sha256-'));
    const root = await ctx().app.inject({ method: 'GET', url: '/', headers: { accept: 'application/json' } });
    assert.equal(root.headers['content-security-policy'], undefined);
    const document = await get('/openapi.json');
    assert.equal(document.headers['content-security-policy'], undefined);
  });
});
