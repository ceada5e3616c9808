// Creating users, checking their passwords and changing their state; emits the user.* events.
import type { Transaction } from 'kysely';
import type { KeygateDatabase } from '../db/keygate-database.js';
import { inTransaction, type TransactionOption } from '../db/in-transaction.js';
import type { Database, UserUpdate } from '../db/schema.js';
import { DoesNotExist, ValidationError, type FieldErrors } from '../errors.js';
import type { EventBus } from '../signals/event-bus.js';
import { nowTimestamp } from '../time.js';
import {
  checkDummyPassword,
  checkPassword,
  hashPassword,
  unusablePassword,
  type PreparedPassword,
} from './passwords.js';
import {
  passwordHelpTexts,
  validatePassword,
  type PasswordUser,
  type PasswordValidator,
} from './password-validators.js';
import type { User } from './user.js';
import type { UserRepository } from './user-repository.js';
import type { NewUser, UserDetails } from './user-input.js';
import { emailErrors, nameErrors, usernameErrors } from './user-validation.js';

/** The dependencies of the user service. */
export interface UserServiceDeps {
  readonly database: KeygateDatabase;
  readonly users: UserRepository;
  readonly events: EventBus;
  /** The rules every new password must pass (Django's AUTH_PASSWORD_VALIDATORS); empty: none. */
  readonly passwordValidators: readonly PasswordValidator[];
}

/** Creates the user service. */
export function createUserService({ database, users, events, passwordValidators }: UserServiceDeps) {
  const db = database.db;

  /** Throws ValidationError (field `password`) with the validators' messages, if any. */
  function requireValidPassword(password: string, user: PasswordUser | undefined): void {
    const messages = validatePassword(password, user, passwordValidators);
    if (messages.length > 0) throw new ValidationError({ password: messages });
  }

  async function requireUser(username: string): Promise<User> {
    const user = await users.findByUsername(username);
    if (!user) throw new DoesNotExist(`user ${username} does not exist`);
    return user;
  }

  /**
   * Deletes `user` in `trx`: `user.deleting` first (what belongs to the user goes there: the tokens
   * module deletes the tokens), then the row, then `user.deleted`. False when already gone.
   */
  async function deleteIn(trx: Transaction<Database>, user: User): Promise<boolean> {
    await events.emit('user.deleting', { user }, { trx });
    if (!(await users.delete(user.id, trx))) return false;
    await events.emit('user.deleted', { user }, { trx });
    return true;
  }

  async function update(user: User, changes: UserUpdate, changed: string[], trx?: Transaction<Database>) {
    return inTransaction(db, trx, async (trx) => {
      const updated = await users.update(user.id, changes, trx);
      if (!updated) throw new DoesNotExist(`user ${user.username} does not exist`);
      await events.emit('user.updated', { user: updated, changed }, { trx });
      return updated;
    });
  }

  /** The hash to store: a prepared password's, or a new one (validated by the caller). */
  async function hashOf(password: string | PreparedPassword): Promise<string> {
    return typeof password === 'string' ? hashPassword(password) : password.hash;
  }

  return {
    /**
     * Django's validate_password with the configured validators: every message for `password`,
     * compared with `user`'s attributes; empty when it may be set.
     */
    passwordErrors: (password: string, user?: PasswordUser): string[] =>
      validatePassword(password, user, passwordValidators),

    /** What the configured validators ask of a password, one sentence each, in order. */
    passwordHelpTexts: (): string[] => passwordHelpTexts(passwordValidators),

    /**
     * Validates `password` against `user` (ValidationError, field `password`, when refused) and
     * hashes it, before the caller opens the transaction that {@link UserService.createUser} or
     * {@link UserService.changePassword} joins.
     */
    async preparePassword(password: string, user?: PasswordUser): Promise<PreparedPassword> {
      requireValidPassword(password, user);
      return { hash: await hashPassword(password) } as PreparedPassword;
    },

    /**
     * Creates a user and emits `user.created` in the same transaction (the built-in listener
     * creates its token there). Throws ValidationError for a bad or taken username or e-mail, or
     * a password the validators refuse (unless `skipPasswordValidation`). With `trx`, joins the
     * caller's transaction (pass a prepared password then: the hash is slow).
     */
    async createUser(input: NewUser, { trx }: TransactionOption = {}): Promise<User> {
      const errors: FieldErrors = {};
      const username = usernameErrors(input.username);
      if (username.length > 0) errors.username = username;
      const email = emailErrors(input.email ?? '');
      if (email.length > 0) errors.email = email;
      Object.assign(errors, nameErrors(input.firstName, input.lastName));
      if (typeof input.password === 'string' && input.skipPasswordValidation !== true) {
        // Compared with the username only when it is valid, as Django's form has none otherwise.
        const account: PasswordUser = {
          username: username.length > 0 ? '' : input.username,
          firstName: input.firstName,
          lastName: input.lastName,
          email: input.email,
        };
        const password = validatePassword(input.password, account, passwordValidators);
        if (password.length > 0) errors.password = password;
      }
      if (Object.keys(errors).length > 0) throw new ValidationError(errors);

      const passwordHash = input.password === null ? unusablePassword() : await hashOf(input.password);
      try {
        return await inTransaction(db, trx, async (trx) => {
          const user = await users.insert(
            {
              username: input.username,
              email: input.email ?? '',
              password: passwordHash,
              first_name: input.firstName ?? '',
              last_name: input.lastName ?? '',
              is_active: input.isActive ?? true,
              is_staff: input.isStaff ?? false,
              is_superuser: input.isSuperuser ?? false,
              date_joined: nowTimestamp(),
            },
            trx,
          );
          await events.emit('user.created', { user }, { trx });
          return user;
        });
      } catch (error) {
        if (database.isUniqueViolation(error)) {
          throw new ValidationError({ username: ['A user with that username already exists.'] });
        }
        throw error;
      }
    },

    /**
     * Django's ModelBackend: the user if the username matches exactly, the password checks and the
     * account is active; otherwise null. An unknown username costs one hash check all the same.
     * A hash of an older kind is replaced with argon2id on success.
     */
    async authenticate(username: string, password: string): Promise<User | null> {
      const found = await users.findWithPassword(username);
      if (!found) {
        await checkDummyPassword(password);
        return null;
      }
      const check = await checkPassword(password, found.passwordHash);
      if (!check.ok || !found.user.isActive) return null;
      if (check.needsRehash) {
        await users.replacePasswordHash(found.user.id, found.passwordHash, await hashPassword(password));
      }
      return found.user;
    },

    /** The user with this username (case-sensitive, as Django's), or undefined. */
    findByUsername: (username: string) => users.findByUsername(username),
    /** The user with this id, or undefined. */
    findById: (id: number) => users.findById(id),
    /** The user with this username; throws `DoesNotExist` (a CLI error, not an HTTP one) when there is none. */
    requireUser,

    /** Sets a new password; throws ValidationError when the validators refuse it. */
    async setPassword(username: string, password: string): Promise<User> {
      const user = await requireUser(username);
      requireValidPassword(password, user);
      return update(user, { password: await hashPassword(password) }, ['password']);
    },

    /**
     * Sets `user`'s password, hashed before the transaction opens; throws ValidationError when
     * the validators refuse it. A prepared password was validated already; pass one with `trx`.
     */
    async changePassword(
      user: User,
      password: string | PreparedPassword,
      { trx }: TransactionOption = {},
    ): Promise<User> {
      if (typeof password === 'string') requireValidPassword(password, user);
      return update(user, { password: await hashOf(password) }, ['password'], trx);
    },

    /**
     * Changes the fields an administrator edits; only fields whose value differs are written and
     * named in `user.updated`. Throws ValidationError for a bad e-mail address.
     */
    async updateDetails(user: User, details: UserDetails, { trx }: TransactionOption = {}): Promise<User> {
      const errors: FieldErrors = {};
      const email = emailErrors(details.email ?? '');
      if (email.length > 0) errors.email = email;
      Object.assign(errors, nameErrors(details.firstName, details.lastName));
      if (Object.keys(errors).length > 0) throw new ValidationError(errors);
      const changes: UserUpdate = {};
      const changed: string[] = [];
      const fields = [
        ['email', 'email', user.email],
        ['firstName', 'first_name', user.firstName],
        ['lastName', 'last_name', user.lastName],
        ['isActive', 'is_active', user.isActive],
        ['isStaff', 'is_staff', user.isStaff],
        ['isSuperuser', 'is_superuser', user.isSuperuser],
      ] as const;
      for (const [field, column, current] of fields) {
        const value = details[field];
        if (value === undefined || value === current) continue;
        (changes as Record<string, unknown>)[column] = value;
        changed.push(column);
      }
      if (changed.length === 0) return user;
      return update(user, changes, changed, trx);
    },

    /**
     * Deletes a user and all that is theirs, in one transaction: `user.deleting` (its listeners
     * delete what they own: the tokens module the user's tokens, with a `token.deleted` each), the
     * row (the foreign keys cascade to anything left), then `user.deleted`. False when the user was
     * already gone.
     */
    async deleteUser(user: User, { trx }: TransactionOption = {}): Promise<boolean> {
      return inTransaction(db, trx, (trx) => deleteIn(trx, user));
    },

    /**
     * Deletes several users as {@link UserService.deleteUser} does, all in one transaction (the admin's "delete
     * selected"). Returns the users that were still there.
     */
    async deleteUsers(targets: readonly User[], { trx }: TransactionOption = {}): Promise<User[]> {
      return inTransaction(db, trx, async (trx) => {
        const deleted: User[] = [];
        for (const user of targets) if (await deleteIn(trx, user)) deleted.push(user);
        return deleted;
      });
    },

    /** Activates or deactivates an account; an inactive user's token stops working at once. */
    async setActive(username: string, active: boolean): Promise<User> {
      const user = await requireUser(username);
      return update(user, { is_active: active }, ['is_active']);
    },

    /** Records a successful interactive login. */
    async touchLastLogin(user: User): Promise<void> {
      await users.update(user.id, { last_login: nowTimestamp() });
    },
  };
}

/**
 * Users: create, find, update, delete and check passwords, as Django's `User` manager and model do.
 * Every write runs in a transaction and emits its {@link KeygateEvents} event inside it.
 *
 * @interface
 */
export type UserService = ReturnType<typeof createUserService>;
