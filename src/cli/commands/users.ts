// User commands: createsuperuser, createuser, changepassword, activate, deactivate.
import type { Command } from 'commander';
import { ValidationError } from '../../errors.js';
import { CommandError, isInteractive, prompt } from '../io.js';
import { withKeygate } from '../open.js';
import { newPassword, type PasswordSource } from '../password-input.js';
import type { NewUser } from '../../users/user-input.js';
import type { Keygate } from '../../keygate.js';

/** The variable `createsuperuser --no-input` reads the password from (Django's DJANGO_SUPERUSER_PASSWORD). */
export const SUPERUSER_PASSWORD_VARIABLE = 'KEYGATE_SUPERUSER_PASSWORD';

function validationMessage(error: ValidationError): string {
  return Object.entries(error.fields)
    .map(([field, messages]) => `${field}: ${messages.join(' ')}`)
    .join('; ');
}

async function create(keygate: Keygate, input: NewUser): Promise<void> {
  try {
    const user = await keygate.users.createUser(input);
    process.stdout.write(
      `${user.isSuperuser ? 'Superuser' : 'User'} ${user.username} created successfully.\n`,
    );
  } catch (error) {
    if (error instanceof ValidationError) throw new CommandError(validationMessage(error));
    throw error;
  }
}

function required(value: string | undefined, option: string): string {
  if (value === undefined || value.trim() === '')
    throw new CommandError(`${option} is required with --no-input`);
  return value.trim();
}

/** Registers the user commands on the program. */
export function registerUserCommands(program: Command): void {
  program
    .command('createsuperuser')
    .description('create a staff superuser (prompts, or --no-input with KEYGATE_SUPERUSER_PASSWORD)')
    .option('--username <username>', 'the username')
    .option('--email <email>', 'the e-mail address', '')
    .option('--no-input', `do not prompt; the password comes from ${SUPERUSER_PASSWORD_VARIABLE}`)
    .action(async (options: { username?: string; email: string; input: boolean }) => {
      let username = options.username;
      let email = options.email;
      let source: PasswordSource;
      if (!options.input) {
        username = required(username, '--username');
        const value = process.env[SUPERUSER_PASSWORD_VARIABLE];
        if (value === undefined || value === '') {
          throw new CommandError(`${SUPERUSER_PASSWORD_VARIABLE} must hold the password with --no-input`);
        }
        source = { from: 'value', value };
      } else {
        if (!isInteractive()) throw new CommandError('no terminal to prompt on; use --no-input');
        username ??= (await prompt('Username: ')).trim();
        if (options.email === '') email = (await prompt('Email address: ')).trim();
        source = { from: 'prompt' };
      }
      const account = { username, email };
      await withKeygate(async (keygate) => {
        const check = (password: string) => keygate.users.passwordErrors(password, account);
        const { password, bypassed } = await newPassword(source, check, { mayBypass: true });
        await create(keygate, {
          ...account,
          password,
          isStaff: true,
          isSuperuser: true,
          skipPasswordValidation: bypassed,
        });
      });
    });

  program
    .command('createuser')
    .description('create a user (no usable password unless --password-stdin or a terminal prompt)')
    .argument('<username>', 'the username (case-sensitive)')
    .option('--email <email>', 'the e-mail address', '')
    .option('--staff', 'may use the admin site', false)
    .option('--superuser', 'has every permission (implies --staff)', false)
    .option('--inactive', 'create the account deactivated', false)
    .option('--password-stdin', 'read the password from standard input', false)
    .option('--no-password', 'give the user no usable password (token-only)')
    .action(
      async (
        username: string,
        options: {
          email: string;
          staff: boolean;
          superuser: boolean;
          inactive: boolean;
          passwordStdin: boolean;
          password: boolean;
        },
      ) => {
        const email = options.email.trim();
        await withKeygate(async (keygate) => {
          const check = (password: string) => keygate.users.passwordErrors(password, { username, email });
          let password: string | null = null;
          if (options.passwordStdin) password = (await newPassword({ from: 'stdin' }, check)).password;
          else if (options.password && isInteractive()) {
            password = (await newPassword({ from: 'prompt' }, check)).password;
          }
          await create(keygate, {
            username,
            email,
            password,
            isStaff: options.staff || options.superuser,
            isSuperuser: options.superuser,
            isActive: !options.inactive,
          });
        });
      },
    );

  program
    .command('changepassword')
    .description("change a user's password")
    .argument('<username>', 'the username')
    .option('--password-stdin', 'read the new password from standard input', false)
    .action(async (username: string, options: { passwordStdin: boolean }) => {
      await withKeygate(async (keygate) => {
        const user = await keygate.users.requireUser(username);
        const { password } = await newPassword(
          options.passwordStdin ? { from: 'stdin' } : { from: 'prompt' },
          (candidate) => keygate.users.passwordErrors(candidate, user),
        );
        await keygate.users.changePassword(user, password);
        process.stdout.write(`Password changed successfully for user '${username}'\n`);
      });
    });

  for (const [name, active] of [
    ['activate', true],
    ['deactivate', false],
  ] as const) {
    program
      .command(name)
      .description(
        active ? 'let a user log in and use its tokens again' : "stop a user's logins and tokens at once",
      )
      .argument('<username>', 'the username')
      .action(async (username: string) => {
        await withKeygate(async (keygate) => {
          await keygate.users.setActive(username, active);
          process.stdout.write(`User ${username} ${active ? 'activated' : 'deactivated'}.\n`);
        });
      });
  }
}
