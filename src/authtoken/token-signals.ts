// The seed's post_save receiver: every new user gets a token, in the transaction that created it.
import type { EventBus } from '../signals/event-bus.js';
import type { TokenService } from './token-service.js';

/**
 * Registers the built-in `user.created` listener. Under the `hashed` policy nobody could ever see
 * an automatically created key, so the listener only acts under `drf`.
 */
export function registerAutoCreateToken(events: EventBus, tokens: TokenService): () => void {
  return events.on('user.created', async ({ user }, { trx }) => {
    if (tokens.policy !== 'drf') return;
    await tokens.createInTransaction(user, trx);
  });
}
