// Getting a new password for a command: from stdin, an environment variable or a hidden prompt.
import { passwordErrors } from '../users/user-validation.js';
import { CommandError, isInteractive, promptHidden, readStdin } from './io.js';

/** Where a command takes a new password from. */
export type PasswordSource =
  | { readonly from: 'stdin' }
  | { readonly from: 'value'; readonly value: string }
  | { readonly from: 'prompt' };

function validated(password: string): string {
  const errors = passwordErrors(password);
  if (errors.length > 0) throw new CommandError(errors.join(' '));
  return password;
}

/** Gets a new password, validated; prompts (twice, hidden, up to three tries) only on a terminal. */
export async function newPassword(source: PasswordSource): Promise<string> {
  if (source.from === 'stdin') return validated(await readStdin());
  if (source.from === 'value') return validated(source.value);
  if (!isInteractive()) {
    throw new CommandError('no terminal to prompt for a password on; use --password-stdin');
  }
  for (let attempt = 0; attempt < 3; attempt++) {
    const first = await promptHidden('Password: ');
    const second = await promptHidden('Password (again): ');
    if (first !== second) {
      process.stderr.write("Error: Your passwords didn't match.\n");
      continue;
    }
    const errors = passwordErrors(first);
    if (errors.length > 0) {
      process.stderr.write(`Error: ${errors.join(' ')}\n`);
      continue;
    }
    return first;
  }
  throw new CommandError('too many failed attempts');
}
