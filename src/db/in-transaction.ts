// How a service call joins its caller's transaction (the admin's change log commits with the write).
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';

/**
 * The option of a service write that may join a caller's transaction. With `trx` the write runs
 * in it, and the caller commits or rolls back everything together (the admin records who changed
 * what this way); without, the service opens and commits a transaction of its own. A call that
 * throws inside a joined transaction may have left it unusable (PostgreSQL aborts a transaction
 * at its first failed statement): let the error end it.
 */
export interface TransactionOption {
  /** The caller's open transaction, for the write to join. */
  readonly trx?: Transaction<Database>;
}

/** Runs `work` in `trx` when given, else in a new transaction of `db`. */
export function inTransaction<T>(
  db: Kysely<Database>,
  trx: Transaction<Database> | undefined,
  work: (trx: Transaction<Database>) => Promise<T>,
): Promise<T> {
  return trx === undefined ? db.transaction().execute(work) : work(trx);
}
