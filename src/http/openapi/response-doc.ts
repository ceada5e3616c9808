// One answer of an operation in the OpenAPI document: its description, body schema, example and headers.
import type { TSchema } from 'typebox';

/** A response header, always sent with its response. */
export interface HeaderDoc {
  readonly description: string;
  readonly schema: Readonly<Record<string, unknown>>;
}

/** One status an operation answers with. */
export interface ResponseDoc {
  readonly description: string;
  /** The body's schema; none for an empty body (204). */
  readonly schema?: TSchema;
  /** A body the operation sends with this status (from the error classes, for errors). */
  readonly example?: unknown;
  readonly headers?: Readonly<Record<string, HeaderDoc>>;
}
