// Issuing, resetting, deleting and checking tokens under the configured policy.
import type { Transaction } from 'kysely';
import type { TokenPolicy } from '../config/index.js';
import type { KeygateDatabase } from '../db/database.js';
import { runAlso, type AlsoInTransaction } from '../db/in-transaction.js';
import type { Database } from '../db/schema.js';
import { AuthenticationFailed, ValidationError } from '../errors.js';
import type { EventBus } from '../signals/event-bus.js';
import { nowTimestamp } from '../time.js';
import type { User } from '../users/user.js';
import type { UserRepository } from '../users/user-repository.js';
import type { Token } from './token.js';
import type { TokenCache } from './token-cache.js';
import {
  generateDrfKey,
  generateHashedKey,
  hasValidChecksum,
  isHashedFormat,
  keyDigest,
  keyHint,
} from './token-format.js';
import type { TokenRepository, TokenWithUser } from './token-repository.js';

/** A token together with its plaintext key, which exists only at creation (or is stored, under `drf`). */
export interface IssuedToken {
  readonly token: Token;
  readonly key: string;
  readonly created: boolean;
}

/** Options for a named hashed-policy token. */
export interface TokenOptions {
  readonly name?: string;
  readonly expiresAt?: string | null;
  readonly scopes?: readonly string[];
}

/** The dependencies of the token service. */
export interface TokenServiceDeps {
  readonly database: KeygateDatabase;
  readonly tokens: TokenRepository;
  readonly users: UserRepository;
  readonly events: EventBus;
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
    const key = policy === 'drf' ? generateDrfKey() : generateHashedKey();
    const token = await tokens.insert(
      {
        user_id: user.id,
        digest: keyDigest(key),
        key: policy === 'drf' ? key : null,
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

  async function existingDrfToken(user: User, executor = db): Promise<IssuedToken | undefined> {
    const token = await tokens.findStoredKeyToken(user.id, executor);
    return token?.key ? { token, key: token.key, created: false } : undefined;
  }

  /** DRF's `Token.objects.get_or_create(user=user)`, safe against a concurrent create. */
  async function getOrCreate(user: User): Promise<IssuedToken> {
    const existing = await existingDrfToken(user);
    if (existing) return existing;
    try {
      return await db.transaction().execute((trx) => insertToken(user, trx));
    } catch (error) {
      if (!database.isUniqueViolation(error)) throw error;
      const winner = await existingDrfToken(user);
      if (!winner) throw error;
      return winner;
    }
  }

  return {
    policy,

    /**
     * The token a successful login hands out: under `drf` the user's one token (created if missing),
     * under `hashed` a new token each time, its key shown only now.
     */
    async issueForLogin(user: User, options: TokenOptions = {}): Promise<IssuedToken> {
      if (policy === 'drf') return getOrCreate(user);
      return db.transaction().execute((trx) => insertToken(user, trx, options));
    },

    getOrCreate,

    /** Replaces the user's DRF token (`drf_create_token -r`), or issues a fresh one under `hashed`. */
    async reset(user: User, also?: AlsoInTransaction<IssuedToken>): Promise<IssuedToken> {
      return db.transaction().execute(async (trx) => {
        if (policy === 'drf') {
          for (const token of await tokens.deleteForUser(user.id, trx)) {
            await events.emit('token.deleted', { token }, { trx });
          }
        }
        const issued = await insertToken(user, trx);
        await runAlso(also, trx, issued);
        return issued;
      });
    },

    /**
     * Replaces one token with a new key for the same user (name, expiry and scopes kept), in one
     * transaction; undefined when the token is gone. The old key stops working at once.
     */
    async regenerate(
      tokenId: number,
      also?: AlsoInTransaction<IssuedToken>,
    ): Promise<IssuedToken | undefined> {
      return db.transaction().execute(async (trx) => {
        const old = await tokens.deleteById(tokenId, trx);
        if (old === undefined) return undefined;
        const user = await users.findById(old.userId, trx);
        if (user === undefined) return undefined;
        await events.emit('token.deleted', { token: old }, { trx });
        const issued = await insertToken(user, trx, {
          name: old.name,
          expiresAt: old.expiresAt,
          scopes: old.scopes,
        });
        await runAlso(also, trx, issued);
        return issued;
      });
    },

    /**
     * The admin's "add token": under `drf` a user has at most one token (Django's unique
     * constraint, with its message); under `hashed` each call adds a named token.
     */
    async create(
      user: User,
      options: TokenOptions = {},
      also?: AlsoInTransaction<IssuedToken>,
    ): Promise<IssuedToken> {
      const duplicate = new ValidationError({ user: ['Token with this User already exists.'] });
      if (policy === 'drf' && (await existingDrfToken(user)) !== undefined) throw duplicate;
      try {
        return await db.transaction().execute(async (trx) => {
          const issued = await insertToken(user, trx, options);
          await runAlso(also, trx, issued);
          return issued;
        });
      } catch (error) {
        if (database.isUniqueViolation(error)) throw duplicate;
        throw error;
      }
    },

    /** The token with this id and its user, for display (never by key). */
    findById: (tokenId: number) => tokens.findById(tokenId),

    /** Creates a token inside a transaction the caller opened (the user.created listener). */
    createInTransaction: (user: User, trx: Transaction<Database>) => insertToken(user, trx),

    /** Deletes one token; false when it did not exist. */
    async delete(tokenId: number, also?: AlsoInTransaction<Token>): Promise<boolean> {
      return db.transaction().execute(async (trx) => {
        const token = await tokens.deleteById(tokenId, trx);
        if (token === undefined) return false;
        await events.emit('token.deleted', { token }, { trx });
        await runAlso(also, trx, token);
        return true;
      });
    },

    /**
     * Deletes several tokens in one transaction (the admin's "delete selected"); `also` runs for
     * each one deleted. Returns the tokens that existed.
     */
    async deleteMany(tokenIds: readonly number[], also?: AlsoInTransaction<Token>): Promise<Token[]> {
      return db.transaction().execute(async (trx) => {
        const deleted: Token[] = [];
        for (const tokenId of tokenIds) {
          const token = await tokens.deleteById(tokenId, trx);
          if (token === undefined) continue;
          await events.emit('token.deleted', { token }, { trx });
          await runAlso(also, trx, token);
          deleted.push(token);
        }
        return deleted;
      });
    },

    /** Revokes every token of a user; returns how many were deleted. */
    async deleteAllForUser(user: User): Promise<number> {
      return db.transaction().execute(async (trx) => {
        const deleted = await tokens.deleteForUser(user.id, trx);
        for (const token of deleted) await events.emit('token.deleted', { token }, { trx });
        return deleted.length;
      });
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

/** The token service's interface. */
export type TokenService = ReturnType<typeof createTokenService>;
