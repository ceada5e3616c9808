// Opening the configured database for a command: SQLite migrates itself, PostgreSQL must be migrated.
import { loadConfig, loadDotEnv, type Config } from '../config/index.js';
import { pendingMigrations, migrateToLatest } from '../db/migrate.js';
import { createKeygate, type Keygate } from '../keygate.js';
import { CommandError } from './io.js';

/** Reads `.env` and the environment into a validated Config. */
export function commandConfig(): Config {
  loadDotEnv();
  return loadConfig();
}

/**
 * Opens keygate for a command. A database that migrates itself (SQLite: the embedded database is
 * the laptop's and nobody else's) has its pending migrations applied; on any other (PostgreSQL) a
 * pending migration stops the command, since migrating a shared database is an explicit operator step.
 */
export async function openForCommand(config: Config = commandConfig()): Promise<Keygate> {
  const keygate = createKeygate(config);
  try {
    if (keygate.database.migratesItself) {
      await migrateToLatest(keygate.database);
    } else {
      const pending = await pendingMigrations(keygate.database);
      if (pending.length > 0) {
        throw new CommandError(
          `the database has ${pending.length} unapplied migration(s) (${pending.join(', ')}); run \`keygate migrate\` first`,
        );
      }
    }
    return keygate;
  } catch (error) {
    await keygate.close();
    throw error;
  }
}

/** Runs `action` with an open keygate and closes it afterwards. */
export async function withKeygate<T>(action: (keygate: Keygate) => Promise<T>): Promise<T> {
  const keygate = await openForCommand();
  try {
    return await action(keygate);
  } finally {
    await keygate.close();
  }
}
