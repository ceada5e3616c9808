// A deliberate cache: the token lookup of authenticated requests, kept for at most TOKEN_CACHE_MS.
import type { KeygateDatabase, Notifications } from '../db/keygate-database.js';
import { AUTH_CHANGED_CHANNEL } from '../db/auth-changed-channel.js';
import type { TableWrite } from '../db/write-watch.js';
import type { TokenWithUser } from './token-repository.js';

/** A cached lookup; `lastUsedMs` follows this process's own last_used_at writes. */
export interface CachedToken {
  readonly found: TokenWithUser;
  lastUsedMs: number;
}

interface Entry extends CachedToken {
  readonly expires: number;
}

/** Settings of a token cache. */
export interface TokenCacheOptions {
  /** How long a lookup is reused; 0 turns the cache off. */
  readonly ttlMs: number;
  /** Lookups kept at most; the oldest goes first. */
  readonly maxEntries?: number;
  /** A clock in milliseconds; by default a monotonic one, so that no clock step stretches `ttlMs`. */
  readonly now?: () => number;
}

// The columns requests write as bookkeeping; a change to any other column of `tokens` or `users`
// can end or alter what a token authenticates as.
const BOOKKEEPING: Readonly<Record<string, string>> = { tokens: 'last_used_at', users: 'last_login' };

/** True when a committed write may make a cached lookup wrong. */
export function changesAuthentication(write: TableWrite): boolean {
  if (write.table === '*') return true;
  const bookkeeping = BOOKKEEPING[write.table];
  if (bookkeeping === undefined) return false;
  switch (write.kind) {
    case 'insert':
      return false; // a new row cannot make a lookup that was read before it wrong
    case 'update':
      return write.columns.some((column) => column !== bookkeeping);
    default:
      return true;
  }
}

/** The largest TOKEN_CACHE_MS (config.ts accepts no more): how long any process may keep a lookup. */
export const TOKEN_CACHE_MAX_MS = 1000;

/**
 * Token lookups by key digest (never by key), reused for at most `ttlMs`.
 *
 * Invalidation: every write this process commits to `tokens` or `users` (revoking, regenerating,
 * deactivating, a password change, a delete) empties the cache, and no other keygate process holds
 * a copy read before it either, by the time the writer's caller is answered:
 * - SQLite: each reuse first reads the database's data version (`dataVersion`, a few µs), which
 *   changes with every commit by any connection of any program (the sqlite3 shell too): a change
 *   empties the cache. Nothing waits for a message, so nothing can arrive late.
 * - PostgreSQL: triggers NOTIFY every process of such writes from anywhere (other workers, the CLI,
 *   a SQL console); a keygate writer also waits until every listening process has answered its own
 *   notification (at most TOKEN_CACHE_MAX_MS, by when every older copy has expired anyway). While
 *   notifications could be missed (connection lost) the cache is not used. Not covered: a SQL
 *   console's write (no one waits: seen when the triggers' notification arrives), and a process
 *   whose listening connection was cut just before the write but which has not noticed yet (not
 *   waited for); both within `ttlMs` in any case.
 *
 * A lookup that was in flight while the cache was emptied is not stored: it may have read the rows
 * as they were before the change.
 */
export class TokenCache {
  readonly #entries = new Map<string, Entry>();
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #now: () => number;
  readonly #database: KeygateDatabase;
  readonly #dataVersion: (() => number) | null;
  /** The data version every entry was read at or after (SQLite); NaN, equal to nothing, at first. */
  #seenVersion = Number.NaN;
  #generation = 0;
  /** False while invalidations from other processes could be missed (not listening yet, or lost). */
  #usable: boolean;
  #started = false;
  #notifications: Notifications | null = null;
  #stopWatching: (() => void) | null = null;

  constructor(database: KeygateDatabase, options: TokenCacheOptions) {
    this.#database = database;
    this.#dataVersion = database.dataVersion;
    this.#ttlMs = options.ttlMs;
    this.#maxEntries = options.maxEntries ?? 10_000;
    // A writer on PostgreSQL waits at most TOKEN_CACHE_MAX_MS counting on every older copy having expired.
    this.#now = options.now ?? (() => performance.now());
    this.#usable = false;
    // From the start, not lazily, and whatever this process's own TTL: a CLI command that never
    // authenticates, or runs with the cache off, still waits for the servers.
    this.#stopWatching = database.onCommittedWrites((writes) => {
      if (!writes.some(changesAuthentication)) return undefined;
      this.invalidate();
      return database.notifyAndWait(AUTH_CHANGED_CHANNEL, TOKEN_CACHE_MAX_MS);
    });
  }

  /** The cached lookup for `digest`, if one is fresh. */
  get(digest: string): CachedToken | undefined {
    if (!this.#started) this.#start();
    if (!this.#usable) return undefined;
    const entry = this.#entries.get(digest);
    if (entry === undefined) return undefined;
    if (entry.expires <= this.#now()) {
      this.#entries.delete(digest);
      return undefined;
    }
    if (this.#committedSince()) return undefined;
    return entry;
  }

  /** A ticket to take before reading the database; {@link store} refuses a stale one. */
  begin(): { readonly generation: number; readonly readAt: number } {
    // Notes the version the read will start from (a change empties the cache and retires tickets).
    if (this.#ttlMs > 0) this.#committedSince();
    return { generation: this.#generation, readAt: this.#now() };
  }

  /** Keeps a lookup read after `ticket` was taken, unless the cache was emptied since. */
  store(digest: string, found: TokenWithUser, ticket: ReturnType<TokenCache['begin']>): CachedToken {
    const lastUsedMs = found.token.lastUsedAt === null ? 0 : Date.parse(found.token.lastUsedAt);
    const entry: Entry = { found, lastUsedMs, expires: ticket.readAt + this.#ttlMs };
    if (this.#ttlMs <= 0 || !this.#usable || ticket.generation !== this.#generation) return entry;
    if (this.#entries.size >= this.#maxEntries && !this.#entries.has(digest)) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    this.#entries.set(digest, entry);
    return entry;
  }

  /** Empties the cache; lookups in flight are not stored. */
  invalidate(): void {
    this.#generation += 1;
    this.#entries.clear();
  }

  /** Number of lookups held (for tests and diagnostics). */
  get size(): number {
    return this.#entries.size;
  }

  async close(): Promise<void> {
    this.#started = true;
    this.#stopWatching?.();
    this.#stopWatching = null;
    this.#usable = false;
    this.invalidate();
    await this.#notifications?.close();
    this.#notifications = null;
  }

  /** True, having emptied the cache, when the database's data version moved since entries were read. */
  #committedSince(): boolean {
    if (this.#dataVersion === null) return false;
    let version: number;
    try {
      version = this.#dataVersion();
    } catch {
      version = Number.NaN; // unreadable: trust nothing; the lookup that follows reports the failure
    }
    if (version === this.#seenVersion) return false;
    this.#seenVersion = version;
    this.invalidate();
    return true;
  }

  // Listening starts with the first authenticated request, so CLI commands open no listener.
  #start(): void {
    this.#started = true;
    if (this.#ttlMs <= 0) return;
    this.#notifications = this.#database.listen(AUTH_CHANGED_CHANNEL, {
      message: () => this.invalidate(),
      up: () => {
        this.invalidate();
        this.#usable = true;
      },
      down: () => {
        this.#usable = false;
        this.invalidate();
      },
    });
    // SQLite: nothing to listen to (data versions instead).
    if (this.#notifications === null) this.#usable = true;
  }
}
