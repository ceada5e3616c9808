// The database as the admin engine sees it: tables and columns named by a section's definition.
import type { ExpressionBuilder, Kysely, SelectQueryBuilder, Transaction } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any -- a definition names its table and columns as
   strings (it may be generated from a model), so the engine queries an untyped view of the database. */
/** The database as the engine queries it: tables and columns named by the definition. */
export type AnyDatabase = Kysely<any>;
/** A transaction on {@link AnyDatabase}, as hooks receive it. */
export type AnyTransaction = Transaction<any>;
/** The expression builder a filter's condition is built with. */
export type AnyExpressionBuilder = ExpressionBuilder<any, any>;
/** A select query the engine adds conditions, order and columns to. */
export type AnySelect = SelectQueryBuilder<any, any, object>;
/* eslint-enable @typescript-eslint/no-explicit-any */
