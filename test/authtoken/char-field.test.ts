// DRF's CharField rules in isolation: the order of checks, Python's str() and strip(), the validators.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCharField } from '../../src/authtoken/char-field.js';

const keep = { trimWhitespace: false } as const;

describe('runCharField', () => {
  it('missing is required, null is null, "" is blank (with or without trimming)', () => {
    assert.deepEqual(runCharField(undefined), { ok: false, messages: ['This field is required.'] });
    assert.deepEqual(runCharField(null, keep), { ok: false, messages: ['This field may not be null.'] });
    assert.deepEqual(runCharField(''), { ok: false, messages: ['This field may not be blank.'] });
    assert.deepEqual(runCharField('', keep), { ok: false, messages: ['This field may not be blank.'] });
  });

  it("whitespace only is blank when trimming (Python's whitespace set), kept otherwise", () => {
    for (const text of [' ', '\t\n', '\u3000', '\x1c\x1f', '\u00a0\u2028']) {
      assert.deepEqual(runCharField(text), { ok: false, messages: ['This field may not be blank.'] });
      assert.deepEqual(runCharField(text, keep), { ok: true, value: text });
    }
    // U+200B and U+FEFF are not whitespace to Python.
    assert.deepEqual(runCharField('\u200b'), { ok: true, value: '\u200b' });
    assert.deepEqual(runCharField('\ufeff '), { ok: true, value: '\ufeff' });
  });

  it('trims both ends when asked, and only then', () => {
    assert.deepEqual(runCharField('\u3000 alice \n'), { ok: true, value: 'alice' });
    assert.deepEqual(runCharField(' pw ', keep), { ok: true, value: ' pw ' });
  });

  it("numbers become Python's str(); booleans, lists and objects are not strings", () => {
    assert.deepEqual(runCharField(42), { ok: true, value: '42' });
    assert.deepEqual(runCharField(-1.5, keep), { ok: true, value: '-1.5' });
    assert.deepEqual(runCharField(0.00001), { ok: true, value: '1e-05' });
    assert.deepEqual(runCharField(1e21), { ok: true, value: '1000000000000000000000' });
    for (const value of [true, false, [], ['a'], {}, { a: 'b' }, Buffer.from('x')]) {
      assert.deepEqual(runCharField(value), { ok: false, messages: ['Not a valid string.'] });
    }
  });

  it('NUL and lone surrogates fail, both messages together; a surrogate pair is fine', () => {
    assert.deepEqual(runCharField('a\0b'), { ok: false, messages: ['Null characters are not allowed.'] });
    assert.deepEqual(runCharField('\udfff', keep), {
      ok: false,
      messages: ['Surrogate characters are not allowed: U+DFFF.'],
    });
    assert.deepEqual(runCharField('\0x\ud800y\udc01'), {
      ok: false,
      messages: ['Null characters are not allowed.', 'Surrogate characters are not allowed: U+D800.'],
    });
    assert.deepEqual(runCharField('\ud83d\ude00'), { ok: true, value: '\ud83d\ude00' });
  });
});
