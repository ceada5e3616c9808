// The users section's forms (Django's UserCreationForm, UserChangeForm and AdminPasswordChangeForm):
// their fields, what they read back from a submission, and Django's validation messages.
import type { FieldErrors } from '../errors.js';
import type { User } from '../users/user.js';
import { emailErrors, nullCharacterErrors, usernameErrors } from '../users/user-validation.js';
import { checkbox, field, shownTime } from './admin-page.js';
import type { FormField } from './change-form.js';

const REQUIRED = 'This field is required.';
const USERNAME_TAKEN = 'A user with that username already exists.';
const PASSWORD_MISMATCH = 'The two password fields didn’t match.';
const NAME_MAX_LENGTH = 150;

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

/** The add form: a username and the password typed twice. */
export function addFields(username: string, passwordHelpTexts: readonly string[]): FormField[] {
  return [
    {
      name: 'username',
      label: 'Username',
      kind: 'text',
      value: username,
      required: true,
      maxlength: NAME_MAX_LENGTH,
      autocomplete: 'off',
      help: 'Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only.',
    },
    ...passwordFields('Password', 'Password confirmation', passwordHelpTexts),
  ];
}

/** The change form's editable values, as sent or as stored. */
export interface ChangeValues {
  readonly email: string;
  readonly first_name: string;
  readonly last_name: string;
  readonly is_active: boolean;
  readonly is_staff: boolean;
  readonly is_superuser: boolean;
}

/** A user's values as the change form shows them. */
export function valuesOf(user: User): ChangeValues {
  return {
    email: user.email,
    first_name: user.firstName,
    last_name: user.lastName,
    is_active: user.isActive,
    is_staff: user.isStaff,
    is_superuser: user.isSuperuser,
  };
}

/** The change form; the staff flags are editable by superusers only. */
export function changeFields(user: User, values: ChangeValues, canSetFlags: boolean): FormField[] {
  const text = (name: 'email' | 'first_name' | 'last_name', label: string, maxlength: number): FormField => ({
    name,
    label,
    kind: name === 'email' ? 'email' : 'text',
    value: values[name],
    maxlength,
    autocomplete: 'off',
  });
  return [
    {
      name: 'username',
      label: 'Username',
      kind: 'text',
      value: user.username,
      disabled: true,
      help: 'Usernames cannot be changed.',
    },
    text('email', 'Email address', 254),
    text('first_name', 'First name', NAME_MAX_LENGTH),
    text('last_name', 'Last name', NAME_MAX_LENGTH),
    {
      name: 'is_active',
      label: 'Active',
      kind: 'checkbox',
      checked: values.is_active,
      help: 'Designates whether this user should be treated as active. Unselect this instead of deleting accounts.',
    },
    {
      name: 'is_staff',
      label: 'Staff status',
      kind: 'checkbox',
      checked: values.is_staff,
      disabled: !canSetFlags,
      help: 'Designates whether the user can log into this admin site.',
    },
    {
      name: 'is_superuser',
      label: 'Superuser status',
      kind: 'checkbox',
      checked: values.is_superuser,
      disabled: !canSetFlags,
      help: 'Designates that this user has all permissions without explicitly assigning them.',
    },
    {
      name: 'last_login',
      label: 'Last login',
      kind: 'text',
      value: shownTime(user.lastLogin, 'Never'),
      disabled: true,
    },
    {
      name: 'date_joined',
      label: 'Date joined',
      kind: 'text',
      value: shownTime(user.dateJoined),
      disabled: true,
    },
  ];
}

/** Django's get_text_list: "a, b and c". */
export function textList(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/**
 * The add form's errors, by field; `exists` tells whether a username is taken (checked with the
 * other fields, as Django's form does; the database's unique index still decides a race).
 * `check(password, username)` runs the validators; as in Django's UserCreationForm, the password
 * is compared with the username only when the username itself is acceptable.
 */
export async function addFormErrors(
  username: string,
  password1: string,
  password2: string,
  exists: (username: string) => Promise<boolean>,
  check: (password: string, username: string) => readonly string[],
): Promise<FieldErrors> {
  const errors: FieldErrors = {};
  const invalid = username === '' ? [REQUIRED] : usernameErrors(username);
  if (invalid.length > 0) errors.username = invalid;
  else if (await exists(username)) errors.username = [USERNAME_TAKEN];
  const compared = errors.username === undefined ? username : '';
  return { ...errors, ...passwordFormErrors(password1, password2, (password) => check(password, compared)) };
}

/** The change form's submission; the staff flags keep `before`'s values unless `canSetFlags`. */
export function sentChangeValues(
  data: Readonly<Record<string, unknown>>,
  before: ChangeValues,
  canSetFlags: boolean,
): ChangeValues {
  return {
    email: field(data, 'email').trim(),
    first_name: field(data, 'first_name').trim(),
    last_name: field(data, 'last_name').trim(),
    is_active: checkbox(data, 'is_active'),
    // Disabled for everyone else: whatever was posted is ignored.
    is_staff: canSetFlags ? checkbox(data, 'is_staff') : before.is_staff,
    is_superuser: canSetFlags ? checkbox(data, 'is_superuser') : before.is_superuser,
  };
}

/** The change form's errors, by field (Django's EmailField and max_length checks). */
export function changeFormErrors(sent: ChangeValues): FieldErrors {
  const errors: FieldErrors = {};
  const email = emailErrors(sent.email);
  if (email.length > 0) errors.email = email;
  for (const name of ['first_name', 'last_name'] as const) {
    const length = [...sent[name]].length;
    const nul = nullCharacterErrors(sent[name]);
    if (nul.length > 0) errors[name] = nul;
    else if (length > NAME_MAX_LENGTH) {
      errors[name] = [`Ensure this value has at most ${NAME_MAX_LENGTH} characters (it has ${length}).`];
    }
  }
  return errors;
}

/** The names of the values that differ, in form order. */
export function changedValues(before: ChangeValues, after: ChangeValues): string[] {
  return (Object.keys(before) as (keyof ChangeValues)[]).filter((name) => before[name] !== after[name]);
}
