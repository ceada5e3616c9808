// DRF's AuthTokenSerializer: a username and a password in, the authenticated user out.
import { ValidationError, type FieldErrors } from '../errors.js';
import { requireMapping, type FieldMetadata } from '../http/resource.js';
import type { User } from '../users/user.js';
import { runCharField, type CharFieldOptions } from './char-field.js';

/** The one answer for every failed login, so it never tells which part was wrong. */
export const INVALID_CREDENTIALS = 'Unable to log in with provided credentials.';

/** Validated input of the serializer. */
export interface Credentials {
  readonly username: string;
  readonly password: string;
}

// The writable fields in declaration order; the password keeps its whitespace (trim_whitespace=False).
const WRITABLE_FIELDS: readonly (readonly [keyof Credentials, CharFieldOptions])[] = [
  ['username', {}],
  ['password', { trimWhitespace: false }],
];

/**
 * SimpleMetadata's description of the serializer's fields for OPTIONS: username and password
 * (write-only, which SimpleMetadata does not show) and the read-only token.
 */
export const AUTH_TOKEN_FIELDS: Readonly<Record<string, FieldMetadata>> = Object.freeze({
  username: { type: 'string', required: true, read_only: false, label: 'Username' },
  password: { type: 'string', required: true, read_only: false, label: 'Password' },
  token: { type: 'string', required: false, read_only: true, label: 'Token' },
});

/**
 * The field-level half of `is_valid()`: `request.data` must be a mapping, then each field runs in
 * order and every field's errors are reported together. Unknown keys (and `token`) are ignored.
 */
export function validateCredentialFields(data: unknown): Credentials {
  const mapping = requireMapping(data);
  const errors: FieldErrors = {};
  const values: Partial<Record<keyof Credentials, string>> = {};
  for (const [field, options] of WRITABLE_FIELDS) {
    const result = runCharField(Object.hasOwn(mapping, field) ? mapping[field] : undefined, options);
    if (result.ok) values[field] = result.value;
    else errors[field] = result.messages;
  }
  if (Object.keys(errors).length > 0) throw new ValidationError(errors);
  return { username: values.username ?? '', password: values.password ?? '' };
}

/**
 * Django's `authenticate()` as the serializer calls it: the active user these credentials belong
 * to, or null. The route supplies it, wrapped in the brute-force throttle, which may throw
 * Throttled instead.
 */
export type CheckCredentials = (username: string, password: string) => Promise<User | null>;

/**
 * `AuthTokenSerializer(data=request.data).is_valid(raise_exception=True)` and its
 * `validated_data['user']`: the fields, then `authenticate()`. Input that fails field validation
 * never reaches `authenticate` (so it is not counted as a failed login). A wrong password, an
 * unknown or inactive user and a username of the wrong case all give the same error.
 */
export async function authenticateCredentials(data: unknown, authenticate: CheckCredentials): Promise<User> {
  const { username, password } = validateCredentialFields(data);
  if (username === '' || password === '') {
    // DRF's `else` branch; unreachable once both fields passed (neither may be blank).
    throw new ValidationError({ non_field_errors: ['Must include "username" and "password".'] });
  }
  const user = await authenticate(username, password);
  if (user === null) throw new ValidationError({ non_field_errors: [INVALID_CREDENTIALS] });
  return user;
}
