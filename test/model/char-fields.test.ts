// CharField, TextField and EmailField built from model fields, against DRF's CharField and Django's EmailValidator.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fields, fieldsMetadata } from '../../src/model/index.js';
import { messagesOf, one, valueOf } from './support.js';

const BLANK = 'This field may not be blank.';
const EMAIL = 'Enter a valid email address.';

describe('fields.char', () => {
  it('trims with Python whitespace and takes numbers as Python str()', async () => {
    const field = fields.char({ maxLength: 10 });
    assert.equal(await valueOf(field, ' \u00a0ab\u3000'), 'ab');
    assert.equal(await valueOf(field, 5), '5');
    assert.equal(await valueOf(field, 1e-7), '1e-07');
    assert.equal(await valueOf(field, 2.5), '2.5');
  });

  it('keeps whitespace with trim: false, where only "" is blank', async () => {
    const field = fields.char({ trim: false });
    assert.equal(await valueOf(field, '  a '), '  a ');
    assert.equal(await valueOf(field, '   '), '   ');
    assert.deepEqual(await messagesOf(field, ''), [BLANK]);
  });

  it('refuses booleans, lists and objects as "Not a valid string."', async () => {
    for (const raw of [true, false, [], ['a'], {}]) {
      assert.deepEqual(await messagesOf(fields.char(), raw), ['Not a valid string.'], JSON.stringify(raw));
    }
  });

  it('accumulates validator messages in DRF order: max/min length, NUL, surrogates', async () => {
    const field = fields.char({ maxLength: 3, minLength: 2 });
    assert.deepEqual(await messagesOf(field, 'ab\0\ud800x'), [
      'Ensure this field has no more than 3 characters.',
      'Null characters are not allowed.',
      'Surrogate characters are not allowed: U+D800.',
    ]);
    assert.deepEqual(await messagesOf(field, 'a'), ['Ensure this field has at least 2 characters.']);
    // len() counts code points: three emoji are 3 characters.
    assert.equal(await valueOf(field, '😀😀😀'), '😀😀😀');
  });

  it('blank: "" and whitespace alone are "" with blank, else "may not be blank"', async () => {
    assert.equal(await valueOf(fields.char({ blank: true }), ' \t'), '');
    assert.deepEqual(await messagesOf(fields.char(), ' \t'), [BLANK]);
    assert.equal(fields.char({ blank: true }).required, false);
    assert.equal(fields.char().required, true);
  });

  it('null: JSON null is null; in a form, "" of a nullable char is null (get_value) unless blank', async () => {
    const nullable = fields.char({ null: true });
    assert.equal(await valueOf(nullable, null), null);
    assert.deepEqual(await messagesOf(nullable, ''), [BLANK]); // JSON '' still goes to CharField
    assert.equal(await valueOf(nullable, '', true), null);
    assert.equal(await valueOf(fields.char({ null: true, blank: true }), '', true), '');
    assert.deepEqual(await messagesOf(fields.char(), null), ['This field may not be null.']);
  });

  it('form: "" of a field with a default is missing (skipped), of a required one blank', async () => {
    assert.deepEqual(await one(fields.char({ default: 'x' }), '', 'create', true), { ok: true, value: {} });
    assert.deepEqual(await messagesOf(fields.char(), '', true), [BLANK]);
  });

  it('OPTIONS: type string with min/max length; text shows no max_length unless given', () => {
    assert.deepEqual(
      fieldsMetadata({ unit_name: fields.char({ maxLength: 5, minLength: 1, helpText: 'h' }) }).unit_name,
      {
        type: 'string',
        required: true,
        read_only: false,
        label: 'Unit name',
        help_text: 'h',
        min_length: 1,
        max_length: 5,
      },
    );
    assert.deepEqual(fieldsMetadata({ body: fields.text() }).body, {
      type: 'string',
      required: true,
      read_only: false,
      label: 'Body',
    });
  });
});

describe('fields.email', () => {
  const field = fields.email();

  it('accepts what Django EmailValidator accepts (trimmed first)', async () => {
    for (const raw of [
      'a@b.co',
      ' A.B+c@Example.COM ',
      'x@localhost',
      'x@[127.0.0.1]',
      'x@[::1]',
      '"a!b"@x.org',
      '"a\\"b"@x.org',
      'x@münchen.de',
    ]) {
      assert.equal(await valueOf(field, raw), raw.trim(), raw);
    }
  });

  it('refuses with "Enter a valid email address."', async () => {
    for (const raw of [
      'a',
      'a@b',
      'a..b@x.com',
      '.a@x.com',
      'a@-x.com',
      'a@x.c',
      'a@x.com-',
      'a@[1.2.3]',
      'a b@x.com',
      '"a b"@x.org',
      'a@x%41.com',
      'a@ü%41.com',
      '@x.com',
    ]) {
      assert.deepEqual(await messagesOf(field, raw), [EMAIL], raw);
    }
  });

  it('runs the email check after the length and character validators, max_length 254 by default', async () => {
    assert.deepEqual(await messagesOf(field, `${'a'.repeat(250)}@x.com`), [
      'Ensure this field has no more than 254 characters.',
    ]);
    assert.deepEqual(await messagesOf(field, 'a\0@x.com'), ['Null characters are not allowed.', EMAIL]);
    assert.deepEqual(fieldsMetadata({ email: field }).email, {
      type: 'email',
      required: true,
      read_only: false,
      label: 'Email',
      max_length: 254,
    });
  });
});
