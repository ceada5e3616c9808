// The admin's redirect of an anonymous visitor, byte for byte as Django's admin sends it.
//
// django/contrib/admin/sites.py, AdminSite.admin_view: a visitor without permission gets
// `redirect_to_login(request.get_full_path(), reverse('admin:login'))`;
// django/contrib/auth/views.py, redirect_to_login: `querystring[redirect_field_name] = next` and
// `querystring.urlencode(safe="/")`, so `next` is quote()d with `/` left as it is; the answer is an
// HttpResponseRedirect: 302, an empty body, and HttpResponse's default
// `Content-Type: text/html; charset=utf-8` (django/http/response.py, HttpResponseBase).
// AdminSite.get_urls ends with `re_path(r"(?P<url>.*)$", wrap(self.catch_all_view))`
// (final_catch_all_view): every other URL under /admin/ is behind the same admin_view, and for staff
// catch_all_view answers APPEND_SLASH's 301 when `url + "/"` resolves, else Http404 (the 404 page).
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { describeEachDialect, uniqueName, type DialectContext } from '../helpers.js';
import { SessionClient } from '../sessions/session-client.js';
import { assertKeygateHeaders, portOf, rawRequest } from './raw-http.js';

describeEachDialect('Admin login redirect', (ctx: () => DialectContext) => {
  let port: number;

  before(async () => {
    port = portOf(await ctx().listen());
  });

  const get = (target: string, method = 'GET') =>
    rawRequest(port, `${method} ${target} HTTP/1.1`, { headers: { Host: `127.0.0.1:${port}` } });

  it('anonymous GET /admin/ is a 302 to /admin/login/?next=/admin/, text/html; charset=utf-8, empty', async () => {
    const response = await get('/admin/');
    assert.equal(response.statusLine, 'HTTP/1.1 302 Found');
    assert.equal(response.headers.location, '/admin/login/?next=/admin/');
    assert.equal(response.headers['content-type'], 'text/html; charset=utf-8');
    assert.equal(response.headers['content-length'], '0');
    assert.equal(response.body, '');
    assertKeygateHeaders(response);
  });

  it('the whole path and query go into next, quoted with / kept (QueryDict.urlencode(safe="/"))', async () => {
    for (const [target, next] of [
      ['/admin/products/', '/admin/products/'],
      ['/admin/products/?q=a%20b&o=1', '/admin/products/%3Fq%3Da%2520b%26o%3D1'],
      ['/admin/users/1/change/', '/admin/users/1/change/'],
    ] as const) {
      const response = await get(target);
      assert.equal(response.status, 302, target);
      assert.equal(response.headers.location, `/admin/login/?next=${next}`, target);
      assert.equal(response.headers['content-type'], 'text/html; charset=utf-8', target);
    }
  });

  it('HEAD gets the same redirect', async () => {
    const response = await get('/admin/', 'HEAD');
    assert.equal(response.status, 302);
    assert.equal(response.headers.location, '/admin/login/?next=/admin/');
    assert.equal(response.headers['content-type'], 'text/html; charset=utf-8');
  });

  it('any other URL under /admin/ sends an anonymous visitor to log in too (catch_all_view behind admin_view)', async () => {
    for (const target of [
      '/admin/nothing/',
      '/admin/nothing',
      '/admin/products',
      '/admin/login',
      '/admin/a/b/c/',
    ]) {
      const response = await get(target);
      assert.equal(response.statusLine, 'HTTP/1.1 302 Found', target);
      assert.equal(response.headers.location, `/admin/login/?next=${target}`, target);
      assert.equal(response.headers['content-type'], 'text/html; charset=utf-8', target);
    }
  });

  it("staff get APPEND_SLASH's 301 to an admin page, and Django's 404 page for anything else", async () => {
    const username = uniqueName('staff');
    await ctx().keygate.users.createUser({ username, password: 'correct horse battery', isStaff: true });
    const client = new SessionClient(ctx().app);
    const login = await client.postForm('/admin/login/', {
      username,
      password: 'correct horse battery',
      next: '/admin/',
    });
    assert.equal(login.statusCode, 302);
    for (const [target, location] of [
      ['/admin/products', '/admin/products/'],
      ['/admin/users?o=1', '/admin/users/?o=1'],
      ['/admin/login', '/admin/login/'],
    ] as const) {
      const response = await client.send({ method: 'GET', url: target });
      assert.equal(response.statusCode, 301, target);
      assert.equal(response.headers.location, location, target);
    }
    for (const target of ['/admin/nothing/', '/admin/nothing', '/admin/products/1/nothing/']) {
      const response = await client.send({ method: 'GET', url: target });
      assert.equal(response.statusCode, 404, target);
      assert.equal(response.headers['content-type'], 'text/html', target);
      assert.match(
        response.body,
        /<h1>Not Found<\/h1><p>The requested resource was not found on this server\.<\/p>/,
      );
    }
  });
});
