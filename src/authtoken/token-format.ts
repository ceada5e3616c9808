// Key generation, digests and the checksum of hashed-policy keys.
import { hash, randomBytes, randomInt } from 'node:crypto';
import { crc32 } from 'node:zlib';

/** DRF's key: 20 random bytes as 40 lowercase hex characters. */
export function generateDrfKey(): string {
  return randomBytes(20).toString('hex');
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** Prefix of hashed-policy keys, so leaked keys are recognisable by secret scanners. */
export const HASHED_PREFIX = 'kg_';
const RANDOM_LENGTH = 32; // 32 base62 characters: about 190 bits.
const CHECKSUM_LENGTH = 6; // base62 of a CRC-32: 62^6 > 2^32.

function base62(value: number, width: number): string {
  let out = '';
  let rest = value;
  for (let i = 0; i < width; i++) {
    out = BASE62[rest % 62]! + out;
    rest = Math.floor(rest / 62);
  }
  return out;
}

function checksumOf(body: string): string {
  return base62(crc32(body), CHECKSUM_LENGTH);
}

/** A hashed-policy key: `kg_` + 32 random base62 characters + a 6-character CRC-32 checksum. */
export function generateHashedKey(): string {
  let body = '';
  for (let i = 0; i < RANDOM_LENGTH; i++) body += BASE62[randomInt(62)];
  return HASHED_PREFIX + body + checksumOf(body);
}

/** Whether a key is in the hashed-policy format (a DRF key never starts with `kg_`). */
export function isHashedFormat(key: string): boolean {
  return key.startsWith(HASHED_PREFIX);
}

/** Whether a `kg_` key's checksum matches: checked before any database query. */
export function hasValidChecksum(key: string): boolean {
  if (key.length !== HASHED_PREFIX.length + RANDOM_LENGTH + CHECKSUM_LENGTH) return false;
  const body = key.slice(HASHED_PREFIX.length, -CHECKSUM_LENGTH);
  return /^[0-9A-Za-z]+$/.test(body) && checksumOf(body) === key.slice(-CHECKSUM_LENGTH);
}

/** SHA-256 of a key, hex: the only thing ever looked up. */
export function keyDigest(key: string): string {
  // The one-shot hash: a third of createHash's cost, on every authenticated request.
  return hash('sha256', key, 'hex');
}

/** The first characters of a key, safe to show in lists. */
export function keyHint(key: string): string {
  return isHashedFormat(key) ? key.slice(0, HASHED_PREFIX.length + 4) : key.slice(0, 4);
}
