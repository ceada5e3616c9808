// LISTEN/NOTIFY between keygate processes on PostgreSQL: listeners that answer, and a writer that
// waits until every listening process has handled its notification before its caller is answered.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import type { NotificationHandlers, Notifications } from './keygate-database.js';

const RECONNECT_FIRST_MS = 250;
const RECONNECT_MAX_MS = 5_000;

/** Payloads of the notifications a waiting writer sends (others come from the triggers). */
const WAIT_PREFIX = 'wait:';

/** The session name of a process listening on `channel`: how a writer finds the listeners. */
function listenerName(channel: string): string {
  return `keygate listen ${channel}`;
}

/** The channel on which listeners answer a writer waiting on `channel`. */
function answerChannel(channel: string): string {
  return `${channel}_heard`;
}

/**
 * LISTEN on a dedicated client made from `connection`; on any loss, `down`, then reconnect with
 * back-off until closed. A notification from a waiting writer is answered once `handlers.message`
 * has run.
 */
export function listenPostgres(
  connection: pg.ClientConfig,
  channel: string,
  handlers: NotificationHandlers,
): Notifications {
  let closed = false;
  let current: pg.Client | null = null;
  let retry: NodeJS.Timeout | null = null;
  let delay = RECONNECT_FIRST_MS;

  const lost = (client: pg.Client): void => {
    if (client !== current) return;
    current = null;
    handlers.down();
    client.end().catch(() => undefined);
    if (closed) return;
    retry = setTimeout(connect, delay);
    retry.unref();
    delay = Math.min(delay * 2, RECONNECT_MAX_MS);
  };

  function connect(): void {
    retry = null;
    const client = new pg.Client(connection);
    current = client;
    client.on('error', () => lost(client));
    client.on('end', () => lost(client));
    client.on('notification', (message) => {
      const payload = message.payload ?? '';
      handlers.message(payload);
      if (payload.startsWith(WAIT_PREFIX) && client === current) {
        // The writer counts answers by this session's backend pid. A lost answer only makes it wait longer.
        client.query('SELECT pg_notify($1, $2)', [answerChannel(channel), payload]).catch(() => undefined);
      }
    });
    client
      .connect()
      .then(() => client.query(`LISTEN ${pg.escapeIdentifier(channel)}`))
      // Named only once it listens: a writer that finds this session can count on it hearing.
      .then(() => client.query(`SET application_name = ${client.escapeLiteral(listenerName(channel))}`))
      .then(() => {
        if (client !== current) return;
        delay = RECONNECT_FIRST_MS;
        handlers.up();
      })
      .catch(() => lost(client));
  }

  connect();
  return {
    async close() {
      closed = true;
      if (retry !== null) clearTimeout(retry);
      const client = current;
      current = null;
      await client?.end().catch(() => undefined);
    },
  };
}

/** The backend pids of the sessions of this database listening on a channel (by their name). */
const LISTENERS_SQL = `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1`;

/**
 * Sends notifications and waits for every listening keygate process to answer them, over one client
 * of its own (opened at the first use, reopened after a loss).
 */
export class PostgresWaiter {
  readonly #connection: pg.ClientConfig;
  #client: Promise<pg.Client> | null = null;
  /** The answer channels the current client listens on. */
  #listening = new Map<string, Promise<unknown>>();
  /** Waiting writers by payload: each is told the backend pid of every answer. */
  readonly #waiting = new Map<string, (pid: number) => void>();
  #closed = false;

  /** `connection` configures the waiter's own client. */
  constructor(connection: pg.ClientConfig) {
    this.#connection = connection;
  }

  /**
   * Notifies `channel` and resolves once every session listening on it (see {@link listenPostgres})
   * when the notification was sent has answered it, or after `withinMs` if not all do (a process
   * stopped, a connection lost, the database unreachable). Never rejects.
   */
  async notifyAndWait(channel: string, withinMs: number): Promise<void> {
    const deadline = new AbortController();
    const expired = sleep(withinMs, undefined, { signal: deadline.signal }).catch(() => undefined);
    const payload = `${WAIT_PREFIX}${randomUUID()}`;
    try {
      const answered = this.#answers(channel, payload);
      // Whoever could not be asked or did not answer: wait until the deadline.
      await Promise.race([answered.catch(() => expired), expired]);
    } finally {
      this.#waiting.delete(payload);
      deadline.abort();
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    const client = this.#client;
    this.#client = null;
    await (await client?.catch(() => null))?.end().catch(() => undefined);
  }

  async #answers(channel: string, payload: string): Promise<void> {
    const heard = new Set<number>();
    let expected: readonly number[] | null = null;
    let done = (): void => undefined;
    const all = new Promise<void>((resolve) => (done = resolve));
    const check = (): void => {
      if (expected !== null && expected.every((pid) => heard.has(pid))) done();
    };
    this.#waiting.set(payload, (pid) => {
      heard.add(pid);
      check();
    });
    const client = await this.#connect();
    await this.#listenOn(client, answerChannel(channel));
    // Listed before notifying: a session that starts listening after this has no copy from before.
    const listeners = await client.query<{ pid: number }>(LISTENERS_SQL, [listenerName(channel)]);
    expected = listeners.rows.map((row) => row.pid);
    await client.query('SELECT pg_notify($1, $2)', [channel, payload]);
    check();
    await all;
  }

  #connect(): Promise<pg.Client> {
    if (this.#closed) return Promise.reject(new Error('closed'));
    if (this.#client !== null) return this.#client;
    const client = new pg.Client(this.#connection);
    const connecting = client.connect().then(() => client);
    const lost = (): void => {
      if (this.#client !== connecting) return;
      this.#client = null;
      this.#listening = new Map();
      client.end().catch(() => undefined);
    };
    client.on('error', lost);
    client.on('end', lost);
    client.on('notification', (message) => this.#waiting.get(message.payload ?? '')?.(message.processId));
    connecting.catch(lost);
    this.#client = connecting;
    this.#listening = new Map();
    return connecting;
  }

  #listenOn(client: pg.Client, channel: string): Promise<unknown> {
    let listening = this.#listening.get(channel);
    if (listening === undefined) {
      const map = this.#listening;
      listening = client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      listening.catch(() => map.delete(channel)); // the next writer tries again
      map.set(channel, listening);
    }
    return listening;
  }
}
