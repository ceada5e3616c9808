// Tells every keygate process on PostgreSQL that token or user rows changed, whoever changed them.
import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../keygate-database.js';
import type { DialectMigration } from './column-types.js';

// The channel as this migration created it; the runtime's is AUTH_CHANGED_CHANNEL in
// ../auth-changed-channel.ts (a test checks that they agree).
const CHANNEL = 'keygate_auth_changed';

// Every column but the bookkeeping ones a request writes as it goes (tokens.last_used_at,
// users.last_login): a change to any other can end or alter what a token authenticates as.
// A column added to either table later must be added here by the migration that adds it.
const TOKEN_COLUMNS = 'id, user_id, digest, key, hint, name, created, expires_at, scopes';
const USER_COLUMNS =
  'id, username, email, password, first_name, last_name, is_active, is_staff, is_superuser, date_joined';

/**
 * PostgreSQL: statement triggers on `tokens` and `users` that `pg_notify` the channel on delete,
 * truncate and update, from the API, the admin, the CLI or a SQL console alike. The notification is
 * sent when the writing transaction commits, and not at all if it rolls back. Inserts need none: a
 * cache only holds rows it has read. SQLite has no notifications; its caches expire instead.
 */
export const authChangeNotify: DialectMigration = {
  async up(db: Kysely<unknown>, dialect: Dialect) {
    if (dialect !== 'postgres') return;
    await sql`CREATE FUNCTION keygate_auth_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM pg_notify(${sql.lit(CHANNEL)}, TG_TABLE_NAME); RETURN NULL; END $$`.execute(db);
    await sql`CREATE TRIGGER tokens_auth_changed
      AFTER UPDATE OF ${sql.raw(TOKEN_COLUMNS)} OR DELETE OR TRUNCATE ON tokens
      FOR EACH STATEMENT EXECUTE FUNCTION keygate_auth_changed()`.execute(db);
    await sql`CREATE TRIGGER users_auth_changed
      AFTER UPDATE OF ${sql.raw(USER_COLUMNS)} OR DELETE OR TRUNCATE ON users
      FOR EACH STATEMENT EXECUTE FUNCTION keygate_auth_changed()`.execute(db);
  },

  async down(db: Kysely<unknown>, dialect: Dialect) {
    if (dialect !== 'postgres') return;
    await sql`DROP TRIGGER IF EXISTS tokens_auth_changed ON tokens`.execute(db);
    await sql`DROP TRIGGER IF EXISTS users_auth_changed ON users`.execute(db);
    await sql`DROP FUNCTION IF EXISTS keygate_auth_changed()`.execute(db);
  },
};
