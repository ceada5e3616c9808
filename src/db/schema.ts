// Table types, declared once; Selectable/Insertable/Updateable views are derived from them.
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/**
 * A timestamp column. The database layer reads every timestamp as an ISO 8601 UTC string with
 * microseconds (`2026-11-27T23:29:42.748410Z`) on both dialects, and writes the same form.
 */
export type Timestamp = string;

/** Booleans come back as 0/1 from SQLite and true/false from PostgreSQL; repositories normalise. */
export type DbBoolean = ColumnType<boolean | number, boolean, boolean>;

/** Django's auth_user, column for column. */
export interface UsersTable {
  id: Generated<number>;
  username: string;
  email: ColumnType<string, string | undefined, string>;
  password: string;
  first_name: ColumnType<string, string | undefined, string>;
  last_name: ColumnType<string, string | undefined, string>;
  is_active: DbBoolean;
  is_staff: DbBoolean;
  is_superuser: DbBoolean;
  date_joined: Timestamp;
  last_login: ColumnType<Timestamp | null, Timestamp | null | undefined, Timestamp | null>;
}

/** API tokens under both policies; `digest` (SHA-256 of the key) is the only lookup column. */
export interface TokensTable {
  id: Generated<number>;
  user_id: number;
  digest: string;
  /** The plaintext key, kept only under the DRF policy; null under `hashed`. */
  key: string | null;
  /** The first characters of the key, safe to display. */
  hint: string;
  name: ColumnType<string, string | undefined, string>;
  created: Timestamp;
  expires_at: ColumnType<Timestamp | null, Timestamp | null | undefined, Timestamp | null>;
  last_used_at: ColumnType<Timestamp | null, Timestamp | null | undefined, Timestamp | null>;
  /** Space-separated scope names; empty means unrestricted. */
  scopes: ColumnType<string, string | undefined, string>;
}

/**
 * keygate's tables as Kysely sees them: those keygate's migrations create (an application adds its
 * own with `db.withTables<…>()`). Read them; write users and tokens through the services.
 */
export interface Database {
  /** Django's `auth_user`, column for column. */
  users: UsersTable;
  /** API tokens under both policies; only the key's digest is looked up. */
  tokens: TokensTable;
  /** Brute-force counters: failed password logins per scope per window. */
  login_failures: LoginFailuresTable;
  /** (username, client address) pairs that have logged in, by keyed digest only. */
  login_known_addresses: LoginKnownAddressesTable;
  /** Browser sessions, by the digest of the session key. */
  sessions: SessionsTable;
  /** The admin site's change record (Django's LogEntry). */
  admin_log: AdminLogTable;
}

export type UserRow = Selectable<UsersTable>;
export type NewUserRow = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
export type TokenRow = Selectable<TokensTable>;
export type NewTokenRow = Insertable<TokensTable>;

/** Brute-force counters: failed password logins per scope (`user:<name>`, `addr:<ip>`) per window. */
export interface LoginFailuresTable {
  scope: string;
  failures: number;
  /** When the current window started, in milliseconds since the epoch. */
  window_started: number;
}

export type LoginFailureRow = Selectable<LoginFailuresTable>;

/** (username, client address) pairs that have logged in, by keyed digest only, and when each is forgotten. */
export interface LoginKnownAddressesTable {
  digest: string;
  /** Milliseconds since the epoch. */
  expires_at: number;
}

/** Browser sessions: `id` is the SHA-256 hex digest of the session key the cookie carries. */
export interface SessionsTable {
  id: string;
  user_id: number;
  /** JSON object text. */
  data: ColumnType<string, string | undefined, string>;
  expires_at: Timestamp;
  created: Timestamp;
}

export type SessionRow = Selectable<SessionsTable>;

/** What an admin log entry records: Django's ADDITION, CHANGE and DELETION flags. */
export const ADMIN_ACTION = { added: 1, changed: 2, deleted: 3 } as const;

/** The admin site's change record (Django's LogEntry). */
export interface AdminLogTable {
  id: Generated<number>;
  action_time: Timestamp;
  /** Who made the change. */
  user_id: number;
  /** `user`, `token` or `product`. */
  content_type: string;
  object_id: string;
  /** The object's name when it was changed. */
  object_repr: string;
  action_flag: number;
  change_message: ColumnType<string, string | undefined, string>;
}

export type AdminLogRow = Selectable<AdminLogTable>;
