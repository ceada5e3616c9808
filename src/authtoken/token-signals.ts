// The tokens module's listeners: a token with each new user (the seed's post_save receiver), and
// a user's tokens deleted with the user; both in the transaction that caused them.
import type { EventBus } from '../signals/event-bus.js';
import type { TokenService } from './token-service.js';

/**
 * Registers the `user.created` listener that gives every new user a token (AUTO_CREATE_TOKEN),
 * where the policy allows it: a key nobody saw at creation must be one that can be shown later.
 */
export function registerAutoCreateToken(events: EventBus, tokens: TokenService): () => void {
  return events.on('user.created', async ({ user }, { trx }) => {
    if (!tokens.policy.createsTokenWithUser) return;
    await tokens.create(user, {}, { trx });
  });
}

/**
 * Registers the `user.deleting` listener that deletes the user's tokens (a `token.deleted` each)
 * before the user's row goes. The foreign key would cascade anyway; this way the tokens module
 * announces what it loses, and the users module never touches the tokens table.
 */
export function registerTokenDeletionWithUser(events: EventBus, tokens: TokenService): () => void {
  return events.on('user.deleting', async ({ user }, { trx }) => {
    await tokens.deleteAllForUser(user, { trx });
  });
}
