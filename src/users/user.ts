// The user as the rest of keygate sees it: Django's auth_user without the password hash.
import type { UserRow } from '../db/schema.js';

/** A user account. The password hash never leaves the repository except for checking. */
export interface User {
  /** The primary key (Django's `auth_user.id`). */
  readonly id: number;
  /** The unique login name. */
  readonly username: string;
  /** The e-mail address; empty when none was given. */
  readonly email: string;
  /** Given name; may be empty. */
  readonly firstName: string;
  /** Family name; may be empty. */
  readonly lastName: string;
  /** An inactive user cannot authenticate by any scheme (DRF: "User inactive or deleted."). */
  readonly isActive: boolean;
  /** May use the admin site. */
  readonly isStaff: boolean;
  /** Has every permission without being granted it (Django's superuser). */
  readonly isSuperuser: boolean;
  /** When the account was created: an ISO 8601 UTC {@link Timestamp}. */
  readonly dateJoined: string;
  /** When the user last logged in with a password (a {@link Timestamp}); null if never. */
  readonly lastLogin: string | null;
}

/** The user columns as selected, with booleans as either dialect returns them. */
export type UserColumns = Omit<UserRow, 'password'>;

/** Maps a row to a User (booleans arrive as 0/1 from SQLite). */
export function toUser(row: UserColumns): User {
  return {
    id: Number(row.id),
    username: row.username,
    email: row.email,
    firstName: row.first_name,
    lastName: row.last_name,
    isActive: Boolean(row.is_active),
    isStaff: Boolean(row.is_staff),
    isSuperuser: Boolean(row.is_superuser),
    dateJoined: row.date_joined,
    lastLogin: row.last_login,
  };
}

/** Column names of a user, for selects that must not read the password. */
export const USER_COLUMNS = [
  'id',
  'username',
  'email',
  'first_name',
  'last_name',
  'is_active',
  'is_staff',
  'is_superuser',
  'date_joined',
  'last_login',
] as const;

/** A user's columns other than `id`, for queries that join `users as u` (the id comes from the join). */
export const JOINED_USER_COLUMNS = [
  'u.username',
  'u.email',
  'u.first_name',
  'u.last_name',
  'u.is_active',
  'u.is_staff',
  'u.is_superuser',
  'u.date_joined',
  'u.last_login',
] as const;
