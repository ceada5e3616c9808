// Sessions end when they should: a password change logs the user out of every browser.
import type { EventBus } from '../signals/event-bus.js';
import type { SessionRepository } from './session-repository.js';

/**
 * Registers the `user.updated` listener that deletes a user's sessions when their password
 * changes (Django invalidates them through the session auth hash), in the same transaction.
 * Deactivation needs no listener: an inactive user's session is refused at every request.
 */
export function registerSessionInvalidation(events: EventBus, sessions: SessionRepository): () => void {
  return events.on('user.updated', async ({ user, changed }, { trx }) => {
    if (changed.includes('password')) await sessions.deleteForUser(user.id, trx);
  });
}
