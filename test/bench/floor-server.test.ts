// The benchmark's Fastify floor answers keygate's bytes: a real floor process on each database beside a real keygate.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, it } from 'node:test';
import { captureResponse, type CannedResponse } from '../../bench/canned-response.js';
import { floorDifference, startFloor, verifyFloor, writeDifference } from '../../bench/floor.js';
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
      ['detail', 'list', 'unauthenticated', 'create', 'patch'].includes(w.id),
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

  it("answers the detail, the list of 20 and the 401 with keygate's bytes, the writes with its shape", async () => {
    assert.deepEqual(
      canned.map((c) => c.status),
      [200, 200, 401, 201, 200],
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

  const auth = () => ({ Authorization: `Token ${token}`, 'Content-Type': 'application/json' });
  const productCount = async (): Promise<number> => {
    const page = await fetch(`${keygateUrl}/product_api/?limit=1`, { headers: auth() });
    return ((await page.json()) as { count: number }).count;
  };

  it('creates a product that keygate then reads and counts as its own', async () => {
    const before = await productCount();
    const body = { name: '  Floor widget ', price: '7.5', stock: '3' };
    const request = {
      method: 'POST' as const,
      path: '/product_api/',
      headers: auth(),
      body: JSON.stringify(body),
    };
    const expected = await captureResponse(keygateUrl, request, true);
    const answer = await captureResponse(floorUrl, request, true);
    assert.equal(writeDifference(expected, answer, 'create'), null);
    const created = JSON.parse(Buffer.from(answer.body, 'base64').toString()) as { id: number };
    assert.equal(await productCount(), before + 2);
    // keygate reads the floor's row as it reads its own: the same bytes but the id and timestamps.
    const own = JSON.parse(Buffer.from(expected.body, 'base64').toString()) as Record<string, unknown>;
    const read = await fetch(`${keygateUrl}/product_api/${created.id}/`, { headers: auth() });
    const floorRow = (await read.json()) as Record<string, unknown>;
    for (const key of ['name', 'description', 'price', 'stock']) assert.equal(floorRow[key], own[key], key);
    assert.deepEqual(floorRow, JSON.parse(Buffer.from(answer.body, 'base64').toString()));
  });

  it('patches the product as keygate does, and answers 400 and 404 for a bad body or id', async () => {
    const patch = { method: 'PATCH' as const, path: '/product_api/4/', headers: auth() };
    for (const body of [{ price: '3.10' }, { name: 'Renamed', description: 'new', stock: 0 }]) {
      const request = { ...patch, body: JSON.stringify(body) };
      const expected = await captureResponse(keygateUrl, request, true);
      const answer = await captureResponse(floorUrl, request, true);
      assert.equal(expected.status, 200);
      assert.equal(writeDifference(expected, answer, 'patch'), null, JSON.stringify(body));
    }
    for (const body of [{ price: 'abc' }, { stock: -1 }, { name: '' }, [1]]) {
      const answer = await fetch(`${floorUrl}/product_api/4/`, { ...patch, body: JSON.stringify(body) });
      assert.equal(answer.status, 400, JSON.stringify(body));
    }
    const missing = await fetch(`${floorUrl}/product_api//`, { ...patch, body: '{"stock":1}' });
    assert.equal(missing.status, 404);
    const absent = await fetch(`${floorUrl}/product_api/999999/`, { ...patch, body: '{"stock":1}' });
    assert.equal(absent.status, 404);
    const noName = await fetch(`${floorUrl}/product_api/`, {
      method: 'POST',
      headers: auth(),
      body: '{"price":"1"}',
    });
    assert.equal(noName.status, 400);
    assert.deepEqual(await noName.json(), { name: ['This field is required.'] });
  });

  it("reports a write's difference: status, a header, the length, a key's type or order, a patched value", async () => {
    const request = list.find((w) => w.id === 'patch')!.request;
    const expected = await captureResponse(keygateUrl, request, true);
    const answer = await captureResponse(floorUrl, request, true);
    assert.equal(writeDifference(expected, answer, 'patch'), null);
    const text = Buffer.from(answer.body, 'base64').toString();
    const withBody = (body: string) => ({ ...answer, body: Buffer.from(body).toString('base64') });
    assert.match(writeDifference(expected, { ...answer, status: 201 }, 'patch') ?? '', /^status/);
    const vary = { ...answer, headers: { ...answer.headers, vary: 'Cookie' } };
    assert.match(writeDifference(expected, vary, 'patch') ?? '', /^header vary/);
    const length = { ...answer, headers: { ...answer.headers, 'content-length': '1' } };
    assert.match(writeDifference(expected, length, 'patch') ?? '', /^header content-length/);
    assert.match(
      writeDifference(expected, withBody(text.replace('"stock":7', '"stock":8')), 'patch') ?? '',
      /^body/,
    );
    // create compares types, not values: another stock passes, a stock as a string does not.
    assert.equal(writeDifference(expected, withBody(text.replace('"stock":7', '"stock":8')), 'create'), null);
    assert.match(
      writeDifference(expected, withBody(text.replace('"stock":7', '"stock":"7"')), 'create') ?? '',
      /^body/,
    );
    const reordered = JSON.stringify(
      Object.fromEntries(Object.entries(JSON.parse(text) as object).reverse()),
    );
    assert.match(writeDifference(expected, withBody(reordered), 'create') ?? '', /^body/);
  });
});
