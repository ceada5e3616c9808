// Django's four default password validators (django.contrib.auth.password_validation, Django 5.2),
// with Django's messages and help texts, and validate_password's way of running them all.
import { codePointLength, isDigits, lower, splitOnNonWord, strip } from '../fields/python-text.js';
import { commonPasswords, DJANGO_COMMON_PASSWORDS } from './common-passwords.js';
import { quickRatio } from './quick-ratio.js';

/** The account fields a password is compared with; missing or empty ones are skipped. */
export interface PasswordUser {
  readonly username?: string;
  readonly firstName?: string;
  readonly lastName?: string;
  readonly email?: string;
}

/** One rule a new password must pass (Django's validator protocol). */
export interface PasswordValidator {
  /** Django's message when `password` (for `user`, when known) fails the rule; null when it passes. */
  validate(password: string, user?: PasswordUser): string | null;
  /** What the rule asks for, shown beside the password field. */
  readonly helpText: string;
}

/** A validator as a setting names it (PASSWORD_VALIDATORS); see {@link createPasswordValidators}. */
export type PasswordValidatorSpec =
  | { readonly name: 'UserAttributeSimilarity'; readonly maxSimilarity: number }
  | { readonly name: 'MinimumLength'; readonly minLength: number }
  | { readonly name: 'Common' }
  | { readonly name: 'Numeric' };

/** The user attributes Django compares with by default, with their verbose names. */
const ATTRIBUTES = {
  username: 'username',
  firstName: 'first name',
  lastName: 'last name',
  email: 'email address',
} as const satisfies Record<keyof PasswordUser, string>;

/** Options of {@link userAttributeSimilarityValidator}, with Django's defaults. */
export interface SimilarityOptions {
  /** The attributes compared, in order (default: username, first name, last name, e-mail). */
  readonly userAttributes?: readonly (keyof PasswordUser)[];
  /** Refused from this quick_ratio up, 0.1 to 1 (default 0.7). */
  readonly maxSimilarity?: number;
}

/**
 * Django's test that `value` is so much shorter than the password that quick_ratio cannot reach
 * `maxSimilarity` (it is at most 2 * value / password long), so the comparison is skipped.
 */
function exceedsMaximumLengthRatio(password: string, maxSimilarity: number, value: string): boolean {
  const passwordLength = codePointLength(password);
  const lengthBoundSimilarity = (maxSimilarity / 2) * passwordLength;
  const valueLength = codePointLength(value);
  return passwordLength >= 10 * valueLength && valueLength < lengthBoundSimilarity;
}

/**
 * UserAttributeSimilarityValidator: refuses a password as similar (quick_ratio, lowercased) to an
 * attribute of the user or to any of its parts split on non-word characters — the full e-mail
 * address, its local part and each piece of its domain. Throws RangeError under 0.1, as Django.
 */
export function userAttributeSimilarityValidator(options: SimilarityOptions = {}): PasswordValidator {
  const userAttributes = options.userAttributes ?? (Object.keys(ATTRIBUTES) as (keyof PasswordUser)[]);
  const maxSimilarity = options.maxSimilarity ?? 0.7;
  if (maxSimilarity < 0.1) throw new RangeError('max_similarity must be at least 0.1');
  return {
    validate(password, user) {
      if (user === undefined) return null;
      const lowered = lower(password);
      for (const attribute of userAttributes) {
        const value = user[attribute];
        if (value === undefined || value === '') continue;
        const valueLower = lower(value);
        for (const part of [...splitOnNonWord(valueLower), valueLower]) {
          if (exceedsMaximumLengthRatio(lowered, maxSimilarity, part)) continue;
          if (quickRatio(lowered, part) >= maxSimilarity) {
            return `The password is too similar to the ${ATTRIBUTES[attribute]}.`;
          }
        }
      }
      return null;
    },
    helpText: 'Your password can’t be too similar to your other personal information.',
  };
}

/** MinimumLengthValidator: at least `minLength` characters (code points; default 8). */
export function minimumLengthValidator(options: { readonly minLength?: number } = {}): PasswordValidator {
  const minLength = options.minLength ?? 8;
  // Django's ngettext: "character" for exactly one, "characters" otherwise.
  const characters = minLength === 1 ? 'character' : 'characters';
  return {
    validate: (password) =>
      codePointLength(password) < minLength
        ? `This password is too short. It must contain at least ${minLength} ${characters}.`
        : null,
    helpText: `Your password must contain at least ${minLength} ${characters}.`,
  };
}

/**
 * CommonPasswordValidator: refuses a password that, lowercased and stripped, is in the list
 * (default: Django's, read from disk the first time a password is checked).
 */
export function commonPasswordValidator(options: { readonly file?: string } = {}): PasswordValidator {
  const file = options.file ?? DJANGO_COMMON_PASSWORDS;
  return {
    validate: (password) =>
      commonPasswords(file).has(strip(lower(password))) ? 'This password is too common.' : null,
    helpText: 'Your password can’t be a commonly used password.',
  };
}

/** NumericPasswordValidator: refuses a password made only of digits (Python's str.isdigit). */
export function numericPasswordValidator(): PasswordValidator {
  return {
    validate: (password) => (isDigits(password) ? 'This password is entirely numeric.' : null),
    helpText: 'Your password can’t be entirely numeric.',
  };
}

/** Builds the validators a setting names, in its order. */
export function createPasswordValidators(specs: readonly PasswordValidatorSpec[]): PasswordValidator[] {
  return specs.map((spec) => {
    switch (spec.name) {
      case 'UserAttributeSimilarity':
        return userAttributeSimilarityValidator({ maxSimilarity: spec.maxSimilarity });
      case 'MinimumLength':
        return minimumLengthValidator({ minLength: spec.minLength });
      case 'Common':
        return commonPasswordValidator();
      case 'Numeric':
        return numericPasswordValidator();
    }
  });
}

/**
 * Django's validate_password: runs every validator, in order, and returns all their messages
 * (empty when the password is acceptable).
 */
export function validatePassword(
  password: string,
  user: PasswordUser | undefined,
  validators: readonly PasswordValidator[],
): string[] {
  const messages: string[] = [];
  for (const validator of validators) {
    const message = validator.validate(password, user);
    if (message !== null) messages.push(message);
  }
  return messages;
}

/** Django's password_validators_help_texts: each validator's help text, in order. */
export function passwordHelpTexts(validators: readonly PasswordValidator[]): string[] {
  return validators.map((validator) => validator.helpText);
}
