// Django's AuthenticationForm fields: a username (trimmed) and a password (as typed), both required.

/** The submitted login form. */
export interface LoginInput {
  readonly username: string;
  readonly password: string;
}

/** Field errors, shown beside each field. */
export type LoginErrors = Partial<Record<keyof LoginInput, string>>;

/** Django's message when both fields are filled in but do not match an active account. */
export const INVALID_LOGIN =
  'Please enter a correct username and password. Note that both fields may be case-sensitive.';

const REQUIRED = 'This field is required.';
// Django's CharField validator (ProhibitNullCharactersValidator): no database stores a NUL in text.
const NULL_CHARACTERS = 'Null characters are not allowed.';

function field(data: Readonly<Record<string, unknown>>, name: string): string {
  const value = data[name];
  return typeof value === 'string' ? value : '';
}

/** Reads and checks the form: the input, or the errors per field. */
export function readLoginForm(data: Readonly<Record<string, unknown>>): {
  readonly input: LoginInput;
  readonly errors: LoginErrors;
} {
  const input = { username: field(data, 'username').trim(), password: field(data, 'password') };
  const errors: LoginErrors = {};
  for (const name of ['username', 'password'] as const) {
    if (input[name] === '') errors[name] = REQUIRED;
    else if (input[name].includes('\0')) errors[name] = NULL_CHARACTERS;
  }
  return { input, errors };
}
