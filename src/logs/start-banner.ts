// What `keygate serve` prints once at start for a person at a terminal, as Django's runserver does.
import type { AddressInfo } from 'node:net';

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** What the banner says. */
export interface BannerFacts {
  /** keygate's version. */
  readonly version: string;
  /** Where the server answers: `http://127.0.0.1:8000/`. */
  readonly url: string;
  /** The database, without a password (see describeDatabase). */
  readonly database: string;
  /** Server processes (`--workers`). */
  readonly workers: number;
}

/** The URL a server listening on `address` answers at; `https` when keygate terminates TLS. */
export function listeningUrl(address: Pick<AddressInfo, 'address' | 'port'>, tls: boolean): string {
  const host = address.address.includes(':') ? `[${address.address}]` : address.address;
  return `${tls ? 'https' : 'http'}://${host}:${address.port}/`;
}

const two = (n: number): string => String(n).padStart(2, '0');

/**
 * The start-up banner, local time first as runserver prints it:
 *
 * ```
 * December 06, 2026 - 13:20:01
 * keygate version 0.3.0, database SQLite file /srv/app/data/keygate.sqlite3, 1 worker
 * Starting development server at http://127.0.0.1:8000/
 * Quit the server with CONTROL-C.
 *
 * ```
 */
export function startBanner(facts: BannerFacts, now = new Date()): string {
  const date =
    `${MONTHS[now.getMonth()]} ${two(now.getDate())}, ${now.getFullYear()} - ` +
    `${two(now.getHours())}:${two(now.getMinutes())}:${two(now.getSeconds())}`;
  const workers = `${facts.workers} ${facts.workers === 1 ? 'worker' : 'workers'}`;
  return [
    date,
    `keygate version ${facts.version}, database ${facts.database}, ${workers}`,
    `Starting development server at ${facts.url}`,
    'Quit the server with CONTROL-C.',
    '',
    '',
  ].join('\n');
}
