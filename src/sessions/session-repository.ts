// SQL for sessions: create, the one joined lookup a session-authenticated request runs, delete.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { JOINED_USER_COLUMNS, toUser, type User } from '../users/user.js';

/** A live session with its user, as authentication needs them. */
export interface StoredSession {
  /** The digest of the session key (the row id). */
  readonly id: string;
  readonly user: User;
  readonly data: Readonly<Record<string, unknown>>;
  readonly expiresAt: string;
  readonly created: string;
}

/** What creating a session takes. */
export interface NewSession {
  readonly id: string;
  readonly userId: number;
  readonly data?: Readonly<Record<string, unknown>>;
  readonly expiresAt: string;
  readonly created: string;
}

function parseData(text: string): Record<string, unknown> {
  try {
    const data: unknown = JSON.parse(text);
    return data !== null && typeof data === 'object' && !Array.isArray(data)
      ? (data as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

/** Creates the session repository over `db`. */
export function createSessionRepository(db: Kysely<Database>) {
  return {
    /** Stores a new session; its `id` is the digest of the key the cookie carries, never the key. */
    async insert(session: NewSession): Promise<void> {
      await db
        .insertInto('sessions')
        .values({
          id: session.id,
          user_id: session.userId,
          data: JSON.stringify(session.data ?? {}),
          expires_at: session.expiresAt,
          created: session.created,
        })
        .execute();
    },

    /** The session with this digest and its user, when it has not expired at `now`: one query. */
    async findLive(id: string, now: string): Promise<StoredSession | undefined> {
      const row = await db
        .selectFrom('sessions as s')
        .innerJoin('users as u', 'u.id', 's.user_id')
        .select(['s.id as session_id', 's.data', 's.expires_at', 's.created', 'u.id', ...JOINED_USER_COLUMNS])
        .where('s.id', '=', id)
        .where('s.expires_at', '>', now)
        .executeTakeFirst();
      if (row === undefined) return undefined;
      return {
        id: row.session_id,
        user: toUser(row),
        data: parseData(row.data),
        expiresAt: row.expires_at,
        created: row.created,
      };
    },

    /** Deletes one session; returns whether it existed. */
    async delete(id: string): Promise<boolean> {
      const result = await db.deleteFrom('sessions').where('id', '=', id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },

    /** Deletes every session of a user (a password change, "log out everywhere"); returns how many. */
    async deleteForUser(userId: number, executor: Kysely<Database> = db): Promise<number> {
      const result = await executor.deleteFrom('sessions').where('user_id', '=', userId).executeTakeFirst();
      return Number(result.numDeletedRows);
    },

    /** Deletes sessions that expired before `now` (Django's clearsessions); returns how many. */
    async deleteExpired(now: string): Promise<number> {
      const result = await db.deleteFrom('sessions').where('expires_at', '<=', now).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

/** The session repository's interface. */
export type SessionRepository = ReturnType<typeof createSessionRepository>;
