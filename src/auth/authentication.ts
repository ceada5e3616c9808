// Who is making the request: DRF's authentication contract and its TokenAuthentication.
import type { FastifyRequest } from 'fastify';
import type { Token } from '../authtoken/token.js';
import type { TokenService } from '../authtoken/token-service.js';
import { AuthenticationFailed } from '../errors.js';
import type { User } from '../users/user.js';

/** A successful authentication: DRF's `(request.user, request.auth)`. */
export interface Authenticated {
  /** The authenticated user (`request.user`). */
  readonly user: User;
  /** The token that authenticated the request (`request.auth`); null for a session or Basic login. */
  readonly auth: Token | null;
}

/**
 * DRF's BaseAuthentication. `authenticate` returns null for "not my scheme" (the next class is
 * tried) and throws AuthenticationFailed for credentials of its scheme that are wrong.
 */
export interface Authenticator {
  /**
   * The user and credentials of `request`; null when the request does not use this scheme; throws
   * {@link AuthenticationFailed} when it does and the credentials are wrong.
   */
  authenticate(request: FastifyRequest): Promise<Authenticated | null>;
  /** The WWW-Authenticate value for a 401; undefined makes authentication failures 403s. */
  authenticateHeader(): string | undefined;
}

// Python's bytes.split() separators: the header is split on ASCII whitespace only.
const ASCII_WHITESPACE = /[ \t\n\r\v\f]+/;
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });
const PRINTABLE_ASCII = /^[\x21-\x7e]+$/;

/**
 * DRF's `get_authorization_header(request).split()` and its keyword test: the header's parts when
 * the first is `keyword` (ASCII letters compared case-insensitively, as `bytes.lower()` does), else
 * null (no header, an empty one, another scheme).
 */
export function authorizationParts(header: string | undefined, keyword: string): string[] | null {
  if (header === undefined) return null;
  const parts = header.split(ASCII_WHITESPACE).filter((p) => p.length > 0);
  const scheme = parts[0];
  if (scheme === undefined || scheme.replace(/[A-Z]/g, (c) => c.toLowerCase()) !== keyword.toLowerCase()) {
    return null;
  }
  return parts;
}

/**
 * Parses an Authorization header exactly as DRF's TokenAuthentication: null when it is not a
 * `Token` header (missing, empty, another scheme, `Token<key>` glued), the key when it is one,
 * AuthenticationFailed with DRF's message when it is a malformed `Token` header.
 */
export function parseTokenHeader(header: string | undefined, keyword = 'Token'): string | null {
  if (header === undefined) return null;
  // The common case, `<keyword> <key>` with a key of printable ASCII: what the general path gives.
  if (
    header.length > keyword.length + 1 &&
    header.charCodeAt(keyword.length) === 0x20 &&
    header.startsWith(keyword) &&
    PRINTABLE_ASCII.test(header.slice(keyword.length + 1))
  ) {
    return header.slice(keyword.length + 1);
  }
  const parts = authorizationParts(header, keyword);
  if (parts === null) return null;
  if (parts.length === 1) throw new AuthenticationFailed('Invalid token header. No credentials provided.');
  if (parts.length > 2) {
    throw new AuthenticationFailed('Invalid token header. Token string should not contain spaces.');
  }
  try {
    // Node decodes header bytes as latin1, so this recovers the bytes the client sent.
    return STRICT_UTF8.decode(Buffer.from(parts[1]!, 'latin1'));
  } catch {
    throw new AuthenticationFailed(
      'Invalid token header. Token string should not contain invalid characters.',
    );
  }
}

/**
 * DRF's TokenAuthentication.authenticate on an `Authorization` header value: the user and token of
 * a valid `<keyword> <key>`, null when the header is not of that scheme, AuthenticationFailed
 * otherwise. The Fastify class, `keygate.authenticate` and the Express middleware all use it.
 */
export async function authenticateTokenHeader(
  tokens: Pick<TokenService, 'authenticate'>,
  header: string | undefined,
  keyword = 'Token',
): Promise<Authenticated | null> {
  const key = parseTokenHeader(header, keyword);
  if (key === null) return null;
  const { user, token } = await tokens.authenticate(key);
  return { user, auth: token };
}

/**
 * DRF's TokenAuthentication: `Authorization: Token <key>`, with DRF's exact failure messages. The
 * plugin uses it by default; construct one to list it in an {@link AccessPolicy} of your own.
 *
 * @example
 * // A route that also accepts `Authorization: Bearer <key>`:
 * const bearer = new TokenAuthentication(keygate.tokens, 'Bearer');
 * app.get('/me', { preHandler: app.authenticate({ authentication: [bearer] }) }, (request) => request.user);
 */
export class TokenAuthentication implements Authenticator {
  constructor(
    /** The token service keys are looked up in ({@link Keygate.tokens}). */
    readonly tokens: TokenService,
    /** The header's scheme word, compared case-insensitively (DRF's `keyword`); `Bearer` is a common choice. */
    readonly keyword = 'Token',
  ) {}

  /** The user and token of a valid `<keyword> <key>` header; null for no header or another scheme. */
  authenticate(request: FastifyRequest): Promise<Authenticated | null> {
    return authenticateTokenHeader(this.tokens, request.headers.authorization, this.keyword);
  }

  authenticateHeader(): string {
    return this.keyword;
  }
}
