// The token endpoints' contract as TypeBox schemas (the OpenAPI document's): credentials in, a key out.
import { Type } from 'typebox';
import { validationErrorSchema } from '../http/error-schemas.js';

/** Neither NUL (ProhibitNullCharactersValidator) nor a lone surrogate (ProhibitSurrogateCharactersValidator). */
const ALLOWED = '[^\\u0000\\uD800-\\uDFFF]';
/** Python's `str.isspace()` characters, what CharField's trimming removes. */
const PYTHON_WHITESPACE =
  '\\t-\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';

/**
 * AuthTokenSerializer's fields: two CharFields, both required and never blank; the username is
 * trimmed (so it needs a character that is not whitespace), the password is not.
 */
export const AuthTokenRequestSchema = Type.Object(
  {
    username: Type.String({
      pattern: `^${ALLOWED}*[^${PYTHON_WHITESPACE}\\u0000\\uD800-\\uDFFF]${ALLOWED}*$`,
      description: 'Case-sensitive; surrounding whitespace is ignored.',
      examples: ['alice'],
    }),
    password: Type.String({
      pattern: `^${ALLOWED}+$`,
      format: 'password',
      description: 'Taken as sent, spaces included.',
    }),
  },
  {
    $id: 'AuthTokenRequest',
    description: 'The credentials of an active user. Other keys are ignored.',
  },
);

/** `POST /gettoken/`'s answer (DRF's obtain_auth_token). */
export const AuthTokenSchema = Type.Object(
  {
    token: Type.String({
      description: "The user's key: send it as `Authorization: Token <key>`.",
      examples: ['9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b'],
    }),
  },
  { $id: 'AuthToken', additionalProperties: false },
);

/** `POST /customtoken/`'s answer (the seed's CustomAuthToken). */
export const CustomAuthTokenSchema = Type.Object(
  {
    Token: Type.String({
      description: "The user's key: send it as `Authorization: Token <key>`.",
      examples: ['9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b'],
    }),
    user_id: Type.Integer({ minimum: 1, examples: [2] }),
    email: Type.String({ description: 'Empty when the user has none.', examples: ['alice@example.com'] }),
  },
  { $id: 'CustomAuthToken', additionalProperties: false },
);

/**
 * The 400 of the token endpoints: messages per field, or `non_field_errors` (credentials that log
 * nobody in, a body that is not an object).
 */
export const AuthTokenValidationErrorSchema = validationErrorSchema('AuthTokenValidationError', [
  'username',
  'password',
]);
