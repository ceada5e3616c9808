// iriToUri and quote against Django's and Python's own cases.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { iriToUri, quote } from '../../src/http/iri-to-uri.js';

describe('iriToUri (Django utils_tests/test_encoding.py)', () => {
  it('encodes valid UTF-8 and keeps reserved characters (test_iri_to_uri), idempotently', () => {
    const cases: [string, string][] = [
      // Valid UTF-8 sequences are encoded.
      ['red%09rosé#red', 'red%09ros%C3%A9#red'],
      ['/blog/for/Jürgen Münster/', '/blog/for/J%C3%BCrgen%20M%C3%BCnster/'],
      // 'locations/%s' % quote_plus('Paris & Orléans')
      ['locations/Paris+%26+Orl%C3%A9ans', 'locations/Paris+%26+Orl%C3%A9ans'],
      // Reserved chars remain unescaped.
      ['%&', '%&'],
      ['red&♥ros%#red', 'red&%E2%99%A5ros%#red'],
    ];
    for (const [iri, uri] of cases) {
      assert.equal(iriToUri(iri), uri, iri);
      assert.equal(iriToUri(iriToUri(iri)), uri, `idempotent: ${iri}`);
    }
  });

  it('turns every IRI of test_complementarity back into its URI', () => {
    const cases: [string, string][] = [
      ['/blog/for/J%C3%BCrgen%20M%C3%BCnster/', '/blog/for/J\xfcrgen%20M\xfcnster/'],
      ['%&', '%&'],
      ['red&%E2%99%A5ros%#red', 'red&♥ros%#red'],
      ['/%E2%99%A5%E2%99%A5/', '/♥♥/'],
      ['/%E2%99%A5%E2%99%A5/?utf8=%E2%9C%93', '/♥♥/?utf8=✓'],
      ['/%25%20%02%7b/', '/%25%20%02%7b/'],
      ['/%AAd%AAj%AAa%AAn%AAg%AAo%AA/', '/%AAd%AAj%AAa%AAn%AAg%AAo%AA/'],
      ['/%E2%99%A5%E2%E2%99%A5/', '/♥%E2♥/'],
      ['/%E2%99%A5%E2%99%E2%99%A5/', '/♥%E2%99♥/'],
      ['/%E2%E2%99%A5%E2%99%A5%99/', '/%E2♥♥%99/'],
      ['/%E2%99%A5%E2%99%A5/?utf8=%9C%93%E2%9C%93%9C%93', '/♥♥/?utf8=%9C%93✓%9C%93'],
    ];
    for (const [uri, iri] of cases) assert.equal(iriToUri(iri), uri, iri);
  });

  it("encodes its docstring's example", () => {
    assert.equal(iriToUri('/I ♥ Django/'), '/I%20%E2%99%A5%20Django/');
  });

  it('keeps exactly the safe set and escapes the rest of ASCII', () => {
    const safe = "ABCXYZabcxyz0189_.-~/#%[]=:;$&()+,!?*@'";
    assert.equal(iriToUri(safe), safe);
    assert.equal(iriToUri(' "<>\\^`{|}'), '%20%22%3C%3E%5C%5E%60%7B%7C%7D');
    assert.equal(iriToUri('\t\n\r\x00\x7f'), '%09%0A%0D%00%7F');
  });

  it('encodes what broke redirects: outside Latin-1, inside it, astral, lone surrogates', () => {
    assert.equal(iriToUri('/。'), '/%E3%80%82');
    assert.equal(iriToUri('/é?x=ÿ'), '/%C3%A9?x=%C3%BF');
    assert.equal(iriToUri('/🍺'), '/%F0%9F%8D%BA');
    // Python raises on a lone surrogate; keygate encodes U+FFFD instead of failing the request.
    assert.equal(iriToUri('/\ud800x'), '/%EF%BF%BDx');
    assert.equal(iriToUri('/x\udc00'), '/x%EF%BF%BD');
  });

  it('returns ASCII that a Location header accepts', () => {
    for (let code = 0; code < 0x3000; code += 7) {
      const uri = iriToUri(`/${String.fromCodePoint(code)}`);
      assert.match(uri, /^[\x21-\x7e]+$/, `U+${code.toString(16)}`);
    }
  });
});

describe("quote (Python's urllib.parse.quote)", () => {
  it("keeps letters, digits and _.-~ always, and '/' by default", () => {
    assert.equal(quote('/admin/'), '/admin/');
    assert.equal(quote('/admin/?q=a b&x=1'), '/admin/%3Fq%3Da%20b%26x%3D1');
    assert.equal(quote("a_b.c-d~e!*'()"), 'a_b.c-d~e%21%2A%27%28%29');
  });

  it('takes another safe set', () => {
    assert.equal(quote('/a b', ''), '%2Fa%20b');
    assert.equal(quote('/a?b=c', '/?='), '/a?b=c');
    assert.equal(quote('Orléans & ♥', ''), 'Orl%C3%A9ans%20%26%20%E2%99%A5');
  });
});
