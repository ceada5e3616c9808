// Column definitions that differ between SQLite and PostgreSQL, for migrations only.
import { sql, type ColumnDefinitionBuilder, type Kysely, type RawBuilder } from 'kysely';
import type { Dialect } from '../keygate-database.js';

/** A migration: applied in order, given the dialect so it can pick column types. */
export interface DialectMigration {
  up(db: Kysely<unknown>, dialect: Dialect): Promise<void>;
  down?(db: Kysely<unknown>, dialect: Dialect): Promise<void>;
}

/** An auto-numbered integer primary key. */
export function primaryKey(dialect: Dialect) {
  return (col: ColumnDefinitionBuilder): ColumnDefinitionBuilder =>
    dialect === 'sqlite' ? col.primaryKey().autoIncrement() : col.primaryKey().generatedByDefaultAsIdentity();
}

/** A UTC timestamp with microseconds: TEXT in ISO form on SQLite, timestamptz on PostgreSQL. */
export function timestampType(dialect: Dialect): RawBuilder<unknown> {
  return dialect === 'sqlite' ? sql`text` : sql`timestamptz`;
}
