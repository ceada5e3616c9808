// Getting a new password for a command: from stdin, an environment variable or a hidden prompt,
// checked by the configured validators (Django's createsuperuser and changepassword prompts).
import { strip } from '../fields/python-text.js';
import { CommandError, isInteractive, prompt, promptHidden, readStdin } from './io.js';

/** Where a command takes a new password from. */
export type PasswordSource =
  | { readonly from: 'stdin' }
  | { readonly from: 'value'; readonly value: string }
  | { readonly from: 'prompt' };

/** The validators' messages for a password (empty when acceptable). */
export type PasswordCheck = (password: string) => readonly string[];

/** A password a command may set. */
export interface NewPassword {
  readonly password: string;
  /** The validators refused it and the operator chose to keep it (createsuperuser only). */
  readonly bypassed: boolean;
}

/** How {@link newPassword} asks. */
export interface PasswordPromptOptions {
  /** Offer Django's "Bypass password validation and create user anyway? [y/N]" (createsuperuser). */
  readonly mayBypass?: boolean;
}

const ATTEMPTS = 3;

function validated(password: string, check: PasswordCheck): NewPassword {
  const errors = check(password);
  if (errors.length > 0) throw new CommandError(errors.join(' '));
  return { password, bypassed: false };
}

/**
 * Gets a new password that `check` accepts. Without a terminal a refused password fails the
 * command with the messages on one line; on a terminal it is asked twice, hidden, up to three
 * times, the messages shown one a line as Django shows them.
 */
export async function newPassword(
  source: PasswordSource,
  check: PasswordCheck,
  options: PasswordPromptOptions = {},
): Promise<NewPassword> {
  if (source.from === 'stdin') return validated(await readStdin(), check);
  if (source.from === 'value') return validated(source.value, check);
  if (!isInteractive()) {
    throw new CommandError('no terminal to prompt for a password on; use --password-stdin');
  }
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const first = await promptHidden('Password: ');
    const second = await promptHidden('Password (again): ');
    if (first !== second) {
      process.stderr.write("Error: Your passwords didn't match.\n");
      continue;
    }
    if (strip(first) === '') {
      process.stderr.write("Error: Blank passwords aren't allowed.\n");
      continue;
    }
    const errors = check(first);
    if (errors.length === 0) return { password: first, bypassed: false };
    process.stderr.write(`${errors.join('\n')}\n`);
    if (options.mayBypass === true) {
      const answer = await prompt('Bypass password validation and create user anyway? [y/N]: ');
      if (answer.toLowerCase() === 'y') return { password: first, bypassed: true };
    }
  }
  throw new CommandError('too many failed attempts');
}
