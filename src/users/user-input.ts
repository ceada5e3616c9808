// What callers give the user service: a new account, and the fields an administrator edits.
import type { PreparedPassword } from './passwords.js';

/**
 * What it takes to create a user; a null password makes it unusable (no password login). A
 * prepared password was validated when it was prepared.
 */
export interface NewUser {
  /** The unique login name. */
  readonly username: string;
  /** Default: empty. */
  readonly email?: string;
  /**
   * The plaintext password (checked by the configured validators, then hashed), one returned by
   * {@link UserService.preparePassword}, or null for an unusable password.
   */
  readonly password: string | PreparedPassword | null;
  /** Default: empty. */
  readonly firstName?: string;
  /** Default: empty. */
  readonly lastName?: string;
  /** Default: true. */
  readonly isActive?: boolean;
  /** May use the admin site; default: false. */
  readonly isStaff?: boolean;
  /** Default: false. */
  readonly isSuperuser?: boolean;
  /**
   * Store the password even if the validators refuse it: only for an operator who has seen the
   * messages and confirmed (createsuperuser's "Bypass password validation" question).
   */
  readonly skipPasswordValidation?: boolean;
}

/** The account fields an administrator edits (Django's UserChangeForm without the password). */
export interface UserDetails {
  /** The new e-mail address; left out: unchanged (as is every field here). */
  readonly email?: string;
  /** The new given name. */
  readonly firstName?: string;
  /** The new family name. */
  readonly lastName?: string;
  /** Deactivating a user stops their tokens and sessions from authenticating at once. */
  readonly isActive?: boolean;
  /** Whether the user may use the admin site. */
  readonly isStaff?: boolean;
  /** Whether the user has every permission without being granted it. */
  readonly isSuperuser?: boolean;
}
