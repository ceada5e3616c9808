// DRF's BasicAuthentication: `Authorization: Basic base64(username:password)`, a password login.
import type { FastifyRequest } from 'fastify';
import { AuthenticationFailed } from '../errors.js';
import type { LoginThrottle } from '../throttle/login-throttle.js';
import { checkDummyPassword } from '../users/passwords.js';
import type { UserService } from '../users/user-service.js';
import { authorizationParts, type Authenticated, type Authenticator } from './authentication.js';
import { pythonB64decode } from './python-base64.js';

/** A username and password as a Basic header carried them (not trimmed, as DRF takes them). */
export interface BasicCredentials {
  readonly username: string;
  readonly password: string;
}

// Python's 'utf-8' codec: strict, and a byte order mark is a character like any other.
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const LATIN1 = new TextDecoder('latin1');

/** The one answer for credentials that do not log anyone in (unknown user, wrong password, inactive). */
export const INVALID_BASIC_CREDENTIALS = 'Invalid username/password.';

/**
 * Parses an Authorization header exactly as DRF's `BasicAuthentication.authenticate`: null when it
 * is not a `Basic` header; AuthenticationFailed with DRF's message when it is a malformed one;
 * otherwise the credentials: `base64.b64decode` (lenient, see pythonB64decode), decoded as UTF-8 or
 * else latin-1 (which cannot fail), split at the first `:` (no colon: an empty password).
 */
export function parseBasicHeader(header: string | undefined): BasicCredentials | null {
  const parts = authorizationParts(header, 'basic');
  if (parts === null) return null;
  if (parts.length === 1) throw new AuthenticationFailed('Invalid basic header. No credentials provided.');
  if (parts.length > 2) {
    throw new AuthenticationFailed('Invalid basic header. Credentials string should not contain spaces.');
  }
  // Node decodes header bytes as latin1, so this recovers the bytes the client sent.
  const bytes = pythonB64decode(Buffer.from(parts[1]!, 'latin1'));
  if (bytes === null) {
    throw new AuthenticationFailed('Invalid basic header. Credentials not correctly base64 encoded.');
  }
  let text: string;
  try {
    text = STRICT_UTF8.decode(bytes);
  } catch {
    text = LATIN1.decode(bytes);
  }
  const colon = text.indexOf(':');
  return colon === -1
    ? { username: text, password: '' }
    : { username: text.slice(0, colon), password: text.slice(colon + 1) };
}

/**
 * DRF's BasicAuthentication. Every header it recognises checks a password, so it is a password
 * login like `/gettoken/`'s: it goes through the same brute-force limits (`throttle.guard`, per
 * username and client address, no device cookie: API clients keep none), which refuse it with a
 * 429 past them before any hashing, and each failure is logged (username and address, never the
 * password). `users.authenticate` is Django's ModelBackend, which refuses inactive users itself:
 * as on DRF with that backend, they get "Invalid username/password.", never the "User inactive or
 * deleted." that `authenticate_credentials` keeps for other backends.
 */
export class BasicAuthentication implements Authenticator {
  constructor(
    /** Checks the username and password ({@link Keygate.users}). */
    readonly users: Pick<UserService, 'authenticate'>,
    /** The brute-force limits every password login goes through ({@link Keygate.throttle}). */
    readonly throttle: Pick<LoginThrottle, 'guard'>,
    /** The realm named in the `WWW-Authenticate` challenge. */
    readonly realm = 'api',
  ) {}

  /**
   * The user of a valid `Authorization: Basic` header (`auth` is null); null for no header or
   * another scheme; throws {@link AuthenticationFailed} for wrong credentials and {@link Throttled}
   * past the login limits.
   */
  async authenticate(request: FastifyRequest): Promise<Authenticated | null> {
    const credentials = parseBasicHeader(request.headers.authorization);
    if (credentials === null) return null;
    const { username, password } = credentials;
    const address = request.ip;
    const user = await this.throttle.guard({ username, address }, () => this.#check(username, password));
    if (user === null) {
      request.log.warn({ username, address }, 'failed basic authentication');
      throw new AuthenticationFailed(INVALID_BASIC_CREDENTIALS);
    }
    return { user, auth: null };
  }

  /** `Basic realm="api"`: DRF's challenge, sent when this class is a view's first. */
  authenticateHeader(): string {
    return `Basic realm="${this.realm}"`;
  }

  async #check(username: string, password: string) {
    // No username holds a NUL (the validators refuse it) and PostgreSQL refuses one in a query
    // (DRF answers 500 there): an unknown user, at the same cost in time.
    if (username.includes('\0')) {
      await checkDummyPassword(password);
      return null;
    }
    return this.users.authenticate(username, password);
  }
}
