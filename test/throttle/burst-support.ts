// Bursts of concurrent password guesses over real sockets, for the brute-force limit's concurrency tests.
import assert from 'node:assert/strict';
import { send, type RawResponse } from '../production/support.js';
import { csrfTokenIn, formBody } from '../sessions/session-client.js';

/** How long one request of a burst may take: every guess that is let through is an argon2 check. */
const BURST_REQUEST_MS = 120_000;

/** POSTs username and password as a form to `/gettoken/` on a fresh connection. */
export function getToken(
  base: string,
  username: string,
  password: string,
  headers: Record<string, string> = {},
): Promise<RawResponse> {
  return send(`${base}/gettoken/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: formBody({ username, password }),
    timeoutMs: BURST_REQUEST_MS,
  });
}

/** The admin login form's CSRF cookie and token, as a browser gets them before posting. */
export interface AdminLoginForm {
  readonly cookie: string;
  readonly token: string;
}

/** GETs `/admin/login/` and keeps its CSRF cookie and the form's token. */
export async function adminLoginForm(base: string): Promise<AdminLoginForm> {
  const page = await send(`${base}/admin/login/`, { headers: { accept: 'text/html' } });
  assert.equal(page.status, 200, page.body);
  const cookie = [page.headers['set-cookie'] ?? []]
    .flat()
    .map((line) => line.slice(0, line.indexOf(';')))
    .join('; ');
  assert.match(cookie, /csrfsecret=/);
  return { cookie, token: csrfTokenIn(page.body) };
}

/** POSTs the admin login form with the CSRF cookie and token, on a fresh connection. */
export function adminLogin(
  base: string,
  form: AdminLoginForm,
  username: string,
  password: string,
): Promise<RawResponse> {
  return send(`${base}/admin/login/`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'text/html',
      cookie: form.cookie,
    },
    body: formBody({ username, password, next: '/admin/', csrfmiddlewaretoken: form.token }),
    timeoutMs: BURST_REQUEST_MS,
  });
}

/** What a burst got back. */
export interface BurstResult {
  /** How many answers had each status code. */
  readonly statuses: ReadonlyMap<number, number>;
  /** The answer to the right password, sent as soon as the first guess was refused (null: none was). */
  readonly right: RawResponse | null;
}

/**
 * Sends `count` guesses at once (`guess(i)`, each on its own connection) and, the moment the first
 * answer is a 429 — the limit is spent while most guesses are still in flight — the right password
 * (`right()`), in the same burst.
 */
export async function burst(
  count: number,
  guess: (i: number) => Promise<RawResponse>,
  right: () => Promise<RawResponse>,
): Promise<BurstResult> {
  const fired: { right: Promise<RawResponse> | null } = { right: null };
  const answers = await Promise.all(
    Array.from({ length: count }, (_, i) =>
      guess(i).then((answer) => {
        if (answer.status === 429 && fired.right === null) fired.right = right();
        return answer;
      }),
    ),
  );
  const statuses = new Map<number, number>();
  for (const answer of answers) statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
  return { statuses, right: fired.right === null ? null : await fired.right };
}

/** `{400: 10, 429: 90}`: a burst's statuses for assertion messages. */
export function describeStatuses(statuses: ReadonlyMap<number, number>): string {
  return JSON.stringify(Object.fromEntries([...statuses].sort(([a], [b]) => a - b)));
}
