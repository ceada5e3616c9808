// originForm: the request target reduced to what keygate routes and links (a path and its query).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { originForm } from '../../src/http/request-target.js';

describe('originForm', () => {
  it('keeps origin-form and asterisk-form targets as they are', () => {
    for (const target of [
      '/',
      '/product_api/?limit=5',
      '//evil.example/x',
      '/a?next=http://evil.example/',
      '*',
    ]) {
      assert.equal(originForm(target), target);
    }
  });

  it('reduces an absolute-form target to its path and query, dropping the authority', () => {
    const cases: [string, string][] = [
      ['http://evil.example/product_api', '/product_api'],
      ['http://evil.example/product_api/?limit=1&offset=2', '/product_api/?limit=1&offset=2'],
      ['HTTPS://EVIL.EXAMPLE:8443/x', '/x'],
      ['http://evil.example', '/'],
      ['http://evil.example?format=json', '/?format=json'],
      ['http://user:pass@evil.example/admin/', '/admin/'],
      ['http://[::1]:8000/product_api/', '/product_api/'],
      ['http://evil.example//other.example/x', '//other.example/x'],
    ];
    for (const [target, expected] of cases) assert.equal(originForm(target), expected, target);
  });

  it('leaves other forms for the router to refuse', () => {
    for (const target of ['ftp://evil.example/x', 'evil.example:443', 'javascript:alert(1)']) {
      assert.equal(originForm(target), target);
    }
  });
});
