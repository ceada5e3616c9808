// Password hashing: argon2id (OWASP parameters) for new hashes; Django's hashes still verify.
import { pbkdf2, randomBytes, timingSafeEqual } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { promisify } from 'node:util';
import { hash as argon2Hash, verify as argon2Verify, type Options } from '@node-rs/argon2';
import pLimit from 'p-limit';

const pbkdf2Async = promisify(pbkdf2);

/** OWASP's argon2id recommendation: 19 MiB, two passes, one lane. */
export const ARGON2_OPTIONS: Readonly<Options> = Object.freeze({
  // Algorithm.Argon2id; the package exports it as a const enum, which isolated modules cannot read.
  algorithm: 2,
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1,
});

const CURRENT_PARAMS = `$argon2id$v=19$m=${ARGON2_OPTIONS.memoryCost},t=${ARGON2_OPTIONS.timeCost},p=${ARGON2_OPTIONS.parallelism}$`;

/** The prefix Django gives passwords that can never be used to log in. */
export const UNUSABLE_PREFIX = '!';

/** Outcome of checking a password against a stored hash. */
export interface PasswordCheck {
  readonly ok: boolean;
  /** The stored hash is of an older kind or weaker parameters and should be replaced now. */
  readonly needsRehash: boolean;
}

/**
 * At most one argon2 computation per CPU at a time. Each holds 19 MiB while it runs; more at once
 * (the thread pool has four threads) would not finish sooner on fewer cores, only hold more memory
 * under a burst of logins.
 */
const argon2Slots = pLimit(availableParallelism());
const hash = (password: string, options: Options) => argon2Slots(() => argon2Hash(password, options));
const verify = (encoded: string, password: string) => argon2Slots(() => argon2Verify(encoded, password));

const FAIL: PasswordCheck = Object.freeze({ ok: false, needsRehash: false });

/**
 * A new password already validated and hashed (the user service's `preparePassword`), so that a
 * caller who opens the transaction itself does not hold it through the slow hash.
 */
export interface PreparedPassword {
  /** The argon2id hash to store. */
  readonly hash: string;
  /** Made by preparePassword only (a type-level mark: a plain string is not a validated hash). */
  readonly [PREPARED]: true;
}

declare const PREPARED: unique symbol;

/** Hashes a password with argon2id; the result is a PHC string (`$argon2id$v=19$...`). */
export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

/** A stored value that no password matches (Django's `make_password(None)`). */
export function unusablePassword(): string {
  return UNUSABLE_PREFIX + randomBytes(30).toString('base64url');
}

/** Whether a stored hash could ever match a password. */
export function isUsablePassword(encoded: string): boolean {
  return !encoded.startsWith(UNUSABLE_PREFIX) && encoded.length > 0;
}

async function verifyDjangoPbkdf2(password: string, encoded: string): Promise<boolean> {
  const parts = encoded.split('$');
  if (parts.length !== 4) return false;
  const [, iterationsText, salt, expectedB64] = parts as [string, string, string, string];
  if (!/^\d{1,9}$/.test(iterationsText)) return false;
  const iterations = Number(iterationsText);
  if (iterations < 1) return false;
  const expected = Buffer.from(expectedB64, 'base64');
  if (expected.length === 0) return false;
  const actual = await pbkdf2Async(password, salt, iterations, expected.length, 'sha256');
  return timingSafeEqual(actual, expected);
}

/**
 * Checks a password against a stored hash: keygate's argon2id, Django's `argon2$argon2id$...`
 * and Django's `pbkdf2_sha256$iterations$salt$hash`. Unusable (`!...`) and unknown formats never
 * match, and cost one dummy check all the same (Django's fix for CVE-2024-39329: otherwise the
 * response time tells which accounts exist without a password).
 */
export async function checkPassword(password: string, encoded: string): Promise<PasswordCheck> {
  if (!isUsablePassword(encoded)) return failAfterDummyCheck(password);
  try {
    if (encoded.startsWith('$argon2')) {
      const ok = await verify(encoded, password);
      return { ok, needsRehash: ok && !encoded.startsWith(CURRENT_PARAMS) };
    }
    if (encoded.startsWith('argon2$argon2')) {
      const ok = await verify(encoded.slice('argon2'.length), password);
      return { ok, needsRehash: ok };
    }
    if (encoded.startsWith('pbkdf2_sha256$')) {
      const ok = await verifyDjangoPbkdf2(password, encoded);
      return { ok, needsRehash: ok };
    }
  } catch {
    // A malformed stored hash is a failed check, never an error shown to the client.
    return failAfterDummyCheck(password);
  }
  return failAfterDummyCheck(password);
}

// Cached: hashing it costs as much as a real check, and it is only ever used to spend that time.
let dummyHash: Promise<string> | null = null;

/**
 * Spends the time of one real password check, for a user that does not exist, so that the
 * response time does not tell whether a username is registered.
 */
export async function checkDummyPassword(password: string): Promise<void> {
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
  await verify(await dummyHash, password).catch(() => false);
}

async function failAfterDummyCheck(password: string): Promise<PasswordCheck> {
  await checkDummyPassword(password);
  return FAIL;
}
