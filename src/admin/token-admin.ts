// Tokens in the admin (being built).
import type { FastifyInstance } from 'fastify';
import type { AdminContext } from './admin-site.js';

/** Registers the tokens section. */
export function registerTokenAdmin(_admin: FastifyInstance, _context: AdminContext): void {}
