// /healthz (the process answers) and /readyz (the database answers and its schema is current).
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { pendingMigrations } from '../db/migrate.js';

/** How long /readyz waits for the database before calling it unavailable. */
const READY_TIMEOUT_MS = 2000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/** Registers the probes; neither needs authentication, and neither reveals configuration. */
export function registerHealthRoutes(app: FastifyInstance): void {
  const { database, migrations } = app.keygate;
  // Once every migration is applied it stays applied; only the first successful check queries for it.
  let schemaCurrent = false;

  const hide = { schema: { hide: true } };
  app.get('/healthz', hide, async (_request, reply) => {
    return reply.type('application/json').send(Buffer.from('{"status":"ok"}'));
  });

  app.get('/readyz', hide, async (request, reply) => {
    try {
      await withTimeout(sql`select 1`.execute(database.db), READY_TIMEOUT_MS);
      if (!schemaCurrent) {
        const pending = await withTimeout(pendingMigrations(database, migrations), READY_TIMEOUT_MS);
        if (pending.length > 0) {
          return reply
            .code(503)
            .type('application/json')
            .send(Buffer.from(JSON.stringify({ status: 'unavailable', reason: 'migrations pending' })));
        }
        schemaCurrent = true;
      }
      return reply.type('application/json').send(Buffer.from('{"status":"ready"}'));
    } catch (error) {
      request.log.warn({ err: error }, 'readiness check failed');
      return reply
        .code(503)
        .type('application/json')
        .send(Buffer.from(JSON.stringify({ status: 'unavailable', reason: 'database unreachable' })));
    }
  });
}
