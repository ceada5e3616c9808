// migrate and showmigrations.
import type { Command } from 'commander';
import { listMigrations, migrateToLatest, MigrationError } from '../../db/migrate.js';
import { createKeygate } from '../../keygate.js';
import { CommandError } from '../io.js';
import { commandConfig } from '../open.js';

/** Registers the migration commands. */
export function registerDatabaseCommands(program: Command): void {
  program
    .command('migrate')
    .description('apply every pending database migration')
    .action(async () => {
      const keygate = createKeygate(commandConfig());
      try {
        const applied = await migrateToLatest(keygate.database);
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
      const keygate = createKeygate(commandConfig());
      try {
        for (const migration of await listMigrations(keygate.database)) {
          process.stdout.write(`[${migration.executedAt ? 'X' : ' '}] ${migration.name}\n`);
        }
      } finally {
        await keygate.close();
      }
    });
}
