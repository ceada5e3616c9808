// repercentBrokenUnicode: a path as Django sees it, against what Django's own code makes of the same paths.
//
// django/core/handlers/wsgi.py, get_path_info: `repercent_broken_unicode(get_bytes_from_wsgi(environ,
// 'PATH_INFO', '/')).decode()`, where the WSGI server has percent-decoded the path to bytes; and
// django/utils/encoding.py, repercent_broken_unicode: each byte run `bytes.decode()` refuses becomes
// `quote(run)` (%XX, upper-case) as literal text. The Django columns below are what Python 3.11 made of
// each target with `repercent_broken_unicode(unquote_to_bytes(target)).decode()` and escape_uri_path().
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { repercentBrokenUnicode } from '../../src/http/repercent.js';

/** [target, Django's request.path, keygate's rewritten target]. */
const CASES: readonly (readonly [string, string, string])[] = [
  ['/product_api/%ff/', '/product_api/%FF/', '/product_api/%25FF/'],
  ['/gettoken/%B9', '/gettoken/%B9', '/gettoken/%25B9'],
  ['/product_api/%zz/', '/product_api/%zz/', '/product_api/%25zz/'],
  ['/%', '/%', '/%25'],
  ['/a/%2/', '/a/%2/', '/a/%252/'],
  ['/nothing/%E3%80', '/nothing/%E3%80', '/nothing/%25E3%2580'],
  ['/nothing/%E3%80a', '/nothing/%E3%80a', '/nothing/%25E3%2580a'],
  ['/a/%e3%81%82%ff/', '/a/\u3042%FF/', '/a/%e3%81%82%25FF/'],
  // A surrogate, an overlong form, a value past U+10FFFF, a truncated and a stray continuation byte.
  ['/a/%ED%A0%80/', '/a/%ED%A0%80/', '/a/%25ED%25A0%2580/'],
  ['/a/%C0%80/', '/a/%C0%80/', '/a/%25C0%2580/'],
  ['/a/%F4%90%80%80/', '/a/%F4%90%80%80/', '/a/%25F4%2590%2580%2580/'],
  ['/a/%F0%9F%98/', '/a/%F0%9F%98/', '/a/%25F0%259F%2598/'],
  ['/a/%80%80/', '/a/%80%80/', '/a/%2580%2580/'],
  // A broken lead followed by a whole sequence: only the lead is text.
  ['/a/%E3%E3%81%82/', '/a/%E3\u3042/', '/a/%25E3%E3%81%82/'],
];

/** Valid UTF-8 and literal percent signs: the target is left exactly as sent. */
const UNCHANGED: readonly (readonly [string, string])[] = [
  ['/a/%E3%81%82/', '/a/\u3042/'],
  ['/a/%F0%9F%98%80/', '/a/\u{1F600}/'],
  ['/a/%25ff/', '/a/%ff/'],
  ['/a/%00/', '/a/\0/'],
  ['/a/%EF%BF%BD/', '/a/\uFFFD/'],
];

describe("repercentBrokenUnicode (Django's get_path_info)", () => {
  it("bytes that are not UTF-8, and stray %, become literal text: decoded, the path is Django's", () => {
    for (const [target, djangoPath, rewritten] of CASES) {
      assert.equal(repercentBrokenUnicode(target), rewritten, target);
      assert.equal(decodeURIComponent(rewritten), djangoPath, target);
    }
  });

  it('valid escapes are kept as they were sent', () => {
    for (const [target, djangoPath] of UNCHANGED) {
      assert.equal(repercentBrokenUnicode(target), target);
      assert.equal(decodeURIComponent(target), djangoPath, target);
    }
  });

  it('only the path is rewritten; the query string is left to the query parser', () => {
    assert.equal(repercentBrokenUnicode('/product_api/%ff/?q=%ff&r=%'), '/product_api/%25FF/?q=%ff&r=%');
    assert.equal(repercentBrokenUnicode('/product_api/?q=%ff'), '/product_api/?q=%ff');
    assert.equal(repercentBrokenUnicode('/product_api/'), '/product_api/');
  });
});
