// The request line written directly is the line pino writes with keygate's logger options, byte for byte.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { loadConfig } from '../../src/config.js';
import { loggerOptions, requestLogging } from '../../src/http/logging.js';
import type { LineFormat } from '../../src/logs/log-format.js';
import { requestLineWriter } from '../../src/logs/request-line.js';

/** The lines one app wrote, and the app: by pino (`direct` false) or by requestLineWriter. */
async function loggedApp(
  direct: boolean,
  format: LineFormat,
): Promise<{ app: FastifyInstance; lines: string[] }> {
  const lines: string[] = [];
  const sink = { write: (line: string) => void lines.push(line) };
  const config = loadConfig({ LOG_LEVEL: 'info' });
  const app = Fastify({
    logger: { ...loggerOptions(config, format), stream: sink },
    ...requestLogging(direct ? requestLineWriter(sink, format) : null),
  });
  app.decorateRequest('user', null);
  app.addHook('onRequest', (request, _reply, done) => {
    const id = request.headers['x-user'];
    if (typeof id === 'string') request.user = { id: Number(id) } as never;
    done();
  });
  app.get('/product_api/:pk/', async (request, reply) =>
    reply.send({ pk: (request.params as { pk: string }).pk }),
  );
  app.get('/empty/', async (_request, reply) => reply.code(204).send());
  await app.ready();
  return { app, lines };
}

const REQUESTS = [
  { method: 'GET', url: '/product_api/1/', headers: { 'x-user': '7', 'x-request-id': 'r1' } },
  {
    method: 'GET',
    url: '/product_api/2/?token=s3cret&limit=20&api_key=k',
    headers: { 'x-request-id': 'r2' },
  },
  { method: 'GET', url: '/product_api/%C3%A9"x/?q=a+b', headers: { 'x-request-id': 'r3' } },
  { method: 'HEAD', url: '/product_api/3/', headers: { 'x-user': '0' } },
  { method: 'GET', url: '/missing', headers: {} },
  { method: 'GET', url: '/empty/', headers: { 'x-user': '12' } },
] as const;

/** The line with what differs between two runs of one request (the clock, the request id) fixed. */
function comparable(line: string): string {
  return line
    .replace(/"time":\d+/, '"time":0')
    .replace(/"responseTime":[0-9.e-]+/, '"responseTime":0')
    .replace(/"reqId":"[0-9a-f-]{36}"/, '"reqId":"uuid"');
}

describe('requestLineWriter', () => {
  for (const format of ['json', 'text'] as const) {
    it(`writes pino's own request line (${format} options)`, async () => {
      const viaPino = await loggedApp(false, format);
      const direct = await loggedApp(true, format);
      try {
        for (const request of REQUESTS) {
          await viaPino.app.inject(request);
          await direct.app.inject(request);
        }
        await new Promise((resolve) => setImmediate(resolve));
        const completed = (lines: string[]) => lines.filter((line) => line.includes('"request completed"'));
        assert.equal(completed(direct.lines).length, REQUESTS.length);
        assert.deepEqual(completed(direct.lines).map(comparable), completed(viaPino.lines).map(comparable));
        // What the comparison rests on: the lines hold the fields, and no secret.
        const first = JSON.parse(completed(direct.lines)[0]!) as Record<string, unknown>;
        assert.equal(first.userId, 7);
        assert.equal(first.reqId, 'r1');
        assert.ok(!direct.lines.join('').includes('s3cret'));
      } finally {
        await viaPino.app.close();
        await direct.app.close();
      }
    });
  }
});
