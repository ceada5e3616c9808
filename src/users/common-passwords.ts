// Django's list of common passwords (shipped gzipped beside this file's sources), read once.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { strip } from '../fields/python-text.js';

// This file is src/users/ under tsx and dist/users/ after `tsc`: two levels below the package root
// either way, and the list stays in src/ (the package ships it, as it ships the templates).
const PACKAGE_ROOT = new URL('../../', import.meta.url);

/**
 * The list Django ships (`django/contrib/auth/common-passwords.txt.gz`, Django 5.2): one lowercase
 * password a line. Its origin and licence are in the same folder (README.md, LICENSE).
 */
export const DJANGO_COMMON_PASSWORDS = fileURLToPath(
  new URL('src/users/common-passwords/common-passwords.txt.gz', PACKAGE_ROOT),
);

// Python's universal newlines, which is how Django's `for x in f` splits the text file.
const LINE = /[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$/g;

/** Deliberate cache: each list is read and decompressed once per process, on first use. */
const loaded = new Map<string, ReadonlySet<string>>();

/**
 * The passwords in `file` (gzipped or plain UTF-8 text), each stripped as Django's
 * CommonPasswordValidator does; read on the first call for that file and kept.
 */
export function commonPasswords(file: string = DJANGO_COMMON_PASSWORDS): ReadonlySet<string> {
  let passwords = loaded.get(file);
  if (passwords === undefined) {
    const bytes = readFileSync(file);
    const gzipped = bytes[0] === 0x1f && bytes[1] === 0x8b;
    const text = (gzipped ? gunzipSync(bytes) : bytes).toString('utf8');
    passwords = new Set((text.match(LINE) ?? []).map((line) => strip(line)));
    loaded.set(file, passwords);
  }
  return passwords;
}
