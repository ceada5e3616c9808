// A small typed event bus: Django's signals, run inside the transaction that caused them.
import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Token } from '../authtoken/token.js';
import type { User } from '../users/user.js';

/** Every event keygate emits, with its payload. */
export interface KeygateEvents {
  'user.created': { readonly user: User };
  'user.updated': { readonly user: User; readonly changed: readonly string[] };
  /**
   * Before a user's row is deleted, in the same transaction (Django's pre_delete): listeners
   * delete what belongs to the user (the tokens module deletes the tokens). Also emitted when the
   * row turns out to be gone already; `user.deleted` follows only when it was deleted.
   */
  'user.deleting': { readonly user: User };
  'user.deleted': { readonly user: User };
  'token.created': { readonly token: Token; readonly user: User };
  'token.deleted': { readonly token: Token };
}

export type EventName = keyof KeygateEvents;

/** What a listener gets besides the payload: the open transaction, to write in it. */
export interface EventContext {
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
