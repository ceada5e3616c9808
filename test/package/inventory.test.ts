// examples/inventory from the packed package: its README's walk-through for real, with `npx keygate`
// and `keygate serve` in an empty project, over HTTP on SQLite and PostgreSQL.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Browser } from '../sessions/session-client.js';
import { installExample, itOnEachDatabase, packPackage, runOk, startApp } from './package-support.js';

const ADMIN_PASSWORD = 'a long admin passphrase';
const ALICE_PASSWORD = 'correct horse battery staple';
const BOB_PASSWORD = 'tr0ub4dor and three';
const NOT_PROVIDED = '{"detail":"Authentication credentials were not provided."}';
const INVALID_TOKEN = '{"detail":"Invalid token."}';
const FORBIDDEN = '{"detail":"You do not have permission to perform this action."}';
const INVALID_PAGE = '{"detail":"Invalid page."}';
/** DRF's DateTimeField output with USE_TZ in UTC: microseconds unless they are zero, then `Z`. */
const CREATED = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?Z$/;
/** `keygate serve` logs (pino, one JSON object a line) the address it listens at. */
const SERVE_LISTENING = /Server listening at (http:\/\/[^"\s]+)/;

/** The installed package's command, which `npx keygate` runs. */
const KEYGATE_BIN = join('node_modules', 'keygate', 'bin', 'keygate.js');

const work = mkdtempSync(join(tmpdir(), 'keygate-inventory-'));
const project = join(work, 'inventory');
const started = Date.now();

before(async () => {
  const { tarball } = await packPackage(work);
  await installExample('inventory', project, tarball);
});

after(() => {
  rmSync(work, { recursive: true, force: true });
  process.stderr.write(`# package inventory: ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
});

/** A JSON request, with a token when `key` is given. */
function send(url: string, method: string, key?: string, body?: unknown): Promise<Response> {
  return fetch(url, {
    method,
    headers: {
      ...(body !== undefined && { 'content-type': 'application/json' }),
      ...(key !== undefined && { authorization: `Token ${key}` }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
}

/** The response's status and exact body. */
async function assertAnswer(response: Response, status: number, body: string): Promise<void> {
  assert.equal(await response.text(), body);
  assert.equal(response.status, status);
}

/** A warehouse as the API writes it, `created` checked for its format and then left out. */
async function warehouseOf(response: Response, status: number): Promise<Record<string, unknown>> {
  const text = await response.text();
  assert.equal(response.status, status, text);
  const { created, ...rest } = JSON.parse(text) as Record<string, unknown>;
  assert.match(String(created), CREATED);
  return rest;
}

/** Each fragment is in the page (a short message instead of the whole page when one is missing). */
function assertShows(what: string, html: string, fragments: readonly string[]): void {
  for (const fragment of fragments) assert.ok(html.includes(fragment), `${what} shows ${fragment}`);
}

interface Page {
  count: number;
  next: string | null;
  previous: string | null;
  results: { id: number; [field: string]: unknown }[];
}

async function pageOf(response: Response): Promise<Page> {
  const text = await response.text();
  assert.equal(response.status, 200, text);
  return JSON.parse(text) as Page;
}

/** The README's walk-through: the CLI, then every kind of request it shows, against `databaseUrl`. */
async function walkThrough(databaseUrl: string): Promise<void> {
  const env = { ...process.env, DATABASE_URL: databaseUrl, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info' };
  // `npx keygate` once, as the README runs it; then the same bin with node, without npx's start-up.
  const npxKeygate = (args: readonly string[]) =>
    runOk('npx', ['--no', 'keygate', ...args], { cwd: project, env });
  const keygate = (args: readonly string[], input = '', extra: NodeJS.ProcessEnv = {}) =>
    runOk(process.execPath, [KEYGATE_BIN, ...args], { cwd: project, env: { ...env, ...extra }, input });

  // The project's own migration runs after keygate's, from keygate.config.mjs without tsx.
  const migrated = await npxKeygate(['migrate']);
  assert.match(migrated, /^Applying 0001-initial\.\.\. OK$/m);
  assert.match(migrated, /^Applying app:0001-inventory\.\.\. OK\n$/m);
  assert.match(await keygate(['showmigrations']), /\[X\] app:0001-inventory/);
  await keygate(
    ['createsuperuser', '--no-input', '--username', 'admin', '--email', 'admin@example.com'],
    '',
    {
      KEYGATE_SUPERUSER_PASSWORD: ADMIN_PASSWORD,
    },
  );
  const keys: Record<'alice' | 'bob', string> = { alice: '', bob: '' };
  for (const [name, password] of [
    ['alice', ALICE_PASSWORD],
    ['bob', BOB_PASSWORD],
  ] as const) {
    assert.equal(
      await keygate(
        ['createuser', name, '--email', `${name}@example.com`, '--password-stdin'],
        `${password}\n`,
      ),
      `User ${name} created successfully.\n`,
    );
    const generated = new RegExp(`^Generated token ([0-9a-f]{40}) for user ${name}\\n$`).exec(
      await keygate(['create-token', name]),
    );
    assert.ok(generated, `create-token printed ${name}'s key`);
    keys[name] = generated[1]!;
  }
  const { alice, bob } = keys;

  const app = await startApp(project, KEYGATE_BIN, env, {
    args: ['serve'],
    listening: SERVE_LISTENING,
  });
  try {
    const { url } = app;

    // The API root lists the project's two models, and only them (no seed products).
    await assertAnswer(
      await send(`${url}/`, 'GET'),
      200,
      `{"warehouses":"${url}/warehouses/","movements":"${url}/movements/"}`,
    );

    // Movements: IsAuthenticated, so DRF's 401 with the header naming the scheme.
    for (const key of [undefined, '0'.repeat(40)]) {
      const refused = await send(`${url}/movements/`, 'GET', key);
      await assertAnswer(refused, 401, key === undefined ? NOT_PROVIDED : INVALID_TOKEN);
      assert.equal(refused.headers.get('www-authenticate'), 'Token');
    }
    // Warehouses: IsAuthenticatedOrReadOnly, so anyone reads, only a user writes.
    await assertAnswer(
      await send(`${url}/warehouses/`, 'GET'),
      200,
      '{"count":0,"next":null,"previous":null,"results":[]}',
    );
    const anonymousWrite = await send(`${url}/warehouses/`, 'POST', undefined, { name: 'Nowhere' });
    await assertAnswer(anonymousWrite, 401, NOT_PROVIDED);
    assert.equal(anonymousWrite.headers.get('www-authenticate'), 'Token');

    // Create: the owner is the requesting user, the defaults fill what is left out.
    const aliceId = 2;
    const bobId = 3;
    assert.deepEqual(
      await warehouseOf(
        await send(`${url}/warehouses/`, 'POST', alice, {
          name: 'Rotterdam',
          city: 'Rotterdam',
          capacity: 12000,
        }),
        201,
      ),
      { id: 1, name: 'Rotterdam', city: 'Rotterdam', capacity: 12000, active: true, owner: aliceId },
    );
    await warehouseOf(
      await send(`${url}/warehouses/`, 'POST', alice, { name: 'Lyon North', city: 'Lyon', capacity: 4000 }),
      201,
    );
    assert.deepEqual(
      await warehouseOf(
        await send(`${url}/warehouses/`, 'POST', alice, {
          name: 'Lyon South',
          city: 'Lyon',
          capacity: 8000,
          active: false,
          owner: bobId,
        }),
        201,
      ),
      { id: 3, name: 'Lyon South', city: 'Lyon', capacity: 8000, active: false, owner: aliceId },
      'owner is read-only: the request cannot choose it',
    );
    assert.deepEqual(await warehouseOf(await send(`${url}/warehouses/1/`, 'GET'), 200), {
      id: 1,
      name: 'Rotterdam',
      city: 'Rotterdam',
      capacity: 12000,
      active: true,
      owner: aliceId,
    });

    // Search (case-insensitive, name or city) and ordering; the default ordering is by name.
    const ids = async (query: string) =>
      (await pageOf(await send(`${url}/warehouses/${query}`, 'GET'))).results.map((item) => item.id);
    assert.deepEqual(await ids(''), [2, 3, 1]);
    assert.deepEqual(await ids('?search=lyon'), [2, 3]);
    assert.deepEqual(await ids('?search=LYON&ordering=-capacity'), [3, 2]);
    assert.deepEqual(await ids('?ordering=capacity'), [2, 3, 1]);
    assert.deepEqual(await ids('?ordering=-capacity'), [1, 3, 2]);
    assert.deepEqual(await ids('?search=rotter'), [1]);
    assert.deepEqual(await ids('?search=paris'), []);

    // Pages of 20 (PageNumberPagination): 23 warehouses make two pages; the links keep the query.
    // Bob sends form bodies, as the README's loop does: a boolean left out of a form is false
    // (DRF's default_empty_html, an unticked checkbox), where JSON leaves it at its default.
    for (let n = 1; n <= 20; n += 1) {
      const created = await fetch(`${url}/warehouses/`, {
        method: 'POST',
        headers: { authorization: `Token ${bob}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ name: `Depot ${String(n).padStart(2, '0')}`, capacity: String(n) }),
      });
      assert.equal(created.status, 201, await created.text());
    }
    const first = await pageOf(await send(`${url}/warehouses/?ordering=-capacity`, 'GET'));
    assert.equal(first.count, 23);
    assert.equal(first.results.length, 20);
    assert.equal(first.next, `${url}/warehouses/?ordering=-capacity&page=2`);
    assert.equal(first.previous, null);
    const second = await pageOf(await send(`${url}/warehouses/?ordering=-capacity&page=2`, 'GET'));
    assert.deepEqual(
      second.results.map((item) => [item.name, item.owner, item.active]),
      [
        ['Depot 03', bobId, false],
        ['Depot 02', bobId, false],
        ['Depot 01', bobId, false],
      ],
    );
    assert.equal(second.next, null);
    assert.equal(second.previous, `${url}/warehouses/?ordering=-capacity`);
    await assertAnswer(await send(`${url}/warehouses/?page=3`, 'GET'), 404, INVALID_PAGE);
    await assertAnswer(
      await send(`${url}/warehouses/?page=last`, 'GET'),
      200,
      await (await send(`${url}/warehouses/?page=2`, 'GET')).text(),
    );

    // A stock movement pointing at a warehouse; an offset time is stored and shown in UTC.
    const movement = {
      warehouse: 1,
      sku: 'COF-1KG',
      quantity: 120,
      unit_cost: '8.40',
      moved_at: '2026-12-06T11:30:00+01:00',
      note: 'First delivery',
    };
    const created = await send(`${url}/movements/`, 'POST', alice, movement);
    await assertAnswer(
      created,
      201,
      '{"id":1,"warehouse":1,"sku":"COF-1KG","quantity":120,"unit_cost":"8.40","note":"First delivery",' +
        `"moved_at":"2026-12-06T10:30:00Z","owner":${aliceId}}`,
    );
    await assertAnswer(
      await send(`${url}/movements/`, 'POST', alice, {
        warehouse: 3,
        sku: 'TEA-250',
        quantity: -15,
        unit_cost: 3,
        moved_at: '2026-12-06T09:00:00Z',
      }),
      201,
      `{"id":2,"warehouse":3,"sku":"TEA-250","quantity":-15,"unit_cost":"3.00","note":"","moved_at":"2026-12-06T09:00:00Z","owner":${aliceId}}`,
    );
    const movements = await pageOf(await send(`${url}/movements/`, 'GET', alice));
    assert.equal(movements.count, 2);
    assert.deepEqual(
      movements.results.map((item) => item.id),
      [1, 2],
      'newest moved_at first',
    );
    assert.deepEqual(
      (await pageOf(await send(`${url}/movements/?search=delivery`, 'GET', alice))).results.map(
        (item) => item.id,
      ),
      [1],
    );
    assert.deepEqual(
      (await pageOf(await send(`${url}/movements/?ordering=quantity`, 'GET', alice))).results.map(
        (item) => item.id,
      ),
      [2, 1],
    );

    // DRF's field errors, each field's message, in the fields' order.
    await assertAnswer(
      await send(`${url}/movements/`, 'POST', alice, {}),
      400,
      '{"warehouse":["This field is required."],"sku":["This field is required."],' +
        '"quantity":["This field is required."],"unit_cost":["This field is required."],' +
        '"moved_at":["This field is required."]}',
    );
    await assertAnswer(
      await send(`${url}/movements/`, 'POST', alice, {
        warehouse: 99,
        sku: '',
        quantity: 'many',
        unit_cost: '8.405',
        moved_at: 'yesterday',
      }),
      400,
      '{"warehouse":["Invalid pk \\"99\\" - object does not exist."],"sku":["This field may not be blank."],' +
        '"quantity":["A valid integer is required."],' +
        '"unit_cost":["Ensure that there are no more than 2 decimal places."],' +
        '"moved_at":["Datetime has wrong format. Use one of these formats instead: ' +
        'YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]."]}',
    );
    await assertAnswer(
      await send(`${url}/movements/`, 'POST', alice, {
        ...movement,
        warehouse: 'Rotterdam',
        sku: 'X'.repeat(33),
      }),
      400,
      '{"warehouse":["Incorrect type. Expected pk value, received str."],' +
        '"sku":["Ensure this field has no more than 32 characters."]}',
    );
    await assertAnswer(
      await send(`${url}/warehouses/`, 'POST', alice, { name: ' ', capacity: -1, active: 'maybe' }),
      400,
      '{"name":["This field may not be blank."],"capacity":["Ensure this value is greater than or equal to 0."],' +
        '"active":["Must be a valid boolean."]}',
    );

    // Owner only: Bob may read Alice's warehouse but not change it, and may not open her movement.
    await assertAnswer(await send(`${url}/warehouses/1/`, 'PATCH', bob, { capacity: 1 }), 403, FORBIDDEN);
    await assertAnswer(await send(`${url}/warehouses/1/`, 'DELETE', bob), 403, FORBIDDEN);
    await assertAnswer(await send(`${url}/movements/1/`, 'GET', bob), 403, FORBIDDEN);
    await assertAnswer(await send(`${url}/movements/1/`, 'PATCH', bob, { quantity: 0 }), 403, FORBIDDEN);
    await assertAnswer(await send(`${url}/movements/1/`, 'DELETE', bob), 403, FORBIDDEN);
    assert.deepEqual(
      await warehouseOf(await send(`${url}/warehouses/1/`, 'PATCH', alice, { capacity: 12500 }), 200),
      { id: 1, name: 'Rotterdam', city: 'Rotterdam', capacity: 12500, active: true, owner: aliceId },
    );
    assert.equal((await send(`${url}/movements/1/`, 'GET', alice)).status, 200);
    await assertAnswer(await send(`${url}/movements/2/`, 'DELETE', alice), 204, '');
    await assertAnswer(await send(`${url}/movements/2/`, 'GET', alice), 404, '{"detail":"Not found."}');

    // The OpenAPI document describes both resources.
    const document = (await (await send(`${url}/openapi.json`, 'GET')).json()) as {
      info: { title: string; version: string };
      paths: Record<string, Record<string, { operationId?: string }>>;
      components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
    };
    for (const path of ['/warehouses/', '/warehouses/{pk}/', '/movements/', '/movements/{pk}/']) {
      assert.ok(document.paths[path], `${path} is documented`);
    }
    assert.equal(document.paths['/product_api/'], undefined, 'the seed products are not served');
    assert.deepEqual(
      [document.info.title, document.info.version],
      ['Inventory', '1.0.0'],
      "the project's docs",
    );
    assert.equal(document.paths['/warehouses/']?.post?.operationId, 'createWarehouse');
    assert.equal(document.paths['/movements/{pk}/']?.get?.operationId, 'retrieveStockMovement');
    assert.deepEqual(Object.keys(document.components.schemas.Warehouse?.properties ?? {}), [
      'id',
      'name',
      'city',
      'capacity',
      'active',
      'owner',
      'created',
    ]);
    assert.deepEqual(Object.keys(document.components.schemas.StockMovement?.properties ?? {}), [
      'id',
      'warehouse',
      'sku',
      'quantity',
      'unit_cost',
      'note',
      'moved_at',
      'owner',
    ]);
    for (const schema of [
      'PaginatedWarehouseList',
      'WarehouseValidationError',
      'StockMovementValidationError',
    ]) {
      assert.ok(document.components.schemas[schema], `${schema} is described`);
    }
    const docs = await fetch(`${url}/docs`);
    assert.equal(docs.status, 200);
    assert.match(docs.headers.get('content-type') ?? '', /^text\/html/);
    await docs.body?.cancel();

    // The browsable API: the list page, with the create form for a user who may create.
    const html = { accept: 'text/html' };
    const page = await fetch(`${url}/warehouses/?search=lyon`, {
      headers: { ...html, authorization: `Token ${alice}` },
    });
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    assertShows('the browsable list', await page.text(), [
      '<h1 id="page-title">Warehouse List</h1>',
      '&quot;name&quot;: &quot;Lyon North&quot;',
      '<form action="/warehouses/" method="post" class="api-form" novalidate>',
      ...['name', 'city', 'capacity', 'active'].map((field) => `<input id="field-${field}" name="${field}"`),
    ]);
    const anonymousPage = await (await fetch(`${url}/warehouses/?search=lyon`, { headers: html })).text();
    assertShows('the anonymous browsable list', anonymousPage, ['&quot;name&quot;: &quot;Lyon North&quot;']);
    assert.ok(!anonymousPage.includes('class="api-form"'), 'no form for a user who may not create');

    // The admin: the superuser logs in through the form and finds both models under Inventory.
    const browser = new Browser(url);
    const login = await browser.postForm(
      '/admin/login/',
      { username: 'admin', password: ADMIN_PASSWORD, next: '/admin/' },
      '/admin/login/?next=/admin/',
    );
    assert.equal(login.status, 302, 'the superuser is logged in');
    assert.equal(login.headers.get('location'), '/admin/');
    assertShows('the admin home page', await (await browser.fetch('/admin/')).text(), [
      '<h2 id="section-inventory">Inventory</h2>',
      '<a href="/admin/warehouses/">Warehouses</a>',
      '<a href="/admin/stock_movements/">Stock movements</a>',
    ]);
    const warehouseList = await (await browser.fetch('/admin/warehouses/?q=lyon')).text();
    assertShows('the warehouses searched for lyon', warehouseList, [
      '<a href="/admin/warehouses/2/change/">Lyon North</a>',
      '<a href="/admin/warehouses/3/change/">Lyon South</a>',
    ]);
    assert.ok(!warehouseList.includes('>Rotterdam<'), 'the search leaves Rotterdam out');
    assertShows('the warehouse list', warehouseList, ['<h3>By active</h3>', 'active__exact=0">No</a>']);
    // A warehouse added through the admin's form belongs to the admin and is in the API at once.
    const added = await browser.postForm('/admin/warehouses/add/', {
      name: 'Hamburg',
      city: 'Hamburg',
      capacity: '500',
      active: 'on',
      _save: '1',
    });
    assert.equal(added.status, 302, 'the add form saved');
    assert.equal(added.headers.get('location'), '/admin/warehouses/');
    const hamburg = await pageOf(await send(`${url}/warehouses/?search=hamburg`, 'GET'));
    assert.deepEqual(
      hamburg.results.map(({ created: _created, ...rest }) => rest),
      [{ id: 24, name: 'Hamburg', city: 'Hamburg', capacity: 500, active: true, owner: 1 }],
    );
    assertShows('the movements', await (await browser.fetch('/admin/stock_movements/')).text(), [
      '<a href="/admin/stock_movements/1/change/">COF-1KG</a>',
    ]);
    const addForm = await browser.fetch('/admin/stock_movements/add/');
    assert.equal(addForm.status, 200);
    assertShows('the add form', await addForm.text(), [
      '<h1>Add stock movement</h1>',
      ...['warehouse', 'sku', 'quantity', 'unit_cost', 'note', 'moved_at'].map(
        (field) => `id="id_${field}" name="${field}"`,
      ),
    ]);
    // Alice is no staff member: the login form refuses her as Django's does.
    const refusedLogin = await new Browser(url).postForm(
      '/admin/login/',
      { username: 'alice', password: ALICE_PASSWORD, next: '/admin/' },
      '/admin/login/?next=/admin/',
    );
    assert.equal(refusedLogin.status, 200);
    assertShows('the refused login', await refusedLogin.text(), [
      'Please enter the correct username and password for a staff account.',
    ]);
  } finally {
    const code = await app.stop();
    assert.equal(code, 0, `keygate serve exits cleanly on SIGTERM\n${app.stderr()}`);
  }
}

// The two databases side by side (each walk-through has its own database and port): most of their
// time is processes starting and password hashing, which overlap well.
describe('examples/inventory from the packed package', { concurrency: 2, timeout: 600_000 }, () => {
  it('installs without tsx: its keygate.config.mjs needs no TypeScript loader', () => {
    assert.ok(existsSync(join(project, 'node_modules', 'keygate', 'dist', 'index.js')));
    assert.equal(existsSync(join(project, 'node_modules', 'tsx')), false);
  });

  itOnEachDatabase('on SQLite: the README walk-through, from migrate to the admin', (databaseUrl) =>
    walkThrough(databaseUrl),
  );
});
