// Schemas documented once, under `components.schemas`, and referenced from the operations.
import type { FastifyInstance } from 'fastify';
import type { TSchema } from 'typebox';

/**
 * Registers each schema that has an `$id` (its component name) with the app, once: the document
 * lists every registered schema under `components.schemas`, and the operations that embed one get
 * a `$ref` to it instead (see referenceShared in openapi.ts).
 */
export function documentSchemas(app: FastifyInstance, schemas: readonly TSchema[]): void {
  for (const schema of schemas) {
    const id = (schema as { $id?: unknown }).$id;
    if (typeof id === 'string' && app.getSchema(id) === undefined) app.addSchema(schema);
  }
}
