// Schema migrations through Kysely's Migrator, from a fixed, ordered list compiled into keygate.
import {
  Migrator,
  type ColumnDefinitionBuilder,
  type Kysely,
  type Migration,
  type MigrationInfo,
  type MigrationResultSet,
  type RawBuilder,
} from 'kysely';
import type { Dialect, KeygateDatabase } from './keygate-database.js';
import { primaryKey, timestampType, type DialectMigration } from './migrations/column-types.js';
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

/** What a project's migration is told besides the database: the dialect and keygate's column types for it. */
export interface AppMigrationContext {
  /** `sqlite` or `postgres`, for the few statements Kysely's schema builder does not abstract. */
  readonly dialect: Dialect;
  /**
   * An auto-numbered integer primary key as keygate's tables have it (AUTOINCREMENT on SQLite,
   * an identity column on PostgreSQL): `.addColumn('id', 'integer', primaryKey)`.
   */
  readonly primaryKey: (column: ColumnDefinitionBuilder) => ColumnDefinitionBuilder;
  /**
   * The column type of a model's `fields.dateTime()`: ISO text on SQLite, `timestamptz` on
   * PostgreSQL (both read back as `2026-11-27T23:29:42.748410Z`).
   */
  readonly timestamp: RawBuilder<unknown>;
}

function migrationContext(dialect: Dialect): AppMigrationContext {
  return { dialect, primaryKey: primaryKey(dialect), timestamp: timestampType(dialect) };
}

/** A project's own migration (from its keygate.config or `openKeygate({ migrations })`). */
export interface AppMigration {
  /** Applies the change. */
  up(db: Kysely<any>, context: AppMigrationContext): Promise<void>; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** Reverts it (keygate has no command that runs it yet). */
  down?(db: Kysely<any>, context: AppMigrationContext): Promise<void>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** A project's migrations by name (`0001-notes`); tracked as `app:0001-notes`. */
export type AppMigrations = Readonly<Record<string, AppMigration>>;

/**
 * The prefix of a project's migrations in `keygate_migrations`: keygate's own names start with a
 * digit, so a project's never collide with them and sort after them (applied after keygate's).
 */
export const APP_MIGRATION_PREFIX = 'app:';

const MIGRATION_TABLE = 'keygate_migrations';

/** The project migrations recorded as applied (none when the table does not exist yet). */
async function appliedAppMigrations(database: KeygateDatabase): Promise<string[]> {
  try {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const rows = await (database.db as unknown as Kysely<any>)
      .selectFrom(MIGRATION_TABLE)
      .select('name')
      .where('name', 'like', `${APP_MIGRATION_PREFIX}%`)
      .execute();
    return rows.map((row) => String(row.name));
  } catch {
    return [];
  }
}

async function migratorFor(database: KeygateDatabase, appMigrations: AppMigrations = {}): Promise<Migrator> {
  const migrations: Record<string, Migration> = {};
  for (const [name, migration] of MIGRATIONS) {
    migrations[name] = {
      up: (db) => migration.up(db, database.dialect),
      ...(migration.down && { down: (db) => migration.down!(db, database.dialect) }),
    };
  }
  // A project's migrations applied by the CLI are known to a process that was not given them (the
  // host app's keygate.migrate(), /ready): stand-ins, so that Kysely does not call the table corrupt.
  for (const name of await appliedAppMigrations(database)) {
    migrations[name] = { up: () => Promise.resolve() };
  }
  for (const [name, migration] of Object.entries(appMigrations)) {
    migrations[`${APP_MIGRATION_PREFIX}${name}`] = {
      up: (db) => migration.up(db, migrationContext(database.dialect)),
      ...(migration.down && { down: (db) => migration.down!(db, migrationContext(database.dialect)) }),
    };
  }
  const hasAppMigrations = Object.keys(migrations).some((name) => name.startsWith(APP_MIGRATION_PREFIX));
  return new Migrator({
    db: database.db,
    provider: { getMigrations: () => Promise.resolve(migrations) },
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: 'keygate_migrations_lock',
    // A keygate upgrade's new migration sorts before a project's applied ones: it is still applied.
    allowUnorderedMigrations: hasAppMigrations,
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

/**
 * Applies every pending migration, keygate's then the project's (`appMigrations`); returns the
 * names applied (empty when up to date).
 */
export async function migrateToLatest(
  database: KeygateDatabase,
  appMigrations?: AppMigrations,
): Promise<string[]> {
  const migrator = await migratorFor(database, appMigrations);
  const { error, results }: MigrationResultSet = await migrator.migrateToLatest();
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
export async function listMigrations(
  database: KeygateDatabase,
  appMigrations?: AppMigrations,
): Promise<readonly MigrationInfo[]> {
  return (await migratorFor(database, appMigrations)).getMigrations();
}

/** Names of the migrations not yet applied. */
export async function pendingMigrations(
  database: KeygateDatabase,
  appMigrations?: AppMigrations,
): Promise<string[]> {
  return (await listMigrations(database, appMigrations))
    .filter((m) => m.executedAt === undefined)
    .map((m) => m.name);
}
