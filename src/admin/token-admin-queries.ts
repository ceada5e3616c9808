// The tokens section's own SQL and dates: the "By created" filter's ranges and the "add token"
// user picker's prefix search (the engine builds the rest from the definition).
import type { KeygateDatabase } from '../db/keygate-database.js';
import { timestampAt } from '../time.js';

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
