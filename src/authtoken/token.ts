// The token as the rest of keygate sees it.
import type { TokenRow } from '../db/schema.js';

/** An API token. `key` is the plaintext under the DRF policy and null under `hashed`. */
export interface Token {
  /** The primary key; admin URLs and revocation name a token by it, never by its key. */
  readonly id: number;
  /** The {@link User.id} of the token's owner. */
  readonly userId: number;
  /** The secret key under the `drf` policy; null under `hashed`, where only its digest is stored. */
  readonly key: string | null;
  /** The key's first characters, safe to display so a user can tell tokens apart. */
  readonly hint: string;
  /** A label for a named token (`hashed` policy, e.g. a device); empty for DRF's one token per user. */
  readonly name: string;
  /** When the token was issued: an ISO 8601 UTC {@link Timestamp}. */
  readonly created: string;
  /** When the token stops authenticating (a {@link Timestamp}); null: it never expires. */
  readonly expiresAt: string | null;
  /** When the token last authenticated a request, recorded at most once a minute; null if never. */
  readonly lastUsedAt: string | null;
  /** The scopes the token carries (empty: none); the application decides what they allow. */
  readonly scopes: readonly string[];
}

/** Maps a row to a Token. */
export function toToken(row: Omit<TokenRow, 'digest'>): Token {
  return {
    id: Number(row.id),
    userId: Number(row.user_id),
    key: row.key,
    hint: row.hint,
    name: row.name,
    created: row.created,
    expiresAt: row.expires_at,
    lastUsedAt: row.last_used_at,
    scopes: row.scopes === '' ? [] : row.scopes.split(' '),
  };
}

/** Token columns safe to select (the digest is only ever compared, never read back). */
export const TOKEN_COLUMNS = [
  'id',
  'user_id',
  'key',
  'hint',
  'name',
  'created',
  'expires_at',
  'last_used_at',
  'scopes',
] as const;

/** {@link TOKEN_COLUMNS} of `tokens as t`, for selects that join the token's user. */
export const JOINED_TOKEN_COLUMNS = [
  't.id',
  't.user_id',
  't.key',
  't.hint',
  't.name',
  't.created',
  't.expires_at',
  't.last_used_at',
  't.scopes',
] as const;
