// Python's str methods as DRF's fields and Django's validators use them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { asciiDigits, codePointLength, strip } from '../../src/fields/python-text.js';

describe('Python string helpers', () => {
  it('strip removes Python whitespace, not JS \\s', () => {
    assert.equal(strip(' \t\n\v\f\r\x1c\x1f\x85\xa0\u2000\u2028\u3000a b\u205f'), 'a b');
    assert.equal(strip('\ufeffa\ufeff'), '\ufeffa\ufeff'); // BOM is not whitespace in Python
    assert.equal(strip('\u200b'), '\u200b');
    assert.equal(strip('   '), '');
  });
  it('strip is linear on long whitespace runs', () => {
    const text = `a${' '.repeat(1_000_000)}b`;
    assert.equal(strip(text), text);
  });
  it('asciiDigits maps every Unicode decimal digit', () => {
    assert.equal(asciiDigits('٠١٢٣٤٥٦٧٨٩'), '0123456789');
    assert.equal(asciiDigits('０９'), '09');
    assert.equal(asciiDigits('𝟎𝟗𝟘𝟡𝟿'), '09099'); // mathematical digits: five runs back to back
    assert.equal(asciiDigits('x1²½'), 'x1²½'); // superscripts and fractions are not decimal digits
  });
  it('codePointLength counts like Python len()', () => {
    assert.equal(codePointLength('abc'), 3);
    assert.equal(codePointLength('😀'), 1);
    assert.equal(codePointLength('\ud800'), 1);
    assert.equal(codePointLength('\ud800\ud800'), 2);
  });
});
