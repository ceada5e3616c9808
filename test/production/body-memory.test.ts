// 16 concurrent 100 MB multipart uploads without credentials: a `keygate serve` process stays small.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  createTestDatabase,
  POSTGRES_AVAILABLE,
  PG_ADMIN_URL,
  runCli,
  type TestDatabase,
} from '../helpers.js';
import { byteLength, multipartBody, upload } from '../http/raw-upload.js';
import {
  cleanEnv,
  freePort,
  startServe,
  stopServe,
  waitUntilAnswering,
  type ServeProcess,
} from './support.js';

const MiB = 1_048_576;
const BOUNDARY = '----keygate-memory-test';
const CONCURRENT = 16;
/**
 * How much a process may grow while refusing them all. Each request may hold up to the 1 MiB limit
 * plus what busboy and the socket buffer; reading the bodies whole took the process to 1.77 GB.
 */
const GROWTH_BOUND = 128 * MiB;

/** A field of /proc/<pid>/status, in bytes. */
function statusBytes(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  assert.ok(match, `no ${field} for ${pid}`);
  return Number(match[1]) * 1024;
}

for (const dialect of ['sqlite', 'postgres'] as const) {
  const skip =
    dialect === 'postgres' && !POSTGRES_AVAILABLE ? `PostgreSQL not reachable at ${PG_ADMIN_URL}` : false;
  describe(
    `${CONCURRENT} concurrent 100 MB multipart uploads to keygate serve [${dialect}]`,
    { skip },
    () => {
      let dir = '';
      let database: TestDatabase | null = null;
      let server: ServeProcess | null = null;

      before(async () => {
        dir = mkdtempSync(join(tmpdir(), 'keygate-memory-'));
        database =
          dialect === 'sqlite'
            ? { dialect, url: `sqlite:${join(dir, 'keygate.sqlite3')}`, drop: () => Promise.resolve() }
            : await createTestDatabase('postgres');
        const env = cleanEnv({ DATABASE_URL: database.url });
        if (dialect === 'postgres') {
          const migrated = await runCli(['migrate'], env);
          assert.equal(migrated.code, 0, migrated.stderr);
        }
        server = startServe(env, await freePort());
        await waitUntilAnswering(server);
      });

      after(async () => {
        await stopServe(server);
        await database?.drop();
        rmSync(dir, { recursive: true, force: true });
      });

      it('are all refused with a 413 before they are read, and the server barely grows', async (t) => {
        const { pid, port } = server!;
        const total = byteLength(multipartBody(BOUNDARY, 100, 1_000_000));
        // Settle, then reset the peak (VmHWM) so that it measures this burst alone.
        await upload({ port, path: '/gettoken/', headers: { 'content-length': '0' }, body: [] });
        const baseline = statusBytes(pid, 'VmRSS');
        writeFileSync(`/proc/${pid}/clear_refs`, '5');

        const started = performance.now();
        const results = await Promise.all(
          Array.from({ length: CONCURRENT }, (_, i) =>
            upload({
              port,
              path: i % 4 === 0 ? '/customtoken/' : '/gettoken/',
              // Half announce their length (refused unread), half are chunked (cut off at 1 MiB).
              headers: {
                'content-type': `multipart/form-data; boundary=${BOUNDARY}`,
                ...(i % 2 === 0 && { 'content-length': String(total) }),
              },
              body: multipartBody(BOUNDARY, 100, 1_000_000),
              chunked: i % 2 === 1,
            }),
          ),
        );
        const elapsed = performance.now() - started;
        const peak = statusBytes(pid, 'VmHWM');
        const sent = results.reduce((sum, r) => sum + r.sentBeforeResponse, 0);
        const firstByte = Math.max(...results.map((r) => r.elapsedMs));
        t.diagnostic(
          `${CONCURRENT} × ${total} bytes: every answer began within ${Math.round(firstByte)} ms ` +
            `(all closed within ${Math.round(elapsed)} ms), ` +
            `${Math.round(sent / MiB)} MiB sent in all before the answers, ` +
            `RSS ${Math.round(baseline / MiB)} MiB -> peak ${Math.round(peak / MiB)} MiB`,
        );
        for (const [i, result] of results.entries()) {
          assert.equal(
            result.status,
            413,
            `request ${i}: ${JSON.stringify({ ...result, headers: undefined })}`,
          );
          assert.equal(result.body, '{"detail":"Request body is too large."}');
          assert.equal(result.sentAll, false);
          assert.ok(result.closedByServer);
        }
        assert.ok(
          peak - baseline < GROWTH_BOUND,
          `the server grew by ${Math.round((peak - baseline) / MiB)} MiB`,
        );
        // The server still answers normally afterwards.
        const after = await upload({ port, path: '/healthz', method: 'GET', headers: {}, body: [] });
        assert.equal(after.status, 200);
      });
    },
  );
}
