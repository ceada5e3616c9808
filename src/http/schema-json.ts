// Responses serialised from their TypeBox schemas: fast-json-stringify compiles, once per schema,
// code that writes exactly what JSON.stringify would for data of that shape, without walking it.
import build from 'fast-json-stringify';
import type { TSchema } from 'typebox';

/** Compact JSON of data of one known shape (DRF's renderer's escaping is applied after). */
export type JsonSerializer = (data: unknown) => string;

/**
 * Compiles `schema` (an object schema listing every field in wire order, all required: a missing
 * one is a bug and throws). Strings are escaped as JSON.stringify escapes them.
 */
export function compileJson(schema: TSchema): JsonSerializer {
  return build(schema as Parameters<typeof build>[0]);
}

/** The schema of DRF's LimitOffsetPagination body whose results are items of `item`. */
export function pageSchemaOf(item: TSchema): TSchema {
  return {
    type: 'object',
    properties: {
      count: { type: 'integer' },
      next: { type: ['string', 'null'] },
      previous: { type: ['string', 'null'] },
      results: { type: 'array', items: item },
    },
    required: ['count', 'next', 'previous', 'results'],
  };
}
