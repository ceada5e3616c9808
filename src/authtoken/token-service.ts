// Issuing, resetting, deleting and checking tokens under the configured policy.
import type { Transaction } from 'kysely';
import type { KeygateDatabase } from '../db/keygate-database.js';
import { inTransaction, type TransactionOption } from '../db/in-transaction.js';
import type { Database } from '../db/schema.js';
import { AuthenticationFailed, ValidationError } from '../errors.js';
import type { EventBus } from '../signals/event-bus.js';
import { nowTimestamp } from '../time.js';
import type { User } from '../users/user.js';
import type { UserRepository } from '../users/user-repository.js';
import type { Token } from './token.js';
import type { TokenCache } from './token-cache.js';
import { hasValidChecksum, isHashedFormat, keyDigest, keyHint } from './token-format.js';
import type { TokenPolicy } from './token-policy.js';
import type { TokenRepository, TokenWithUser } from './token-repository.js';

/** A token together with its plaintext key, which exists only at creation (or is kept, under `drf`). */
export interface IssuedToken {
  /** The token as stored. */
  readonly token: Token;
  /** The plaintext key to hand to the client: under `hashed` this is the only time it exists. */
  readonly key: string;
  /** True when the token was created by this call, false when an existing one was returned. */
  readonly created: boolean;
}

/** Options for a named token (a policy with `namedTokens`). */
export interface TokenOptions {
  /** A label for the token, such as the device it is for (default: empty). */
  readonly name?: string;
  /** An ISO 8601 UTC {@link Timestamp} after which the token no longer authenticates; null or left out: never. */
  readonly expiresAt?: string | null;
  /** The scopes the token carries (default: none). */
  readonly scopes?: readonly string[];
}

/** The dependencies of the token service. */
export interface TokenServiceDeps {
  readonly database: KeygateDatabase;
  readonly tokens: TokenRepository;
  readonly users: UserRepository;
  readonly events: EventBus;
  /** The configured policy (`tokenPolicy(config.tokenPolicy)`). */
  readonly policy: TokenPolicy;
  /** Reused lookups for authentication (see TokenCache for when they are dropped). */
  readonly cache: TokenCache;
}

/** last_used_at is written at most this often per token. */
const LAST_USED_RESOLUTION_MS = 60_000;

/** Creates the token service. */
export function createTokenService({ database, tokens, users, events, policy, cache }: TokenServiceDeps) {
  const db = database.db;

  /** Inserts a new token for `user` in `trx` and emits `token.created`. */
  async function insertToken(
    user: User,
    trx: Transaction<Database>,
    options: TokenOptions = {},
  ): Promise<IssuedToken> {
    const key = policy.generateKey();
    const token = await tokens.insert(
      {
        user_id: user.id,
        digest: keyDigest(key),
        key: policy.storedKey(key),
        hint: keyHint(key),
        name: options.name ?? '',
        created: nowTimestamp(),
        expires_at: options.expiresAt ?? null,
        scopes: (options.scopes ?? []).join(' '),
      },
      trx,
    );
    await events.emit('token.created', { token, user }, { trx });
    return { token, key, created: true };
  }

  /** The user's token whose key the policy may show again, if any. */
  async function existingShownToken(user: User, executor = db): Promise<IssuedToken | undefined> {
    const token = await tokens.findStoredKeyToken(user.id, executor);
    const key = token && policy.shownKey(token);
    return token && key ? { token, key, created: false } : undefined;
  }

  /** DRF's `Token.objects.get_or_create(user=user)`, safe against a concurrent create. */
  async function getOrCreate(user: User): Promise<IssuedToken> {
    const existing = await existingShownToken(user);
    if (existing) return existing;
    try {
      return await db.transaction().execute((trx) => insertToken(user, trx));
    } catch (error) {
      if (!database.isUniqueViolation(error)) throw error;
      const winner = await existingShownToken(user);
      if (!winner) throw error;
      return winner;
    }
  }

  /** Deletes every token of `user` in `trx`, emitting `token.deleted` for each. */
  async function deleteForUser(user: User, trx: Transaction<Database>): Promise<Token[]> {
    const deleted = await tokens.deleteForUser(user.id, trx);
    for (const token of deleted) await events.emit('token.deleted', { token }, { trx });
    return deleted;
  }

  return {
    /** The configured policy, for what the admin may show and ask for. */
    policy,

    /**
     * The token a successful login hands out: with one token per user (`drf`) that token, created
     * if missing; otherwise (`hashed`) a new token each time, its key shown only now.
     */
    async issueForLogin(user: User, options: TokenOptions = {}): Promise<IssuedToken> {
      if (policy.oneTokenPerUser) return getOrCreate(user);
      return db.transaction().execute((trx) => insertToken(user, trx, options));
    },

    /**
     * DRF's `Token.objects.get_or_create(user=user)`: the user's token whose key can be shown, or a
     * new one; safe against a concurrent create.
     */
    getOrCreate,

    /**
     * Replaces the user's one token (`drf_create_token -r`), or issues one more where a user may
     * have several (`hashed`).
     */
    async reset(user: User, { trx }: TransactionOption = {}): Promise<IssuedToken> {
      return inTransaction(db, trx, async (trx) => {
        if (policy.oneTokenPerUser) await deleteForUser(user, trx);
        return insertToken(user, trx);
      });
    },

    /**
     * Replaces one token with a new key for the same user (name, expiry and scopes kept), in one
     * transaction; undefined when the token is gone. The old key stops working at once.
     */
    async regenerate(tokenId: number, { trx }: TransactionOption = {}): Promise<IssuedToken | undefined> {
      return inTransaction(db, trx, async (trx) => {
        const old = await tokens.deleteById(tokenId, trx);
        if (old === undefined) return undefined;
        const user = await users.findById(old.userId, trx);
        if (user === undefined) return undefined;
        await events.emit('token.deleted', { token: old }, { trx });
        return insertToken(user, trx, { name: old.name, expiresAt: old.expiresAt, scopes: old.scopes });
      });
    },

    /**
     * The admin's "add token" (and the `user.created` listener's): with one token per user
     * (`drf`) a second is refused (Django's unique constraint, with its message); otherwise each
     * call adds a token.
     */
    async create(
      user: User,
      options: TokenOptions = {},
      { trx }: TransactionOption = {},
    ): Promise<IssuedToken> {
      const duplicate = new ValidationError({ user: ['Token with this User already exists.'] });
      try {
        return await inTransaction(db, trx, async (trx) => {
          if (policy.oneTokenPerUser && (await existingShownToken(user, trx)) !== undefined) throw duplicate;
          return insertToken(user, trx, options);
        });
      } catch (error) {
        if (database.isUniqueViolation(error)) throw duplicate;
        throw error;
      }
    },

    /** The token with this id, or undefined (tokens are looked up by id for display, never by key). */
    findById: (tokenId: number) => tokens.findById(tokenId),

    /** Deletes one token; false when it did not exist. */
    async delete(tokenId: number, { trx }: TransactionOption = {}): Promise<boolean> {
      return inTransaction(db, trx, async (trx) => {
        const token = await tokens.deleteById(tokenId, trx);
        if (token === undefined) return false;
        await events.emit('token.deleted', { token }, { trx });
        return true;
      });
    },

    /**
     * Deletes several tokens in one transaction (the admin's "delete selected"). Returns the
     * tokens that existed, in the order asked.
     */
    async deleteMany(tokenIds: readonly number[], { trx }: TransactionOption = {}): Promise<Token[]> {
      return inTransaction(db, trx, async (trx) => {
        const deleted: Token[] = [];
        for (const tokenId of tokenIds) {
          const token = await tokens.deleteById(tokenId, trx);
          if (token === undefined) continue;
          await events.emit('token.deleted', { token }, { trx });
          deleted.push(token);
        }
        return deleted;
      });
    },

    /**
     * Revokes every token of a user, each announced by `token.deleted` (the `user.deleting`
     * listener's work too); returns how many were deleted.
     */
    async deleteAllForUser(user: User, { trx }: TransactionOption = {}): Promise<number> {
      return inTransaction(db, trx, async (trx) => (await deleteForUser(user, trx)).length);
    },

    /** Gives every user without a token one (DRF's documented backfill); returns their usernames. */
    async createMissing(): Promise<string[]> {
      const created: string[] = [];
      for (const userId of await tokens.userIdsWithoutToken()) {
        const user = await users.findById(userId);
        if (!user) continue;
        await getOrCreate(user);
        created.push(user.username);
      }
      return created;
    },

    /** The user's tokens, oldest first (for display: under `hashed` their keys are null). */
    listForUser: (user: User) => tokens.listForUser(user.id),

    /**
     * Resolves a presented key to its token and user, or throws AuthenticationFailed with DRF's
     * messages. Keys are never compared directly: only their digest is looked up.
     */
    async authenticate(key: string): Promise<TokenWithUser> {
      if (isHashedFormat(key) && !hasValidChecksum(key)) throw new AuthenticationFailed('Invalid token.');
      const digest = keyDigest(key);
      let cached = cache.get(digest);
      if (cached === undefined) {
        const ticket = cache.begin();
        const read = await tokens.findByDigest(digest);
        if (!read) throw new AuthenticationFailed('Invalid token.');
        cached = cache.store(digest, read, ticket);
      }
      const found = cached.found;
      if (!found.user.isActive) throw new AuthenticationFailed('User inactive or deleted.');
      const now = Date.now();
      if (found.token.expiresAt !== null && Date.parse(found.token.expiresAt) <= now) {
        throw new AuthenticationFailed('Invalid token.');
      }
      if (now - cached.lastUsedMs >= LAST_USED_RESOLUTION_MS) {
        cached.lastUsedMs = now;
        const cutoff = new Date(now - LAST_USED_RESOLUTION_MS).toISOString();
        // Bookkeeping only: a failure here must not fail the request it rides on.
        tokens.touchLastUsed(found.token.id, nowTimestamp(), cutoff).catch(() => undefined);
      }
      return found;
    },
  };
}

/**
 * Tokens: issue, find, authenticate and delete API tokens under the configured token policy.
 * Every write runs in a transaction and emits its {@link KeygateEvents} event inside it.
 *
 * @interface
 */
export type TokenService = ReturnType<typeof createTokenService>;
