// A typed client generated from the live /openapi.json (openapi-typescript + openapi-fetch), as a
// new user would make one: a small program that lists, creates, PATCHes one field of and deletes
// a product type-checks under strict TypeScript with no cast, then runs against a real server.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, it } from 'node:test';
import { promisify } from 'node:util';
import openapiTS, { astToString } from 'openapi-typescript';
import { describeEachDialect, uniqueName } from '../helpers.js';
import { fetchDocument } from './openapi-support.js';

const run = promisify(execFile);

/**
 * The program, written as the README would tell a user to write it. Every call is typed by the
 * generated `paths`; the `@ts-expect-error` lines (in a function never called) make the type
 * check fail if the document became looser than the API.
 */
const PROGRAM = `// Generated-client check: list, create, patch one field, delete.
import createClient from 'openapi-fetch';
import type { components, paths } from './schema.js';

type Product = components['schemas']['Product'];

const baseUrl = process.env.KEYGATE_URL ?? '';
const client = createClient<paths>({
  baseUrl,
  headers: { Authorization: \`Token \${process.env.KEYGATE_TOKEN ?? ''}\` },
});

// Never called: each line must be refused by the type checker.
export function contractChecks(): void {
  // @ts-expect-error price is required on create
  void client.POST('/product_api/', { body: { name: 'Tea' } });
  // @ts-expect-error name is required on create
  void client.POST('/product_api/', { body: { price: '1.00' } });
  // @ts-expect-error the detail operations need the id
  void client.GET('/product_api/{pk}/', {});
  // @ts-expect-error the id is a number
  void client.DELETE('/product_api/{pk}/', { params: { path: { pk: 'one' } } });
}

async function main(): Promise<void> {
  const created = await client.POST('/product_api/', { body: { name: 'Coffee', price: '20.48' } });
  if (created.data === undefined) throw new Error(\`create: \${JSON.stringify(created.error)}\`);
  const product: Product = created.data;

  // One field, as PATCH allows: no cast, no other field.
  const patched = await client.PATCH('/product_api/{pk}/', {
    params: { path: { pk: product.id } },
    body: { price: '18.50' },
  });
  if (patched.data === undefined) throw new Error(\`patch: \${JSON.stringify(patched.error)}\`);

  const listed = await client.GET('/product_api/', { params: { query: { limit: 100 } } });
  if (listed.data === undefined) throw new Error(\`list: \${JSON.stringify(listed.error)}\`);
  const names: string[] = listed.data.results.map((item) => item.name);

  // A refused body: the 400 is typed as a field-error map (or a parse error's detail).
  const refused = await client.POST('/product_api/', { body: { name: 'Tea', price: '1.234' } });
  const priceErrors: string[] | undefined =
    refused.error !== undefined && 'price' in refused.error ? refused.error.price : undefined;

  const deleted = await client.DELETE('/product_api/{pk}/', { params: { path: { pk: product.id } } });
  const gone = await client.GET('/product_api/{pk}/', { params: { path: { pk: product.id } } });
  const goneDetail: string | undefined = gone.error?.detail;

  console.log(
    JSON.stringify({
      created: product,
      patched: patched.data,
      listedCount: listed.data.count,
      names,
      refusedStatus: refused.response.status,
      priceErrors,
      deletedStatus: deleted.response.status,
      goneStatus: gone.response.status,
      goneDetail,
    }),
  );
}

await main();
`;

/** The project's strictness, plus exactOptionalPropertyTypes: what a careful user would turn on. */
const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    lib: ['ES2023'],
    types: ['node'],
    strict: true,
    noUncheckedIndexedAccess: true,
    exactOptionalPropertyTypes: true,
    skipLibCheck: true,
    outDir: 'out',
  },
  files: ['client.ts', 'schema.ts'],
};

interface ProgramOutput {
  readonly created: Record<string, unknown>;
  readonly patched: Record<string, unknown>;
  readonly listedCount: number;
  readonly names: string[];
  readonly refusedStatus: number;
  readonly priceErrors?: string[];
  readonly deletedStatus: number;
  readonly goneStatus: number;
  readonly goneDetail?: string;
}

describeEachDialect('A client generated from /openapi.json', (ctx) => {
  let dir: string;
  let base: string;
  let key: string;

  before(async () => {
    const user = await ctx().keygate.users.createUser({ username: uniqueName('client'), password: null });
    key = (await ctx().keygate.tokens.getOrCreate(user)).key;
    base = await ctx().listen();
    dir = mkdtempSync(join(tmpdir(), 'keygate-openapi-client-'));
    // The program imports openapi-fetch and @types/node from the project's own installation.
    symlinkSync(resolve('node_modules'), join(dir, 'node_modules'), 'dir');
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module', private: true }));
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  it('is generated by openapi-typescript from the live document', async () => {
    const types = astToString(await openapiTS(JSON.stringify(await fetchDocument(base))));
    writeFileSync(join(dir, 'schema.ts'), types);
    assert.match(types, /export interface paths/);
    assert.match(types, /"\/product_api\/\{pk\}\/"/);
  });

  it('type-checks the program under strict TypeScript, with no cast', async () => {
    writeFileSync(join(dir, 'client.ts'), PROGRAM);
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(TSCONFIG, null, 2));
    const tsc = resolve('node_modules/typescript/bin/tsc');
    const result = await run(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json')]).catch(
      (error: { stdout?: string; stderr?: string }) => error,
    );
    assert.equal(
      'code' in result ? (result as { code?: unknown }).code : 0,
      0,
      `tsc refused the program:\n${result.stdout ?? ''}${result.stderr ?? ''}`,
    );
  });

  it('lists, creates, patches one field and deletes a product against the real server', async () => {
    const { stdout } = await run(process.execPath, [join(dir, 'out', 'client.js')], {
      env: { ...process.env, KEYGATE_URL: base, KEYGATE_TOKEN: key },
    });
    const output = JSON.parse(stdout) as ProgramOutput;
    assert.equal(output.created.name, 'Coffee');
    assert.equal(output.created.price, '20.48');
    // The model's defaults, for the fields the program left out.
    assert.equal(output.created.description, '');
    assert.equal(output.created.stock, 0);
    assert.deepEqual(
      { ...output.patched, updated: undefined },
      { ...output.created, price: '18.50', updated: undefined },
      'PATCH changed the price and nothing else',
    );
    assert.ok(output.names.includes('Coffee'));
    assert.ok(output.listedCount >= 1);
    assert.equal(output.refusedStatus, 400);
    assert.deepEqual(output.priceErrors, ['Ensure that there are no more than 2 decimal places.']);
    assert.equal(output.deletedStatus, 204);
    assert.equal(output.goneStatus, 404);
    assert.equal(output.goneDetail, 'Not found.');
  });
});
