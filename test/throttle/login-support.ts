// What the login-throttle tests share, whichever store (database, Redis) keeps the counters.
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import type { DialectContext } from '../helpers.js';

/**
 * Small limits so that tests reach them quickly: 3 per username per client (address or device
 * cookie), 6 per username from never-seen addresses, 5 per address.
 */
export const LIMITS = {
  LOGIN_FAILURES_PER_USER: '3',
  LOGIN_FAILURES_PER_USER_TOTAL: '6',
  LOGIN_FAILURES_PER_ADDRESS: '5',
  LOGIN_FAILURE_WINDOW: '60',
};
export const WINDOW_MS = 60_000;
export const PASSWORD = 'correct horse';
export const INVALID_CREDENTIALS = JSON.stringify({
  non_field_errors: ['Unable to log in with provided credentials.'],
});

/**
 * Client addresses no other test of the file uses, so each test starts with empty address
 * counters; `second` sets the second octet's base (keep files apart).
 */
export function addressSource(second: number): () => string {
  let counter = 0;
  return () => {
    counter += 1;
    return `10.${second + Math.floor(counter / 250)}.${process.pid % 250}.${(counter % 250) + 1}`;
  };
}

/** POSTs credentials as JSON from `address`. */
export function login(
  ctx: () => DialectContext,
  username: string,
  password: string,
  address: string,
  url = '/gettoken/',
): Promise<LightMyRequestResponse> {
  return ctx().app.inject({
    method: 'POST',
    url,
    remoteAddress: address,
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify({ username, password }),
  });
}

/** Asserts a 429 with DRF's throttled body and a matching Retry-After; returns the seconds. */
export function assertThrottled(response: LightMyRequestResponse): number {
  assert.equal(response.statusCode, 429, response.body);
  assert.equal(response.headers['content-type'], 'application/json');
  const retryAfter = Number(response.headers['retry-after']);
  assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);
  assert.equal(
    response.body,
    JSON.stringify({ detail: `Request was throttled. Expected available in ${retryAfter} seconds.` }),
  );
  return retryAfter;
}

export function assertInvalid(response: LightMyRequestResponse): void {
  assert.equal(response.statusCode, 400, response.body);
  assert.equal(response.body, INVALID_CREDENTIALS);
}

export function assertLoggedIn(response: LightMyRequestResponse): void {
  assert.equal(response.statusCode, 200, response.body);
  assert.match(response.body, /^\{"(token|Token)":"/);
}
