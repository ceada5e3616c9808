// The two token policies (TOKEN_POLICY), each one object: chosen once, asked, never named again.
import type { Config } from '../config.js';
import type { Token } from './token.js';
import { generateDrfKey, generateHashedKey } from './token-format.js';

/**
 * What a token policy decides: how keys look, what a row keeps of them, what login hands out and
 * whether an existing key can be shown again. Services and the admin receive one and ask it;
 * nothing after the configuration compares a policy's name.
 */
export interface TokenPolicy {
  /** The TOKEN_POLICY value naming it, for messages only. */
  readonly name: string;
  /** A new random key in this policy's format. */
  generateKey(): string;
  /** The plaintext a new token's row keeps besides digest and hint: the key itself, or null. */
  storedKey(key: string): string | null;
  /**
   * The key of an existing token that may be shown again (what a repeated login returns, what
   * the admin's token page displays); null when the key was shown once, when it was issued.
   */
  shownKey(token: Token): string | null;
  /**
   * One token per user: every login hands out the same one (DRF's get_or_create), a reset replaces
   * it and the admin refuses a second. Otherwise every login and every add issues a new token.
   */
  readonly oneTokenPerUser: boolean;
  /** Tokens carry a name, an expiry and scopes, which the admin asks for and shows. */
  readonly namedTokens: boolean;
  /**
   * A token may be created unasked, with each new user (AUTO_CREATE_TOKEN): only where its key
   * can be shown later, since nobody sees it when it is created.
   */
  readonly createsTokenWithUser: boolean;
}

/** DRF's policy: one 40-hex key per user, kept in plaintext (as DRF's authtoken_token) and shown again. */
export const drfPolicy: TokenPolicy = Object.freeze({
  name: 'drf',
  generateKey: generateDrfKey,
  storedKey: (key: string) => key,
  shownKey: (token: Token) => token.key,
  oneTokenPerUser: true,
  namedTokens: false,
  createsTokenWithUser: true,
});

/**
 * The hashed policy: named `kg_` keys per device, of which only a SHA-256 digest and a hint are
 * kept; a key is shown once, when it is issued.
 */
export const hashedPolicy: TokenPolicy = Object.freeze({
  name: 'hashed',
  generateKey: generateHashedKey,
  storedKey: () => null,
  shownKey: () => null,
  oneTokenPerUser: false,
  namedTokens: true,
  createsTokenWithUser: false,
});

/** The policy a TOKEN_POLICY value names. */
export function tokenPolicy(name: Config['tokenPolicy']): TokenPolicy {
  switch (name) {
    case 'drf':
      return drfPolicy;
    case 'hashed':
      return hashedPolicy;
  }
}
