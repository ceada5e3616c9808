// A small typed event bus: Django's signals, run inside the transaction that caused them.
import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Token } from '../authtoken/token.js';
import type { User } from '../users/user.js';

/**
 * Every event keygate emits, with its payload (Django's post_save/pre_delete/post_delete signals).
 * Each is emitted inside the transaction of the write that caused it; add listeners with
 * {@link EventBus.on} on {@link Keygate.events}.
 *
 * @example
 * keygate.events.on('user.created', async ({ user }, { trx }) => {
 *   await trx.insertInto('products').values({ ... }).execute(); // commits or rolls back with the user
 * });
 */
export interface KeygateEvents {
  /** After a user is created (their token too, when `autoCreateToken` is on). */
  'user.created': {
    /** The new user. */
    readonly user: User;
  };
  /** After a user's row changed. */
  'user.updated': {
    /** The user as saved. */
    readonly user: User;
    /** The columns that changed (`email`, `is_active`, `password`, ...). */
    readonly changed: readonly string[];
  };
  /**
   * Before a user's row is deleted, in the same transaction (Django's pre_delete): listeners
   * delete what belongs to the user (the tokens module deletes the tokens). Also emitted when the
   * row turns out to be gone already; `user.deleted` follows only when it was deleted.
   */
  'user.deleting': {
    /** The user about to be deleted. */
    readonly user: User;
  };
  /** After a user's row was deleted. */
  'user.deleted': {
    /** The user as it was. */
    readonly user: User;
  };
  /** After a token was created. */
  'token.created': {
    /** The new token (its plaintext key is not part of the event). */
    readonly token: Token;
    /** The token's owner. */
    readonly user: User;
  };
  /** After a token was deleted (revoked, reset, or deleted with its user). */
  'token.deleted': {
    /** The token as it was. */
    readonly token: Token;
  };
}

/** The name of an event: a key of {@link KeygateEvents}. */
export type EventName = keyof KeygateEvents;

/** What a listener gets besides the payload: the open transaction, to write in it. */
export interface EventContext {
  /** The Kysely transaction of the write that emitted the event; write in it to commit or roll back together. */
  readonly trx: Transaction<Database>;
}

/** A listener; throwing rolls the whole write back. */
export type Listener<E extends EventName> = (
  payload: KeygateEvents[E],
  context: EventContext,
) => Promise<void> | void;

/** Listeners per event, run in registration order, each awaited before the next. */
export class EventBus {
  readonly #listeners = new Map<EventName, Listener<never>[]>();

  /** Adds a listener; returns a function that removes it. */
  on<E extends EventName>(event: E, listener: Listener<E>): () => void {
    const list = this.#listeners.get(event) ?? [];
    list.push(listener);
    this.#listeners.set(event, list);
    return () => {
      const current = this.#listeners.get(event) ?? [];
      this.#listeners.set(
        event,
        current.filter((l) => l !== listener),
      );
    };
  }

  /** Runs every listener of `event` inside `context.trx`. */
  async emit<E extends EventName>(event: E, payload: KeygateEvents[E], context: EventContext): Promise<void> {
    for (const listener of this.#listeners.get(event) ?? []) {
      await (listener as Listener<E>)(payload, context);
    }
  }
}
