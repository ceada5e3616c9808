// Password hashes: argon2id for new ones, Django's still verify (and ask for a rehash), junk never does.
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { describe, it } from 'node:test';
import { hash } from '@node-rs/argon2';
import {
  ARGON2_OPTIONS,
  checkDummyPassword,
  checkPassword,
  hashPassword,
  isUsablePassword,
  unusablePassword,
} from '../../src/users/passwords.js';

// Real vectors, made with Python's hashlib (the function Django's PBKDF2PasswordHasher calls):
//   base64.b64encode(hashlib.pbkdf2_hmac('sha256', b'pw', b'salt', 1000))
const DJANGO_PBKDF2_PW = 'pbkdf2_sha256$1000$salt$CjglNVXON/XHKmtwP5loFOvyQfIDrxRuk9zesDHFVn4=';
// Django 5.0's default iteration count and salt length, for 'correct horse battery'.
const DJANGO_PBKDF2_DEFAULT =
  'pbkdf2_sha256$870000$Wd1ITjxSoO2OhjZBTwnv7a$4NjKqwGsrp4wca9exNElsRl9L5lX3YKKAjNxFXdxLCY=';

const ARGON2ID_CURRENT = /^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/;

async function elapsedMs(action: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await action();
  return performance.now() - start;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

describe('passwords', () => {
  it('hashPassword makes an argon2id PHC string with the OWASP parameters and a fresh salt', async () => {
    const first = await hashPassword('correct horse');
    const second = await hashPassword('correct horse');
    assert.match(first, ARGON2ID_CURRENT);
    assert.match(second, ARGON2ID_CURRENT);
    assert.notEqual(first, second);
  });

  it('a current argon2id hash verifies without a rehash; a wrong password fails', async () => {
    const encoded = await hashPassword('correct horse');
    assert.deepEqual(await checkPassword('correct horse', encoded), { ok: true, needsRehash: false });
    assert.deepEqual(await checkPassword('correct hors', encoded), { ok: false, needsRehash: false });
    assert.deepEqual(await checkPassword('Correct horse', encoded), { ok: false, needsRehash: false });
    assert.deepEqual(await checkPassword('correct horse ', encoded), { ok: false, needsRehash: false });
    assert.deepEqual(await checkPassword('', encoded), { ok: false, needsRehash: false });
  });

  it('an argon2id hash with weaker parameters verifies and asks for a rehash', async () => {
    const weak = await hash('correct horse', { ...ARGON2_OPTIONS, memoryCost: 4096, timeCost: 1 });
    assert.ok(weak.startsWith('$argon2id$v=19$m=4096,t=1,p=1$'), weak);
    assert.deepEqual(await checkPassword('correct horse', weak), { ok: true, needsRehash: true });
    assert.deepEqual(await checkPassword('wrong horse', weak), { ok: false, needsRehash: false });
  });

  it("Django's argon2 format (argon2$argon2id$...) verifies and asks for a rehash", async () => {
    const django = `argon2${await hashPassword('correct horse')}`;
    assert.deepEqual(await checkPassword('correct horse', django), { ok: true, needsRehash: true });
    assert.deepEqual(await checkPassword('wrong horse', django), { ok: false, needsRehash: false });
  });

  it("Django's pbkdf2_sha256 hashes verify and ask for a rehash; a wrong password fails", async () => {
    assert.deepEqual(await checkPassword('pw', DJANGO_PBKDF2_PW), { ok: true, needsRehash: true });
    assert.deepEqual(await checkPassword('pw ', DJANGO_PBKDF2_PW), { ok: false, needsRehash: false });
    assert.deepEqual(await checkPassword('PW', DJANGO_PBKDF2_PW), { ok: false, needsRehash: false });
    assert.deepEqual(await checkPassword('correct horse battery', DJANGO_PBKDF2_DEFAULT), {
      ok: true,
      needsRehash: true,
    });
    assert.deepEqual(await checkPassword('correct horse', DJANGO_PBKDF2_DEFAULT), {
      ok: false,
      needsRehash: false,
    });
    // The same hash with another salt or iteration count is another hash.
    const otherSalt = DJANGO_PBKDF2_PW.replace('$salt$', '$salu$');
    const otherCount = DJANGO_PBKDF2_PW.replace('$1000$', '$1001$');
    assert.equal((await checkPassword('pw', otherSalt)).ok, false);
    assert.equal((await checkPassword('pw', otherCount)).ok, false);
  });

  it('an unusable password (!...) never verifies, not even against its own text', async () => {
    assert.equal(isUsablePassword('!xyz'), false);
    assert.deepEqual(await checkPassword('xyz', '!xyz'), { ok: false, needsRehash: false });
    assert.deepEqual(await checkPassword('!xyz', '!xyz'), { ok: false, needsRehash: false });
    assert.deepEqual(await checkPassword('', '!'), { ok: false, needsRehash: false });
    const unusable = unusablePassword();
    assert.ok(unusable.startsWith('!'));
    assert.notEqual(unusable, unusablePassword());
    assert.deepEqual(await checkPassword(unusable, unusable), { ok: false, needsRehash: false });
    assert.deepEqual(await checkPassword(unusable.slice(1), unusable), { ok: false, needsRehash: false });
  });

  it('garbage stored values fail without throwing', async () => {
    for (const encoded of [
      '',
      'md5$x$y',
      'pw',
      'pbkdf2_sha256$abc$salt$hash',
      'pbkdf2_sha256$0$salt$CjglNVXON/XHKmtwP5loFOvyQfIDrxRuk9zesDHFVn4=',
      'pbkdf2_sha256$1000$salt$',
      'pbkdf2_sha256$1000$salt$!!!!',
      'pbkdf2_sha256$1000$salt$AAAA',
      'pbkdf2_sha256$1000$salt',
      'pbkdf2_sha256$1000$salt$CjglNVXON/XHKmtwP5loFOvyQfIDrxRuk9zesDHFVn4=$extra',
      '$argon2id$broken',
      '$argon2id$v=19$m=19456,t=2,p=1$AAAA$',
      'argon2$argon2id$broken',
      '$argon2i',
    ]) {
      assert.deepEqual(
        await checkPassword('pw', encoded),
        { ok: false, needsRehash: false },
        JSON.stringify(encoded),
      );
    }
  });

  it('checkDummyPassword costs about as much as a real check (no username oracle)', async () => {
    const encoded = await hashPassword('correct horse');
    await checkDummyPassword('warm-up'); // the first call also makes the cached dummy hash
    await checkPassword('warm-up', encoded);
    const real: number[] = [];
    const dummy: number[] = [];
    for (let i = 0; i < 5; i++) {
      real.push(await elapsedMs(() => checkPassword('wrong horse', encoded)));
      dummy.push(await elapsedMs(() => checkDummyPassword('wrong horse')));
    }
    // Both are one argon2id verification with the same parameters; 30% leaves room for noise.
    assert.ok(
      median(dummy) >= 0.3 * median(real),
      `dummy check ${median(dummy).toFixed(1)} ms vs real check ${median(real).toFixed(1)} ms`,
    );
  });

  it('an unusable or unrecognised stored value costs as much as a real check (CVE-2024-39329)', async () => {
    // Django 4.2.14/5.0.7: a user without a usable password must not answer faster than a real one,
    // or the timing tells an attacker which token-only accounts exist.
    const encoded = await hashPassword('correct horse');
    await checkDummyPassword('warm-up');
    await checkPassword('warm-up', encoded);
    const real: number[] = [];
    const unusable: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 5; i++) {
      real.push(await elapsedMs(() => checkPassword('wrong horse', encoded)));
      unusable.push(await elapsedMs(() => checkPassword('wrong horse', unusablePassword())));
      unknown.push(await elapsedMs(() => checkPassword('wrong horse', 'md5$x$y')));
    }
    for (const [kind, times] of [
      ['unusable', unusable],
      ['unrecognised', unknown],
    ] as const) {
      assert.ok(
        median(times) >= 0.3 * median(real),
        `${kind} check ${median(times).toFixed(1)} ms vs real check ${median(real).toFixed(1)} ms`,
      );
    }
  });
});
