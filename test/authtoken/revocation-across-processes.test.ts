// Revocation across processes: two `keygate serve` processes on one database. Once the admin's
// "regenerate key" has been answered by one, the other refuses the old key, even while it is busy.
import assert from 'node:assert/strict';
import { Agent, request as httpRequest } from 'node:http';
import { after, before, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { describeEachDialect, freePort, uniqueName } from '../helpers.js';
import {
  cleanEnv,
  PASSWORD,
  SECRET_KEY,
  startServe,
  stopServe,
  waitUntilAnswering,
  type ServeProcess,
} from '../production/support.js';
import { Browser } from '../sessions/session-client.js';

/** One authenticated GET on a keep-alive connection; resolves with its status. */
function get(port: number, agent: Agent, key: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, path: '/product_api/', agent, headers: { authorization: `Token ${key}` } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describeEachDialect('Revocation across keygate processes', (ctx) => {
  let writer: ServeProcess | null = null;
  let reader: ServeProcess | null = null;
  let admin: Browser;
  let owner = '';

  before(async () => {
    const staff = uniqueName('staff');
    await ctx().keygate.users.createUser({
      username: staff,
      password: PASSWORD,
      isStaff: true,
      isSuperuser: true,
    });
    owner = uniqueName('owner');
    await ctx().keygate.tokens.getOrCreate(
      await ctx().keygate.users.createUser({ username: owner, password: null }),
    );
    const env = cleanEnv({ DATABASE_URL: ctx().url, SECRET_KEY });
    const [writerPort, readerPort] = [await freePort(), await freePort()];
    writer = startServe(env, writerPort);
    reader = startServe(env, readerPort);
    await Promise.all([waitUntilAnswering(writer), waitUntilAnswering(reader)]);
    admin = new Browser(`http://127.0.0.1:${writerPort}`);
    const login = await admin.postForm('/admin/login/', { username: staff, password: PASSWORD });
    assert.equal(login.status, 302, await login.text());
  });

  after(async () => {
    await stopServe(writer);
    await stopServe(reader);
  });

  /** The id and key of `owner`'s token, from its admin page. */
  async function currentToken(): Promise<{ id: number; key: string }> {
    const list = await (await admin.fetch(`/admin/tokens/?q=${owner}`)).text();
    const id = Number(/\/admin\/tokens\/(\d+)\/change\//.exec(list)?.[1]);
    const page = await (await admin.fetch(`/admin/tokens/${id}/change/`)).text();
    const key = /data-testid="token-key">([^<]+)</.exec(page)?.[1];
    assert.ok(key !== undefined, 'the token page shows its key');
    return { id, key };
  }

  it('after the regenerate answer, the other process never accepts the old key (under load, 60 tries)', async () => {
    const port = reader!.port;
    const agent = new Agent({ keepAlive: true, maxSockets: 10 });
    const violations: string[] = [];
    try {
      let { id, key } = await currentToken();
      for (let round = 0; round < 60; round += 1) {
        // The reader has the key cached, and is kept busy with it on ten connections.
        for (let i = 0; i < 3; i += 1) assert.equal(await get(port, agent, key), 200);
        let answered = false;
        let stop = false;
        let late = 0;
        const load = Array.from({ length: 10 }, async () => {
          while (!stop) {
            const afterAnswer = answered;
            const status = await get(port, agent, key);
            if (afterAnswer) late += 1;
            if (afterAnswer && status !== 401) violations.push(`round ${round}: ${status}`);
          }
        });
        await sleep(5);
        const regenerated = await admin.postForm(
          `/admin/tokens/${id}/regenerate/`,
          {},
          `/admin/tokens/${id}/regenerate/`,
        );
        answered = true;
        assert.equal(regenerated.status, 302);
        const deadline = Date.now() + 5000;
        while (late < 20 && Date.now() < deadline) await sleep(1);
        stop = true;
        await Promise.all(load);
        ({ id, key } = await currentToken());
      }
    } finally {
      agent.destroy();
    }
    assert.deepEqual(violations, [], 'requests sent after the answer that the old key passed');
  });
});
