// The users section's password forms (Django's UserCreationForm and AdminPasswordChangeForm): the
// two password fields, their validation, and Django's messages.
import type { FieldErrors } from '../errors.js';
import type { FormField } from './change-form.js';

/** Django's message for a required field left empty. */
export const REQUIRED = 'This field is required.';
/** Django's UserCreationForm message for a taken username. */
export const USERNAME_TAKEN = 'A user with that username already exists.';
const PASSWORD_MISMATCH = 'The two password fields didn’t match.';
/** The most characters a username, first or last name may have. */
export const NAME_MAX_LENGTH = 150;

/** The configured validators' messages for a password (the user service's passwordErrors). */
export type PasswordCheck = (password: string) => readonly string[];

/**
 * Django's SetPasswordForm: both required, equal, then the validators (errors on the second),
 * `check` comparing with the user the form is for.
 */
export function passwordFormErrors(password1: string, password2: string, check: PasswordCheck): FieldErrors {
  const errors: FieldErrors = {};
  if (password1 === '') errors.password1 = [REQUIRED];
  if (password2 === '') errors.password2 = [REQUIRED];
  if (password1 === '' || password2 === '') return errors;
  if (password1 !== password2) return { password2: [PASSWORD_MISMATCH] };
  const weak = check(password2);
  return weak.length > 0 ? { password2: [...weak] } : {};
}

/** The user service's errors with its `password` messages under the form's second password field. */
export function underPasswordField(errors: FieldErrors): FieldErrors {
  const { password, ...others } = errors;
  return password === undefined ? errors : { ...others, password2: password };
}

/**
 * The two password fields; what was typed is never sent back. `helpTexts` are the configured
 * validators' (Django's password_validators_help_text_html), shown under the first.
 */
export function passwordFields(first: string, second: string, helpTexts: readonly string[]): FormField[] {
  return [
    {
      name: 'password1',
      label: first,
      kind: 'password',
      required: true,
      autocomplete: 'new-password',
      ...(helpTexts.length > 0 && { help: helpTexts.join(' ') }),
    },
    {
      name: 'password2',
      label: second,
      kind: 'password',
      required: true,
      autocomplete: 'new-password',
      help: 'Enter the same password as before, for verification.',
    },
  ];
}

/** Django's get_text_list: "a, b and c". */
export function textList(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}
