// Django's rules for usernames and e-mail addresses, with Django's messages (passwords: password-validators.ts).
import type { FieldErrors } from '../errors.js';

/** Django's UnicodeUsernameValidator: letters, digits and @ . + - _ only. */
const USERNAME_PATTERN = /^[\p{L}\p{N}_.@+-]+$/u;

/** Messages for a username, empty when it is acceptable (uniqueness is checked by the database). */
export function usernameErrors(username: string): string[] {
  if (username.length === 0) return ['This field may not be blank.'];
  const errors: string[] = [];
  const length = [...username].length;
  if (length > 150) errors.push(`Ensure this value has at most 150 characters (it has ${length}).`);
  if (!USERNAME_PATTERN.test(username)) {
    errors.push(
      'Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters.',
    );
  }
  return errors;
}

/**
 * Django's ProhibitNullCharactersValidator, which every form CharField runs: no text keygate stores
 * may hold a NUL (PostgreSQL refuses it in a text column).
 */
export function nullCharacterErrors(text: string): string[] {
  return text.includes('\0') ? ['Null characters are not allowed.'] : [];
}

/** Messages for an e-mail address (empty is allowed, as in Django's auth_user). */
export function emailErrors(email: string): string[] {
  if (email === '') return [];
  const nul = nullCharacterErrors(email);
  if (nul.length > 0) return nul;
  if (email.length > 254 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/u.test(email))
    return ['Enter a valid email address.'];
  return [];
}

/** The name fields' errors: a NUL, which no database column may hold (Django's CharField refuses it). */
export function nameErrors(firstName: string | undefined, lastName: string | undefined): FieldErrors {
  const errors: FieldErrors = {};
  const first = nullCharacterErrors(firstName ?? '');
  if (first.length > 0) errors.first_name = first;
  const last = nullCharacterErrors(lastName ?? '');
  if (last.length > 0) errors.last_name = last;
  return errors;
}
