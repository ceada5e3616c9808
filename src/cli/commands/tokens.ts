// create-token (DRF's drf_create_token): print a user's token, creating or replacing it.
import type { Command } from 'commander';
import { DoesNotExist } from '../../errors.js';
import { CommandError } from '../io.js';
import { withKeygate } from '../open.js';

/** Registers `create-token` (alias `drf_create_token`). */
export function registerTokenCommands(program: Command): void {
  program
    .command('create-token')
    .alias('drf_create_token')
    .description("print a user's API token, creating it if missing (DRF's drf_create_token)")
    .argument('[username]', 'the user')
    .option('-r, --reset', 'replace the existing token with a new one', false)
    .option('--all', 'give every user that has no token one (the backfill for existing users)', false)
    .action(async (username: string | undefined, options: { reset: boolean; all: boolean }) => {
      if (options.all === (username !== undefined)) throw new CommandError('give either a username or --all');
      await withKeygate(async (keygate) => {
        if (options.all) {
          const created = await keygate.tokens.createMissing();
          process.stdout.write(
            `Created tokens for ${created.length} user(s)${created.length ? `: ${created.join(', ')}` : ''}.\n`,
          );
          return;
        }
        const user = await keygate.users.findByUsername(username!);
        if (!user) throw new CommandError(`Cannot create the Token: user ${username} does not exist`);
        const issued = options.reset
          ? await keygate.tokens.reset(user)
          : await keygate.tokens.issueForLogin(user);
        process.stdout.write(`Generated token ${issued.key} for user ${user.username}\n`);
      }).catch((error: unknown) => {
        if (error instanceof DoesNotExist)
          throw new CommandError(`Cannot create the Token: user ${username} does not exist`);
        throw error;
      });
    });
}
