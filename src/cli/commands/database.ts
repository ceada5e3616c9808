// migrate and showmigrations.
import type { Command } from 'commander';
import { listMigrations, MigrationError } from '../../db/migrate.js';
import { CommandError } from '../io.js';
import { createForCommand } from '../open.js';

/** Registers the migration commands. */
export function registerDatabaseCommands(program: Command): void {
  program
    .command('migrate')
    .description("apply every pending database migration: keygate's, then the project's (app:)")
    .action(async () => {
      const keygate = await createForCommand();
      try {
        const applied = await keygate.migrate();
        if (applied.length === 0) process.stdout.write('No migrations to apply.\n');
        for (const name of applied) process.stdout.write(`Applying ${name}... OK\n`);
      } catch (error) {
        if (error instanceof MigrationError) throw new CommandError(error.message);
        throw error;
      } finally {
        await keygate.close();
      }
    });

  program
    .command('showmigrations')
    .description('list migrations, [X] when applied')
    .action(async () => {
      const keygate = await createForCommand();
      try {
        for (const migration of await listMigrations(keygate.database, keygate.migrations)) {
          process.stdout.write(`[${migration.executedAt ? 'X' : ' '}] ${migration.name}\n`);
        }
      } finally {
        await keygate.close();
      }
    });
}
