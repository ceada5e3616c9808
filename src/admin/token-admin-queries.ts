// The SQL of the admin's tokens section: the change list (joined with users for the username),
// one token with its owner, and the "add token" user picker's prefix search.
import type { KeygateDatabase } from '../db/keygate-database.js';
import { JOINED_TOKEN_COLUMNS, toToken, type Token } from '../authtoken/token.js';
import { timestampAt } from '../time.js';
import type { ListParams } from './change-list.js';

/** The columns the list sorts by, by the name `?o=` uses. */
export type TokenSort = 'user' | 'created' | 'last_used';

const SORT_COLUMNS = {
  user: 'u.username',
  created: 't.created',
  last_used: 't.last_used_at',
} as const satisfies Record<TokenSort, string>;

/** The "By created" filter's values and labels (Django's DateFieldListFilter). */
export const CREATED_CHOICES = [
  { value: 'today', label: 'Today' },
  { value: 'past_7_days', label: 'Past 7 days' },
  { value: 'this_month', label: 'This month' },
  { value: 'this_year', label: 'This year' },
] as const;

/** How many users the picker suggests at most. */
export const USER_SEARCH_LIMIT = 20;
/** Longer prefixes cannot match a username (150 characters at most). */
const USER_SEARCH_MAX_LENGTH = 150;

/** A row of the change list: what the list shows, never the key. */
export interface TokenListRow {
  readonly id: number;
  readonly username: string;
  readonly hint: string;
  readonly name: string;
  readonly created: string;
  readonly lastUsedAt: string | null;
}

/** A token with its owner's username, and whether the owner is a superuser (who may see it). */
export interface TokenWithOwner {
  readonly token: Token;
  readonly username: string;
  readonly ownerIsSuperuser: boolean;
}

/** A user the picker offers. */
export interface UserChoice {
  readonly id: number;
  readonly username: string;
}

/**
 * The half-open range [since, until) of a "By created" choice, as stored timestamps, in UTC:
 * Django's bounds (today, the last 7 days and today, this month, this year).
 */
export function createdRange(choice: string, now: Date): { since: string; until: string } | null {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  const d = now.getUTCDate();
  const tomorrow = Date.UTC(y, m, d + 1);
  const bounds: Record<string, [number, number]> = {
    today: [Date.UTC(y, m, d), tomorrow],
    past_7_days: [Date.UTC(y, m, d - 7), tomorrow],
    this_month: [Date.UTC(y, m, 1), Date.UTC(y, m + 1, 1)],
    this_year: [Date.UTC(y, 0, 1), Date.UTC(y + 1, 0, 1)],
  };
  const range = bounds[choice];
  return range === undefined ? null : { since: timestampAt(range[0]), until: timestampAt(range[1]) };
}

/** Creates the tokens section's queries over `db`. */
export function createTokenAdminQueries(database: KeygateDatabase) {
  const { db } = database;
  return {
    /** One page of the change list and the number of tokens the search and filter match. */
    async list(params: ListParams<TokenSort>, now: Date): Promise<{ rows: TokenListRow[]; count: number }> {
      let query = db.selectFrom('tokens as t').innerJoin('users as u', 'u.id', 't.user_id');
      if (params.q !== '') query = query.where(database.contains('u.username', params.q));
      const range = createdRange(params.filters.created ?? '', now);
      if (range !== null) {
        query = query.where('t.created', '>=', range.since).where('t.created', '<', range.until);
      }
      const direction = params.sort.descending ? 'desc' : 'asc';
      const [counted, rows] = await Promise.all([
        query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
        query
          .select(['t.id', 'u.username', 't.hint', 't.name', 't.created', 't.last_used_at'])
          // "Never used" sorts as the oldest on both databases (their NULL defaults differ).
          .orderBy(SORT_COLUMNS[params.sort.field], (ob) =>
            params.sort.descending ? ob.desc().nullsLast() : ob.asc().nullsFirst(),
          )
          .orderBy('t.id', direction)
          .limit(params.limit)
          .offset(params.offset)
          .execute(),
      ]);
      return {
        count: Number(counted.n),
        rows: rows.map((row) => ({
          id: Number(row.id),
          username: row.username,
          hint: row.hint,
          name: row.name,
          created: row.created,
          lastUsedAt: row.last_used_at,
        })),
      };
    },

    /** The tokens with these ids that exist, with their owners, in id order. */
    async findWithOwners(ids: readonly number[]): Promise<TokenWithOwner[]> {
      if (ids.length === 0) return [];
      const rows = await db
        .selectFrom('tokens as t')
        .innerJoin('users as u', 'u.id', 't.user_id')
        .select([...JOINED_TOKEN_COLUMNS, 'u.username', 'u.is_superuser'])
        .where('t.id', 'in', ids)
        .orderBy('t.id')
        .execute();
      return rows.map((row) => ({
        token: toToken(row),
        username: row.username,
        ownerIsSuperuser: Boolean(row.is_superuser),
      }));
    },

    /**
     * Up to {@link USER_SEARCH_LIMIT} users whose username starts with `prefix` (case-sensitive),
     * in code point order whatever the database's collation. `database.startsWith` is a range
     * rather than LIKE, answered from the index of migration 0006 (`users_username_c`). Superusers
     * are left out unless `superusers` is set: only a superuser may manage their tokens.
     */
    async usersStartingWith(prefix: string, { superusers = false } = {}): Promise<UserChoice[]> {
      if ([...prefix].length > USER_SEARCH_MAX_LENGTH) return [];
      let query = db
        .selectFrom('users')
        .select(['id', 'username'])
        .where(database.startsWith('username', prefix));
      if (!superusers) query = query.where('is_superuser', '=', false);
      const rows = await query.orderBy(database.byCodePoint('username')).limit(USER_SEARCH_LIMIT).execute();
      return rows.map((row) => ({ id: Number(row.id), username: row.username }));
    },
  };
}

/** The tokens section's queries. */
export type TokenAdminQueries = ReturnType<typeof createTokenAdminQueries>;
