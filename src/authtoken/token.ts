// The token as the rest of keygate sees it.
import type { TokenRow } from '../db/schema.js';

/** An API token. `key` is the plaintext under the DRF policy and null under `hashed`. */
export interface Token {
  readonly id: number;
  readonly userId: number;
  readonly key: string | null;
  readonly hint: string;
  readonly name: string;
  readonly created: string;
  readonly expiresAt: string | null;
  readonly lastUsedAt: string | null;
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
