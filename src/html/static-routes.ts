// GET /static/<file>: the stylesheet and script of keygate's pages, served by keygate (no CDN).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { STATIC_DIR } from './templates.js';

/** The files under /static/ and their media types. */
const FILES: Readonly<Record<string, string>> = {
  'keygate.css': 'text/css; charset=utf-8',
  'browsable-api.js': 'text/javascript; charset=utf-8',
  'admin.js': 'text/javascript; charset=utf-8',
  'admin-token.js': 'text/javascript; charset=utf-8',
};

/** Registers one route per static file; each is read once, at startup, and served from memory. */
export function registerStaticRoutes(app: FastifyInstance): void {
  for (const [name, type] of Object.entries(FILES)) {
    const body = readFileSync(join(STATIC_DIR, name));
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
    app.get(`/static/${name}`, { schema: { hide: true } }, async (request, reply) => {
      void reply.header('etag', etag).header('cache-control', 'public, max-age=3600');
      if (request.headers['if-none-match'] === etag) return reply.code(304).send();
      return reply.type(type).send(body);
    });
  }
}
