// Work that must commit or roll back together with a service's write (the admin's change log).
import type { Transaction } from 'kysely';
import type { Database } from './schema.js';

/**
 * Runs inside the transaction of a write, after the write, with what it produced. Throwing rolls
 * the write back. The admin site records who changed what this way, in the same transaction.
 */
export type AlsoInTransaction<T> = (trx: Transaction<Database>, result: T) => Promise<void>;

/** Runs `also` when given; a no-op otherwise. */
export async function runAlso<T>(
  also: AlsoInTransaction<T> | undefined,
  trx: Transaction<Database>,
  result: T,
): Promise<void> {
  if (also !== undefined) await also(trx, result);
}
