// What every LoginFailureStore must do (the database's and Redis's), as tests one store runs at a time.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { LoginFailureStore } from '../../src/throttle/login-failure-store.js';
import { uniqueName } from '../helpers.js';
import { WINDOW_MS } from './login-support.js';

/** Registers the contract's tests against `store()` (called inside each test). */
export function storeContract(store: () => LoginFailureStore): void {
  const failuresOf = async (scope: string): Promise<number | undefined> =>
    (await store().read([scope]))[0]?.failures;

  it('an increment returns its own count; a release takes one back, in the same window', async () => {
    const scope = uniqueName('user:contract');
    const now = Date.now();
    const counts = [];
    for (let i = 0; i < 3; i++) counts.push(await store().increment(scope, now, now - WINDOW_MS));
    assert.deepEqual(
      counts.map((c) => c.failures),
      [1, 2, 3],
    );
    await store().release(scope, now);
    assert.equal(await failuresOf(scope), 2);
    assert.equal((await store().increment(scope, now + 1, now + 1 - WINDOW_MS)).failures, 3);
  });

  it('a release for another window, or of a cleared counter, takes nothing back', async () => {
    const scope = uniqueName('user:contract');
    const old = Date.now() - WINDOW_MS - 10;
    await store().increment(scope, old, old - WINDOW_MS);
    // A new window starts: the reservation made in the old one is gone with it.
    const now = Date.now();
    const fresh = await store().increment(scope, now, now - WINDOW_MS);
    assert.deepEqual([fresh.failures, fresh.windowStarted], [1, now]);
    await store().release(scope, old);
    assert.equal(await failuresOf(scope), 1);

    await store().clear(scope);
    await store().release(scope, now);
    assert.deepEqual(await store().read([scope]), []);
  });

  it('a release never takes a counter below zero', async () => {
    const scope = uniqueName('user:contract');
    const now = Date.now();
    await store().increment(scope, now, now - WINDOW_MS);
    await store().release(scope, now);
    await store().release(scope, now);
    assert.equal(await failuresOf(scope), 0);
    assert.equal((await store().increment(scope, now, now - WINDOW_MS)).failures, 1);
  });

  it('concurrent increments and releases are exact: 30 in, 10 back, 20 left', async () => {
    const scope = uniqueName('user:contract');
    const now = Date.now();
    const counts = await Promise.all(
      Array.from({ length: 30 }, () => store().increment(scope, now, now - WINDOW_MS)),
    );
    assert.deepEqual(
      counts.map((c) => c.failures).sort((a, b) => a - b),
      Array.from({ length: 30 }, (_, i) => i + 1),
    );
    await Promise.all(Array.from({ length: 10 }, () => store().release(scope, now)));
    assert.equal(await failuresOf(scope), 20);
  });

  it('a known address is remembered until the latest date given', async () => {
    const digest = uniqueName('known');
    const now = Date.now();
    assert.equal(await store().knownUntil(digest), null);
    await store().remember(digest, now + 60_000, now);
    assert.equal(await store().knownUntil(digest), now + 60_000);
    // Two logins racing: the earlier date never replaces the later one.
    await store().remember(digest, now + 30_000, now);
    assert.equal(await store().knownUntil(digest), now + 60_000);
    await store().remember(digest, now + 90_000, now);
    assert.equal(await store().knownUntil(digest), now + 90_000);
  });
}
