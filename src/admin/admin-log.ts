// The admin's change record (Django's LogEntry): written in the transaction of each change.
import type { Kysely, Transaction } from 'kysely';
import { ADMIN_ACTION, type Database } from '../db/schema.js';
import { nowTimestamp } from '../time.js';
import type { User } from '../users/user.js';

/** What the admin manages: a section's content type, e.g. `product`. */
export type ContentType = string;

/** One recorded change. */
export interface LogEntry {
  readonly id: number;
  readonly actionTime: string;
  readonly username: string;
  readonly contentType: ContentType;
  readonly objectId: string;
  readonly objectRepr: string;
  readonly action: keyof typeof ADMIN_ACTION;
  readonly changeMessage: string;
}

/** A change to record. */
export interface Change {
  readonly actor: User;
  readonly contentType: ContentType;
  readonly objectId: number | string;
  readonly objectRepr: string;
  readonly action: keyof typeof ADMIN_ACTION;
  readonly message?: string;
}

/** Django truncates object_repr to the column's 200 characters. */
const REPR_LENGTH = 200;

const ACTION_BY_FLAG = new Map<number, keyof typeof ADMIN_ACTION>(
  Object.entries(ADMIN_ACTION).map(([name, flag]) => [flag, name as keyof typeof ADMIN_ACTION]),
);

/** Creates the admin log over `db`. */
export function createAdminLog(db: Kysely<Database>) {
  return {
    /**
     * Records `change` inside `trx`, the transaction of the change itself (typed with the
     * application's tables too, when the change is to one of them).
     */
    async record<Tables extends Database>(trx: Transaction<Tables>, change: Change): Promise<void> {
      // The application's view of the database holds keygate's tables: the log is one of them.
      await (trx as unknown as Transaction<Database>)
        .insertInto('admin_log')
        .values({
          action_time: nowTimestamp(),
          user_id: change.actor.id,
          content_type: change.contentType,
          object_id: String(change.objectId),
          object_repr: [...change.objectRepr].slice(0, REPR_LENGTH).join(''),
          action_flag: ADMIN_ACTION[change.action],
          change_message: change.message ?? '',
        })
        .execute();
    },

    /** The latest entries, newest first; only `actorId`'s when given (Django's "My actions"). */
    async recent(limit: number, actorId?: number): Promise<LogEntry[]> {
      let query = db
        .selectFrom('admin_log as l')
        .innerJoin('users as u', 'u.id', 'l.user_id')
        .select([
          'l.id',
          'l.action_time',
          'u.username',
          'l.content_type',
          'l.object_id',
          'l.object_repr',
          'l.action_flag',
          'l.change_message',
        ])
        .orderBy('l.action_time', 'desc')
        .orderBy('l.id', 'desc')
        .limit(limit);
      if (actorId !== undefined) query = query.where('l.user_id', '=', actorId);
      const rows = await query.execute();
      return rows.map((row) => ({
        id: Number(row.id),
        actionTime: row.action_time,
        username: row.username,
        contentType: row.content_type,
        objectId: row.object_id,
        objectRepr: row.object_repr,
        action: ACTION_BY_FLAG.get(Number(row.action_flag)) ?? 'changed',
        changeMessage: row.change_message,
      }));
    },
  };
}

/** The admin log's interface. */
export type AdminLog = ReturnType<typeof createAdminLog>;
