// ObtainAuthToken's work without its framework: request data in, the user and the key to answer with out.
import type { LoginThrottle } from '../throttle/login-throttle.js';
import type { User } from '../users/user.js';
import type { UserService } from '../users/user-service.js';
import { authenticateCredentials } from './auth-token-serializer.js';
import type { TokenService } from './token-service.js';

/**
 * The 200 bodies of the token endpoints: `token` is DRF's ObtainAuthToken (`{"token": key}`),
 * `custom` the seed's CustomAuthToken (`{"Token": key, "user_id": id, "email": email}`).
 */
export const TOKEN_RESPONSES = Object.freeze({
  token: (_user: User, key: string): Record<string, unknown> => ({ token: key }),
  custom: (user: User, key: string): Record<string, unknown> => ({
    Token: key,
    user_id: user.id,
    email: user.email,
  }),
});

/** Which of {@link TOKEN_RESPONSES} an endpoint answers with. */
export type TokenResponseKind = keyof typeof TOKEN_RESPONSES;

/** The services a login needs. */
export interface TokenLoginServices {
  readonly users: UserService;
  readonly tokens: TokenService;
  readonly throttle: LoginThrottle;
}

/** One request to a token endpoint. */
export interface TokenLogin {
  /** DRF's `request.data`: the parsed body, `{}` when there was none. */
  readonly data: unknown;
  /** The client address the brute-force limit counts. */
  readonly address: string;
  /** Told of each failed login (for the log); never given the password. */
  readonly onFailure?: (failure: { readonly username: string; readonly address: string }) => void;
}

/**
 * The POST of ObtainAuthToken: validates the credentials (ValidationError with DRF's messages),
 * checks them behind the brute-force throttle (Throttled past its limit: the password is not even
 * checked) and issues the user's key from the token service (under `drf` the user's one token,
 * under `hashed` a new one). API clients rarely keep cookies: no device cookie, the address is the
 * client.
 */
export async function obtainToken(
  services: TokenLoginServices,
  login: TokenLogin,
): Promise<{ readonly user: User; readonly key: string }> {
  const { users, tokens, throttle } = services;
  const { address } = login;
  const user = await authenticateCredentials(login.data, async (username, password) => {
    const found = await throttle.guard({ username, address }, () => users.authenticate(username, password));
    if (found === null) login.onFailure?.({ username, address });
    return found;
  });
  const issued = await tokens.issueForLogin(user);
  return { user, key: issued.key };
}
