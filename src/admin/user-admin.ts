// Users in the admin (being built).
import type { FastifyInstance } from 'fastify';
import type { AdminContext } from './admin-site.js';

/** Registers the users section. */
export function registerUserAdmin(_admin: FastifyInstance, _context: AdminContext): void {}
