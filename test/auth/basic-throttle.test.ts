// Basic authentication checks a password, so it is a password login like any other: every Basic
// header goes through the brute-force limits, on real sockets and under concurrent guesses.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeEachDialect, uniqueName, type DialectContext } from '../helpers.js';
import { PASSWORD, send, type RawResponse } from '../production/support.js';
import { burst, describeStatuses, getToken } from '../throttle/burst-support.js';

const PER_CLIENT = 10;
const BURST = 60;
const BURST_REQUEST_MS = 120_000;

/** Per user and client 10; the username's total and the address's limits out of the way. */
const LIMITS = {
  LOGIN_FAILURES_PER_USER: String(PER_CLIENT),
  LOGIN_FAILURES_PER_USER_TOTAL: '1000',
  LOGIN_FAILURES_PER_ADDRESS: '1000000',
  LOGIN_FAILURE_WINDOW: '900',
};

function basic(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

/** POST /gettoken/ with an empty form and a Basic header, on a fresh connection. */
function basicOnGetToken(base: string, username: string, password: string): Promise<RawResponse> {
  return send(`${base}/gettoken/`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: basic(username, password),
    },
    body: '',
    timeoutMs: BURST_REQUEST_MS,
  });
}

/** GET / with a Basic header, on a fresh connection. */
function basicOnRoot(base: string, username: string, password: string): Promise<RawResponse> {
  return send(`${base}/`, {
    headers: { authorization: basic(username, password) },
    timeoutMs: BURST_REQUEST_MS,
  });
}

async function createUser(ctx: () => DialectContext, prefix: string): Promise<string> {
  const user = await ctx().keygate.users.createUser({ username: uniqueName(prefix), password: PASSWORD });
  return user.username;
}

function assertThrottled(response: RawResponse, what: string): void {
  assert.equal(response.status, 429, `${what}: ${response.body}`);
  const seconds = String(response.headers['retry-after']);
  assert.match(seconds, /^\d+$/, what);
  assert.equal(
    response.body,
    JSON.stringify({ detail: `Request was throttled. Expected available in ${seconds} seconds.` }),
  );
}

describeEachDialect(
  'Basic authentication under the brute-force limits',
  (ctx) => {
    it('60 Basic guesses at once on /gettoken/: 10 passwords checked, the right one in the burst refused', async () => {
      const base = await ctx().listen();
      const username = await createUser(ctx, 'basicburst');
      const { statuses, right } = await burst(
        BURST,
        (i) => basicOnGetToken(base, username, `wrong horse ${i}`),
        () => basicOnGetToken(base, username, PASSWORD),
      );
      // A checked wrong password is BasicAuthentication's 403; a refused guess is never checked.
      assert.equal(statuses.get(403), PER_CLIENT, `passwords checked: ${describeStatuses(statuses)}`);
      assert.equal(statuses.get(429), BURST - PER_CLIENT, describeStatuses(statuses));
      assert.ok(right, 'a guess was refused, and the right password was sent in the burst');
      assertThrottled(right, 'the right password in the burst');
      // The same counters as every password login: the body login and the root are locked too.
      assertThrottled(await basicOnRoot(base, username, PASSWORD), 'Basic on the root after the burst');
      assertThrottled(await getToken(base, username, PASSWORD), 'the /gettoken/ body login after the burst');
    });

    it('Basic failures on the root and body logins on /gettoken/ count in one budget', async () => {
      const base = await ctx().listen();
      const username = await createUser(ctx, 'shared');
      for (let i = 0; i < PER_CLIENT / 2; i++) {
        const refused = await basicOnRoot(base, username, `wrong ${i}`);
        assert.equal(refused.status, 403, refused.body);
        assert.equal(refused.body, '{"detail":"Invalid username/password."}');
        assert.equal((await getToken(base, username, `wrong ${i}`)).status, 400);
      }
      assertThrottled(await basicOnRoot(base, username, PASSWORD), 'Basic past the limit');
      assertThrottled(await getToken(base, username, PASSWORD), 'a body login past the limit');
    });

    it("a success clears the client's counter, as for any login", async () => {
      const base = await ctx().listen();
      const username = await createUser(ctx, 'cleared');
      for (let round = 0; round < 2; round++) {
        for (let i = 0; i < PER_CLIENT - 1; i++) {
          assert.equal((await basicOnRoot(base, username, `wrong ${i}`)).status, 403);
        }
        const ok = await basicOnRoot(base, username, PASSWORD);
        assert.equal(ok.status, 200, `round ${round}: ${ok.body}`);
      }
    });
  },
  { env: LIMITS },
);
