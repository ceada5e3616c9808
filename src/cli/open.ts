// Opening the configured database for a command: SQLite migrates itself, PostgreSQL must be migrated.
import { loadConfig, loadDotEnv, type Config } from '../config/index.js';
import { pendingMigrations } from '../db/migrate.js';
import { createKeygate, type Keygate } from '../keygate.js';
import { loadProjectConfig, type LoadedProjectConfig } from '../project/load-project-config.js';
import { CommandError } from './io.js';

let configFile: string | undefined;
/** A deliberate per-process cache: the project's configuration is imported once. */
let projectCache: Promise<LoadedProjectConfig> | undefined;

/** Sets `--config PATH` (the program's global option) before a command runs. */
export function useConfigFile(path: string | undefined): void {
  configFile = path;
  projectCache = undefined;
}

/** The project's keygate.config in the working directory (or `--config`), read once. */
export function projectConfig(): Promise<LoadedProjectConfig> {
  projectCache ??= loadProjectConfig(process.cwd(), configFile);
  return projectCache;
}

/** Reads `.env`, the project's configuration and the environment into a validated Config. */
export async function commandConfig(): Promise<Config> {
  loadDotEnv();
  const { config } = await projectConfig();
  return loadConfig(process.env, config.settings);
}

/** keygate on the configured database, knowing the project's migrations; nothing is migrated. */
export async function createForCommand(config?: Config): Promise<Keygate> {
  const { migrations } = (await projectConfig()).config;
  return createKeygate(config ?? (await commandConfig()), undefined, migrations);
}

/**
 * Opens keygate for a command. A database that migrates itself (SQLite: the embedded database is
 * the laptop's and nobody else's) has its pending migrations, keygate's and the project's, applied;
 * on any other (PostgreSQL) a pending migration stops the command, since migrating a shared
 * database is an explicit operator step.
 */
export async function openForCommand(config?: Config): Promise<Keygate> {
  const keygate = await createForCommand(config);
  try {
    if (keygate.database.migratesItself) {
      await keygate.migrate();
    } else {
      const pending = await pendingMigrations(keygate.database, keygate.migrations);
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
