// The benchmark's Fastify floor answers keygate's bytes: a real floor process on each database beside a real keygate.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, it } from 'node:test';
import { captureResponse, type CannedResponse } from '../../bench/canned-response.js';
import { floorDifference, startFloor, verifyFloor } from '../../bench/floor.js';
import { stopProcess, type RunningProcess } from '../../bench/processes.js';
import { workloads, type Workload } from '../../bench/workloads.js';
import { describeEachDialect, freePort, uniqueName } from '../helpers.js';

describeEachDialect('bench Fastify floor', (ctx) => {
  let keygateUrl = '';
  let floorUrl = '';
  let floor: RunningProcess | undefined;
  let tmp = '';
  let token = '';
  let list: Workload[] = [];
  const canned: CannedResponse[] = [];

  before(async () => {
    const user = await ctx().keygate.users.createUser({
      username: uniqueName('bench'),
      password: 'pw pw pw pw',
    });
    token = (await ctx().keygate.tokens.getOrCreate(user)).key ?? '';
    keygateUrl = await ctx().listen();
    // 25 products, one with characters JSON must escape, so the list has a next page.
    for (let i = 1; i <= 25; i++) {
      const response = await fetch(`${keygateUrl}/product_api/`, {
        method: 'POST',
        headers: { Authorization: `Token ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({
          name: `Widget ${i} "ü"\\`,
          description: `line\n${i}`,
          price: `${i}.05`,
          stock: i,
        }),
      });
      assert.equal(response.status, 201);
    }
    list = workloads({ token, username: '', password: '', detailId: 3, patchId: 2 }).filter((w) =>
      ['detail', 'list', 'unauthenticated'].includes(w.id),
    );
    for (const workload of list) canned.push(await captureResponse(keygateUrl, workload.request));
    tmp = mkdtempSync(join(tmpdir(), 'keygate-floor-'));
    const responsesFile = join(tmp, 'responses.json');
    writeFileSync(responsesFile, JSON.stringify(canned));
    const port = await freePort();
    const paths = { root: resolve('.'), app: tmp, tmp, settings: {} };
    floor = await startFloor(paths, port, ctx().url, responsesFile);
    floorUrl = `http://127.0.0.1:${port}`;
  });

  after(async () => {
    if (floor !== undefined) await stopProcess(floor, 'SIGTERM', 10_000);
    if (tmp !== '') rmSync(tmp, { recursive: true, force: true });
  });

  it("answers the detail, the list of 20 and the 401 with keygate's bytes", async () => {
    assert.deepEqual(
      canned.map((c) => c.status),
      [200, 200, 401],
    );
    await verifyFloor(floorUrl, keygateUrl, list, canned);
  });

  it("answers keygate's other 401s: a wrong key, and the detail without a key", async () => {
    // keygate's request id differs per request; everything else is the same.
    const withoutId = (c: CannedResponse) => ({ ...c, headers: { ...c.headers, 'x-request-id': '' } });
    for (const [path, authorization] of [
      ['/product_api/?limit=20', 'Token nope'],
      ['/product_api/3/', 'Token nope'],
      ['/product_api/3/', undefined],
    ] as const) {
      const headers: Record<string, string> =
        authorization === undefined ? {} : { Authorization: authorization };
      const request = { method: 'GET' as const, path, headers };
      const expected = await captureResponse(keygateUrl, request);
      assert.equal(expected.status, 401);
      const answer = await captureResponse(floorUrl, request);
      assert.equal(floorDifference(withoutId(expected), withoutId(answer), keygateUrl, floorUrl), null, path);
    }
  });

  it('reports a difference in the body, a header or the status', async () => {
    const [detail] = canned;
    const answer = await captureResponse(floorUrl, list[0]!.request);
    assert.equal(floorDifference(detail!, answer, keygateUrl, floorUrl), null);
    const body = Buffer.from(Buffer.from(answer.body, 'base64').toString().replace('"stock":3', '"stock":4'));
    assert.match(
      floorDifference(detail!, { ...answer, body: body.toString('base64') }, keygateUrl, floorUrl) ?? '',
      /^body /,
    );
    const header = { ...answer, headers: { ...answer.headers, vary: 'Cookie' } };
    assert.match(floorDifference(detail!, header, keygateUrl, floorUrl) ?? '', /^header vary/);
    assert.match(floorDifference(detail!, { ...answer, status: 404 }, keygateUrl, floorUrl) ?? '', /^status/);
  });
});
