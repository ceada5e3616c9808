// The packed package in empty projects: the examples install, type-check strictly and answer as DRF does.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  findInstalled,
  installExample,
  packPackage,
  readPackageJson,
  REPO_ROOT,
  runOk,
  startApp,
  TSC,
  type PackedPackage,
  itOnEachDatabase,
} from './package-support.js';

const ALICE_PASSWORD = 'correct horse battery staple';
const ADMIN_PASSWORD = 'a long admin passphrase';
const NOT_PROVIDED = '{"detail":"Authentication credentials were not provided."}';
const INVALID_TOKEN = '{"detail":"Invalid token."}';
const FORBIDDEN = '{"detail":"You do not have permission to perform this action."}';
const BAD_LOGIN = '{"non_field_errors":["Unable to log in with provided credentials."]}';

/**
 * keygate's development tools, which must not reach a project that installs keygate: its
 * devDependencies but those a runtime dependency needs too (fastify's ajv) or the example names
 * itself (@types/node, express and its types), and tsx's esbuild.
 */
const DEV_TOOLS: ReadonlySet<string> = new Set([
  ...Object.keys(readPackageJson(join(REPO_ROOT, 'package.json')).devDependencies ?? {}).filter(
    (name) => !name.startsWith('@types/') && !name.startsWith('ajv') && name !== 'express',
  ),
  'esbuild',
]);

const work = mkdtempSync(join(tmpdir(), 'keygate-package-'));
let packed: PackedPackage | null = null;
const started = Date.now();

before(async () => {
  packed = await packPackage(work);
});

after(() => {
  rmSync(work, { recursive: true, force: true });
  process.stderr.write(`# package examples: ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
});

function tarball(): PackedPackage {
  assert.ok(packed, 'npm pack ran');
  return packed;
}

describe('npm pack', () => {
  it('holds the compiled package with its types, and no tests, benchmarks or docs', () => {
    const { files } = tarball();
    for (const path of [
      'package.json',
      'README.md',
      'CHANGELOG.md',
      'bin/keygate.js',
      'dist/index.js',
      'dist/index.d.ts',
      'dist/index.d.ts.map',
      'dist/index.js.map',
      'dist/express/index.js',
      'dist/express/index.d.ts',
      'dist/cli/run.js',
      'src/html/templates/layout.eta',
      'src/html/static/keygate.css',
      'src/users/common-passwords/common-passwords.txt.gz',
    ]) {
      assert.ok(files.includes(path), `${path} is packed`);
    }
    const stray = files.filter(
      (path) =>
        /^(test|bench|docs|scripts|examples|\.ci)\//.test(path) ||
        (path.startsWith('src/') && path.endsWith('.ts')) ||
        path.startsWith('dist/test/') ||
        path.startsWith('tsconfig'),
    );
    assert.deepEqual(stray, []);
  });

  it('needs no build or tool at install time', () => {
    const manifest = readPackageJson(join(REPO_ROOT, 'package.json'));
    for (const hook of ['preinstall', 'install', 'postinstall', 'prepare']) {
      assert.equal(manifest.scripts?.[hook], undefined, `no ${hook} script`);
    }
    assert.ok(manifest.scripts?.prepack, 'the build runs when packing');
    for (const tool of DEV_TOOLS)
      assert.equal(manifest.dependencies?.[tool], undefined, `${tool} is dev only`);
  });
});

/** One example: its directory, its compiled entry, and what its source must show of the typings. */
interface Example {
  readonly name: string;
  /** Expressions the source uses untouched by casts (the request fields keygate's types add). */
  readonly typedFields: readonly string[];
  readonly declarations: readonly string[];
}

const EXAMPLES: readonly Example[] = [
  {
    name: 'fastify-app',
    typedFields: ['request.user!.username', 'request.body.text'],
    declarations: ['node_modules/keygate/dist/index.d.ts'],
  },
  {
    name: 'express-app',
    typedFields: ['req.user!.username'],
    declarations: ['node_modules/keygate/dist/index.d.ts', 'node_modules/keygate/dist/express/index.d.ts'],
  },
];

async function post(url: string, body: unknown, token?: string): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token !== undefined && { authorization: `Token ${token}` }),
    },
    body: JSON.stringify(body),
  });
}

async function assertRefused(response: Response, status: number, body: string): Promise<void> {
  assert.equal(await response.text(), body);
  assert.equal(response.status, status);
  assert.equal(response.headers.get('www-authenticate'), status === 401 ? 'Token' : null);
}

/** The walk-through of an example's README: migrate, users, tokens, and the protected routes. */
async function walkThrough(project: string, databaseUrl: string): Promise<void> {
  const env = { ...process.env, DATABASE_URL: databaseUrl, HOST: '127.0.0.1', PORT: '0' };
  const keygate = (args: readonly string[], input = '', extra: NodeJS.ProcessEnv = {}) =>
    runOk('npx', ['--no', 'keygate', ...args], { cwd: project, env: { ...env, ...extra }, input });

  assert.match(await keygate(['migrate']), /0001-initial/);
  await keygate(
    ['createsuperuser', '--no-input', '--username', 'admin', '--email', 'admin@example.com'],
    '',
    {
      KEYGATE_SUPERUSER_PASSWORD: ADMIN_PASSWORD,
    },
  );
  await keygate(
    ['createuser', 'alice', '--email', 'alice@example.com', '--password-stdin'],
    `${ALICE_PASSWORD}\n`,
  );
  const generated = /^Generated token ([0-9a-f]{40}) for user alice\n$/.exec(
    await keygate(['create-token', 'alice']),
  );
  assert.ok(generated, 'create-token printed the key');
  const cliKey = generated[1]!;

  const app = await startApp(project, 'dist/server.js', env);
  try {
    const { url } = app;
    // The token endpoints: DRF's ObtainAuthToken gives the key the command printed (policy drf).
    const obtained = await post(`${url}/gettoken/`, { username: 'alice', password: ALICE_PASSWORD });
    assert.equal(await obtained.text(), `{"token":"${cliKey}"}`);
    assert.equal(obtained.status, 200);
    const refused = await post(`${url}/gettoken/`, { username: 'alice', password: 'wrong' });
    assert.equal(await refused.text(), BAD_LOGIN);
    assert.equal(refused.status, 400);
    const custom = await post(`${url}/customtoken/`, { username: 'admin', password: ADMIN_PASSWORD });
    const customBody = (await custom.json()) as { Token: string; user_id: number; email: string };
    assert.equal(custom.status, 200);
    assert.equal(customBody.email, 'admin@example.com');
    const adminKey = customBody.Token;

    // GET /api/me/: any authenticated user.
    await assertRefused(await fetch(`${url}/api/me/`), 401, NOT_PROVIDED);
    const badKey = { authorization: `Token ${'0'.repeat(40)}` };
    await assertRefused(await fetch(`${url}/api/me/`, { headers: badKey }), 401, INVALID_TOKEN);
    const me = await fetch(`${url}/api/me/`, { headers: { authorization: `Token ${cliKey}` } });
    assert.equal(me.status, 200);
    assert.deepEqual(await me.json(), { username: 'alice', email: 'alice@example.com' });

    // POST /api/notes/: staff only (IsAdminUser).
    await assertRefused(await post(`${url}/api/notes/`, { text: 'hello' }), 401, NOT_PROVIDED);
    await assertRefused(await post(`${url}/api/notes/`, { text: 'hello' }, cliKey), 403, FORBIDDEN);
    const note = await post(`${url}/api/notes/`, { text: 'hello' }, adminKey);
    assert.equal(note.status, 201);
    assert.deepEqual(await note.json(), { id: 1, text: 'hello', author: 'admin' });
  } finally {
    const code = await app.stop();
    assert.equal(code, 0, `the app exits cleanly on SIGTERM\n${app.stderr()}`);
  }
}

// The examples side by side: most of their time is npm and tsc waiting on the disk and each other.
describe('the examples from the packed package', { concurrency: EXAMPLES.length }, () => {
  for (const example of EXAMPLES) {
    describe(`examples/${example.name}`, { concurrency: 1, timeout: 900_000 }, () => {
      const project = join(work, example.name);

      before(async () => {
        await installExample(example.name, project, tarball().tarball);
      });

      it('installs keygate with its runtime dependencies only', () => {
        assert.deepEqual(findInstalled(join(project, 'node_modules'), DEV_TOOLS), []);
        const installed = readPackageJson(join(project, 'node_modules', 'keygate', 'package.json'));
        assert.equal(installed.version, readPackageJson(join(REPO_ROOT, 'package.json')).version);
      });

      it('type-checks strictly (nodenext) against the installed types, and compiles', async () => {
        // The code without its comments, whose words are not casts.
        const source = readFileSync(join(project, 'src', 'server.ts'), 'utf8')
          .replace(/\/\*[\s\S]*?\*\//g, '')
          .replace(/^\s*\/\/.*$/gm, '');
        for (const field of example.typedFields)
          assert.ok(source.includes(field), `the example uses ${field}`);
        assert.doesNotMatch(source, /\bas (?!const\b)\w/, 'no casts');
        assert.doesNotMatch(source, /@ts-|: any\b/, 'no escape hatches');
        const listed = await runOk(process.execPath, [TSC, '-p', 'tsconfig.json', '--listFiles'], {
          cwd: project,
        });
        for (const declaration of example.declarations) {
          assert.ok(
            listed.includes(join(project, declaration)),
            `${declaration} is what the example is checked against`,
          );
        }
        const tsconfig = readFileSync(join(project, 'tsconfig.json'), 'utf8');
        assert.match(tsconfig, /"strict": true/);
        assert.match(tsconfig, /"moduleResolution": "nodenext"/);
        assert.doesNotMatch(tsconfig, /skipLibCheck/);
      });

      itOnEachDatabase(
        'on SQLite: the CLI, the token endpoints and the protected routes answer as DRF does',
        (databaseUrl) => walkThrough(project, databaseUrl),
      );
    });
  }
});
