// localNext: which `?next=` values a login or logout may redirect to.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { localNext } from '../../src/sessions/next-url.js';

describe('localNext', () => {
  it('keeps local paths with their query', () => {
    for (const next of ['/', '/product_api/', '/product_api/?limit=5&offset=10', '/admin/#top']) {
      assert.equal(localNext(next), next);
    }
  });

  it('refuses other hosts, schemes, protocol-relative and backslash tricks', () => {
    for (const next of [
      '//evil.com',
      '///evil.com',
      '/\\evil.com',
      '/\\/evil.com',
      '/\t/evil.com',
      '/\n/evil.com',
      'https://evil.com',
      'http:evil.com',
      'javascript:alert(1)',
      'evil.com/',
      '',
      undefined,
      null,
      ['/'],
    ]) {
      assert.equal(localNext(next), null, JSON.stringify(next));
    }
  });
});
