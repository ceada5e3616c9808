// Django's four password validators, checked message for message against Django 5.2 itself
// (fixtures made by test/users/fixtures/generate.py) and against CPython's difflib and str methods.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/config.js';
import { commonPasswords, DJANGO_COMMON_PASSWORDS } from '../../src/users/common-passwords.js';
import {
  commonPasswordValidator,
  createPasswordValidators,
  minimumLengthValidator,
  numericPasswordValidator,
  passwordHelpTexts,
  userAttributeSimilarityValidator,
  validatePassword,
  type PasswordUser,
} from '../../src/users/password-validators.js';
import { isDigits, lower, splitOnNonWord, strip } from '../../src/fields/python-text.js';
import { quickRatio } from '../../src/users/quick-ratio.js';

const TOO_SHORT = 'This password is too short. It must contain at least 8 characters.';
const TOO_COMMON = 'This password is too common.';
const NUMERIC = 'This password is entirely numeric.';
const similar = (name: string) => `The password is too similar to the ${name}.`;

function fixture<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8')) as T;
}

/** A Django user's fields as generate.py wrote them. */
interface DjangoUser {
  readonly username: string;
  readonly first_name: string;
  readonly last_name: string;
  readonly email: string;
}

const toPasswordUser = (user: DjangoUser): PasswordUser => ({
  username: user.username,
  firstName: user.first_name,
  lastName: user.last_name,
  email: user.email,
});

/** The validators a PASSWORD_VALIDATORS value configures, as the server builds them. */
const configured = (setting: string) =>
  createPasswordValidators(loadConfig({ PASSWORD_VALIDATORS: setting }).passwordValidators);

const DEFAULTS = createPasswordValidators(loadConfig({}).passwordValidators);
const check = (password: string, user?: PasswordUser) => validatePassword(password, user, DEFAULTS);

describe('password validators (Django 5.2 defaults)', () => {
  it('refuses the passwords Django refuses, with all of Django’s messages in order', () => {
    assert.deepEqual(check('password', { username: 'bob' }), [TOO_COMMON]);
    assert.deepEqual(check('password1', { username: 'bob' }), [TOO_COMMON]);
    assert.deepEqual(check(' PassWord '), [TOO_COMMON], 'lowercased and stripped first');
    assert.deepEqual(check('12345678'), [TOO_COMMON, NUMERIC]);
    assert.deepEqual(check('1234'), [TOO_SHORT, TOO_COMMON, NUMERIC]);
    assert.deepEqual(check('shortpw'), [TOO_SHORT]);
    assert.deepEqual(check('¹²³⁴⁵⁶⁷⁸⁹'), [NUMERIC], 'str.isdigit counts superscripts');
    assert.deepEqual(check('correct horse battery', { username: 'alice', email: 'alice@example.com' }), []);
  });

  it('compares with each user attribute and its parts, naming the attribute as Django does', () => {
    const jane: PasswordUser = {
      username: 'jdoe',
      firstName: 'Jane',
      lastName: 'Doe-Watson',
      email: 'testclient@example.com',
    };
    assert.deepEqual(check('watson12', jane), [similar('last name')]);
    assert.deepEqual(check('example.com', jane), [similar('email address')]);
    assert.deepEqual(check('testclient1', { username: 'client' }), [similar('username')]);
    assert.deepEqual(check('mariadb1', { username: 'maria', firstName: 'Maria' }), [similar('username')]);
    assert.deepEqual(check('maximilian7', { username: 'x', firstName: 'Maximilian' }), [
      similar('first name'),
    ]);
    assert.deepEqual(check('smithrobert', { username: 'robert.smith' }), [similar('username')]);
    assert.deepEqual(check('janedoe1', jane), [], 'no single part is close enough');
  });

  it('accepts bobbobbob for bob, as Django does (quick_ratio 0.5 < 0.7), and refuses it at 0.5', () => {
    assert.equal(quickRatio('bobbobbob', 'bob'), 0.5);
    assert.deepEqual(check('bobbobbob', { username: 'bob' }), []);
    const strict = configured('UserAttributeSimilarity:0.5');
    assert.deepEqual(validatePassword('bobbobbob', { username: 'bob' }, strict), [similar('username')]);
  });

  it('refuses a max similarity under 0.1 and pluralises the minimum length as Django does', () => {
    assert.throws(() => userAttributeSimilarityValidator({ maxSimilarity: 0.09 }), {
      name: 'RangeError',
      message: 'max_similarity must be at least 0.1',
    });
    assert.equal(
      minimumLengthValidator({ minLength: 1 }).validate(''),
      'This password is too short. It must contain at least 1 character.',
    );
    assert.equal(
      minimumLengthValidator({ minLength: 1 }).helpText,
      'Your password must contain at least 1 character.',
    );
    assert.equal(
      minimumLengthValidator({ minLength: 12 }).validate('eleven chars'),
      null,
      'twelve characters is enough',
    );
    assert.equal(
      minimumLengthValidator().validate('😀😀😀😀😀😀😀😀'),
      null,
      'code points, not UTF-16 units',
    );
    assert.equal(numericPasswordValidator().validate(''), null, "''.isdigit() is False");
    assert.equal(commonPasswordValidator().validate('letmein'), TOO_COMMON);
  });

  it('runs no validator when PASSWORD_VALIDATORS is none, and only the ones listed otherwise', () => {
    assert.deepEqual(validatePassword('1', { username: '1' }, configured('none')), []);
    assert.deepEqual(validatePassword('1234', undefined, configured('Numeric')), [NUMERIC]);
    assert.deepEqual(validatePassword('password', undefined, configured('MinimumLength:12,Common')), [
      'This password is too short. It must contain at least 12 characters.',
      TOO_COMMON,
    ]);
  });

  it('answers exactly what Django 5.2 answers for every fixture case', () => {
    const { cases, users, helpTexts } = fixture<{
      cases: [string, number | null, string, string[]][];
      users: DjangoUser[];
      helpTexts: Record<string, string[]>;
    }>('django-validation.json');
    assert.ok(cases.length > 3000);
    const validatorsFor = new Map<string, ReturnType<typeof configured>>();
    let refused = 0;
    for (const [setting, userIndex, password, messages] of cases) {
      if (!validatorsFor.has(setting)) validatorsFor.set(setting, configured(setting));
      const user = userIndex === null ? undefined : toPasswordUser(users[userIndex]!);
      const actual = validatePassword(password, user, validatorsFor.get(setting)!);
      assert.deepEqual(actual, messages, `${setting} ${JSON.stringify(password)} ${JSON.stringify(user)}`);
      if (messages.length > 0) refused++;
    }
    assert.ok(refused > 1000 && refused < cases.length - 500, 'the fixture has both outcomes');
    for (const [setting, texts] of Object.entries(helpTexts)) {
      assert.deepEqual(passwordHelpTexts(configured(setting)), texts, setting);
    }
  });
});

describe("CPython's SequenceMatcher.quick_ratio and str methods", () => {
  it('quickRatio equals difflib’s quick_ratio for every fixture pair, to the last bit', () => {
    const pairs = fixture<[string, string, number][]>('quick-ratio.json');
    assert.ok(pairs.length > 3000);
    for (const [a, b, ratio] of pairs) assert.equal(quickRatio(a, b), ratio, `${a} / ${b}`);
  });

  it('isDigits, strip, splitOnNonWord and lower agree with Python on every assigned code point', () => {
    const unicode = fixture<{
      unassigned: [number, number][];
      digit: [number, number][];
      space: [number, number][];
      word: [number, number][];
      lower: Record<string, string>;
    }>('unicode.json');
    const within = (ranges: [number, number][]) => {
      const set = new Set<number>();
      for (const [from, to] of ranges) for (let cp = from; cp <= to; cp++) set.add(cp);
      return set;
    };
    const unassigned = within(unicode.unassigned);
    const digit = within(unicode.digit);
    const space = within(unicode.space);
    const word = within(unicode.word);
    let compared = 0;
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      if (unassigned.has(cp) || (cp >= 0xd800 && cp <= 0xdfff)) continue;
      const char = String.fromCodePoint(cp);
      const at = `U+${cp.toString(16).toUpperCase()}`;
      assert.equal(isDigits(char), digit.has(cp), `isdigit ${at}`);
      assert.equal(strip(`${char}x${char}`) === 'x', space.has(cp), `strip ${at}`);
      assert.equal(splitOnNonWord(`x${char}x`).length === 1, word.has(cp), `\\w ${at}`);
      assert.equal(lower(char), unicode.lower[cp] ?? char, `lower ${at}`);
      compared++;
    }
    assert.ok(compared > 280_000, `${compared} code points compared`);
    assert.deepEqual(
      splitOnNonWord('.jane.doe@x.'),
      ['', 'jane', 'doe', 'x', ''],
      're.split keeps empty ends',
    );
    assert.equal(lower('ΟΔΟΣ ΣΑ'), 'οδος σα', 'final sigma, as Python');
  });

  it("ships Django's list of common passwords, read once and lowercased", () => {
    const list = commonPasswords(DJANGO_COMMON_PASSWORDS);
    assert.equal(list.size, 19_640);
    assert.equal(commonPasswords(DJANGO_COMMON_PASSWORDS), list, 'loaded once');
    for (const word of ['password', 'password1', '12345678', 'letmein']) assert.ok(list.has(word), word);
    for (const word of list) assert.equal(word, lower(word));
    assert.ok(!list.has(''));
  });
});
