// Schema migrations through Kysely's Migrator, from a fixed, ordered list compiled into keygate.
import { Migrator, type Migration, type MigrationInfo, type MigrationResultSet } from 'kysely';
import type { KeygateDatabase } from './keygate-database.js';
import type { DialectMigration } from './migrations/column-types.js';
import { initial } from './migrations/0001-initial.js';
import { loginFailures } from './migrations/0002-login-failures.js';
import { sessions } from './migrations/0003-sessions.js';
import { adminLog } from './migrations/0004-admin-log.js';
import { productCount } from './migrations/0005-product-count.js';
import { usernamePrefixIndex } from './migrations/0006-username-prefix-index.js';
import { authChangeNotify } from './migrations/0007-auth-change-notify.js';
import { loginKnownAddresses } from './migrations/0008-login-known-addresses.js';

/** Every migration, in the order it applies. Names are permanent once released. */
const MIGRATIONS: ReadonlyArray<readonly [string, DialectMigration]> = [
  ['0001-initial', initial],
  ['0002-login-failures', loginFailures],
  ['0003-sessions', sessions],
  ['0004-admin-log', adminLog],
  ['0005-product-count', productCount],
  ['0006-username-prefix-index', usernamePrefixIndex],
  ['0007-auth-change-notify', authChangeNotify],
  ['0008-login-known-addresses', loginKnownAddresses],
];

function migratorFor(database: KeygateDatabase): Migrator {
  const migrations: Record<string, Migration> = {};
  for (const [name, migration] of MIGRATIONS) {
    migrations[name] = {
      up: (db) => migration.up(db, database.dialect),
      ...(migration.down && { down: (db) => migration.down!(db, database.dialect) }),
    };
  }
  return new Migrator({
    db: database.db,
    provider: { getMigrations: () => Promise.resolve(migrations) },
    migrationTableName: 'keygate_migrations',
    migrationLockTableName: 'keygate_migrations_lock',
  });
}

/** A migration failed; carries the names that did apply before it. */
export class MigrationError extends Error {
  constructor(
    message: string,
    /** The migrations that did apply before the failure, in order. */
    readonly applied: readonly string[],
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'MigrationError';
  }
}

/** Applies every pending migration; returns the names applied (empty when up to date). */
export async function migrateToLatest(database: KeygateDatabase): Promise<string[]> {
  const { error, results }: MigrationResultSet = await migratorFor(database).migrateToLatest();
  const applied = (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new MigrationError(
      `migration ${failed} failed: ${String((error as Error).message ?? error)}`,
      applied,
      {
        cause: error,
      },
    );
  }
  return applied;
}

/** Every known migration with whether it has been applied. */
export async function listMigrations(database: KeygateDatabase): Promise<readonly MigrationInfo[]> {
  return migratorFor(database).getMigrations();
}

/** Names of the migrations not yet applied. */
export async function pendingMigrations(database: KeygateDatabase): Promise<string[]> {
  return (await listMigrations(database)).filter((m) => m.executedAt === undefined).map((m) => m.name);
}
