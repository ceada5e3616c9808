// Test support for the OpenAPI document: fetching the live /openapi.json and walking its operations.
import assert from 'node:assert/strict';

/** A parsed JSON object. */
export type Json = Record<string, unknown>;

/** The HTTP methods an OpenAPI path item may hold operations for. */
export const OPERATION_METHODS = [
  'get',
  'put',
  'post',
  'delete',
  'options',
  'head',
  'patch',
  'trace',
] as const;

/** One operation of the document, with where it lives. */
export interface DocumentedOperation {
  readonly path: string;
  readonly method: (typeof OPERATION_METHODS)[number];
  readonly operation: Json;
}

/** Narrows a JSON value to an object, failing the test when it is not one. */
export function object(value: unknown, what: string): Json {
  assert.ok(typeof value === 'object' && value !== null && !Array.isArray(value), `${what} is an object`);
  return value as Json;
}

/** The document as a client gets it: GET /openapi.json over HTTP from a running server. */
export async function fetchDocument(base: string): Promise<Json> {
  const response = await fetch(`${base}/openapi.json`);
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /^application\/json(;|$)/);
  return object(await response.json(), 'the document');
}

/** Every operation of the document, in document order. */
export function operationsOf(document: Json): DocumentedOperation[] {
  const paths = object(document.paths, 'paths');
  return Object.entries(paths).flatMap(([path, item]) =>
    OPERATION_METHODS.filter((method) => method in object(item, path)).map((method) => ({
      path,
      method,
      operation: object(object(item, path)[method], `${method} ${path}`),
    })),
  );
}
