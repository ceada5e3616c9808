// Production mode refuses an unsafe configuration at start, naming the variable to fix (loadConfig and `serve`).
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildApp } from '../../src/app.js';
import { configWarnings, ConfigError, loadConfig } from '../../src/config.js';
import { createKeygate } from '../../src/keygate.js';
import { CLI_ENTRY, runToEnd, type CliResult } from '../helpers.js';
import {
  cleanEnv,
  freePort,
  SECRET_KEY,
  startServe,
  STARTUP_MS,
  stopServe,
  waitFor,
  waitUntilAnswering,
} from './support.js';

/** Asserts that `env` is rejected with a ConfigError about `variable`, its message starting with it. */
function assertRejected(env: NodeJS.ProcessEnv, variable: string): ConfigError {
  let caught: ConfigError | null = null;
  assert.throws(
    () => loadConfig(env),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
      assert.equal(error.variable, variable, error.message);
      assert.ok(error.message.startsWith(`${variable}: `), error.message);
      caught = error;
      return true;
    },
    `${JSON.stringify(env)} should be rejected naming ${variable}`,
  );
  return caught!;
}

/** `keygate ARGS` with a hard deadline: a `serve` that wrongly starts is killed, not waited for. */
function runBounded(args: readonly string[], env: NodeJS.ProcessEnv, ms = STARTUP_MS): Promise<CliResult> {
  return runToEnd(process.execPath, [...CLI_ENTRY, ...args], { env, timeout: ms, killSignal: 'SIGKILL' });
}

describe('production configuration', () => {
  let dir = '';
  let certFile = '';
  let keyFile = '';
  /** A production environment that passes, using keygate's own TLS. */
  let safe: NodeJS.ProcessEnv = {};

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'keygate-prodconfig-'));
    certFile = join(dir, 'cert.pem');
    keyFile = join(dir, 'key.pem');
    // loadConfig only checks that the files exist; their contents matter to the TLS tests.
    writeFileSync(certFile, 'certificate');
    writeFileSync(keyFile, 'key');
    safe = {
      KEYGATE_ENV: 'production',
      SECRET_KEY,
      ALLOWED_HOSTS: 'api.example.com',
      TLS_CERT_FILE: certFile,
      TLS_KEY_FILE: keyFile,
    };
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('a safe production configuration loads, with keygate terminating TLS or behind a trusted proxy', () => {
    const tls = loadConfig(safe);
    assert.equal(tls.production, true);
    assert.equal(tls.tlsCertFile, certFile);
    assert.equal(tls.tlsKeyFile, keyFile);
    assert.deepEqual(tls.trustedProxies, []);

    const proxied = loadConfig({ ...safe, TLS_CERT_FILE: '', TLS_KEY_FILE: '', TRUSTED_PROXIES: '10.0.0.5' });
    assert.equal(proxied.production, true);
    assert.equal(proxied.tlsCertFile, null);
    assert.deepEqual(proxied.trustedProxies, ['10.0.0.5']);

    assert.equal(loadConfig({ ...safe, KEYGATE_ENV: ' Production ' }).production, true);
    assert.equal(loadConfig({}).production, false, 'development is the default');
  });

  it('refuses to start without SECRET_KEY (or with one too short to be a secret)', () => {
    assertRejected({ ...safe, SECRET_KEY: undefined }, 'SECRET_KEY');
    assertRejected({ ...safe, SECRET_KEY: '   ' }, 'SECRET_KEY');
    assertRejected({ ...safe, SECRET_KEY: 'x'.repeat(31) }, 'SECRET_KEY');
    const ok = 'abcde'.repeat(7);
    assert.equal(loadConfig({ ...safe, SECRET_KEY: ok }).secretKey, ok);
  });

  it('refuses an obviously weak SECRET_KEY: fewer than 5 distinct characters (Django’s security.W009)', () => {
    for (const weak of ['x'.repeat(32), 'ab'.repeat(40), 'abcd'.repeat(25), '0000111122223333'.repeat(4)]) {
      const error = assertRejected({ ...safe, SECRET_KEY: weak }, 'SECRET_KEY');
      assert.match(error.message, /fewer than 5 distinct characters/);
      assert.ok(!error.message.includes(weak), 'the secret is not repeated in the message');
    }
    // Five distinct characters pass; development is not checked.
    assert.equal(loadConfig({ ...safe, SECRET_KEY: 'abcde'.repeat(10) }).production, true);
    assert.equal(loadConfig({ SECRET_KEY: 'x'.repeat(32) }).secretKey, 'x'.repeat(32));
  });

  it('warns (without refusing) about a production SECRET_KEY under 50 characters', () => {
    const short = 'abcdefghij'.repeat(4) + 'k'.repeat(9); // 49 characters
    const [warning, ...more] = configWarnings(loadConfig({ ...safe, SECRET_KEY: short }));
    assert.deepEqual(more, []);
    assert.match(warning ?? '', /^SECRET_KEY: [^\n]*50/);
    assert.ok(!(warning ?? '').includes(short), 'the secret is not repeated in the warning');
    assert.deepEqual(configWarnings(loadConfig({ ...safe, SECRET_KEY: `${short}l` })), []);
    // Counted in characters, as Django counts them, not UTF-16 units.
    assert.equal(
      configWarnings(loadConfig({ ...safe, SECRET_KEY: '🔑'.repeat(25) + 'abcdefghijklmnopqrst' })).length,
      1,
    );
    assert.deepEqual(configWarnings(loadConfig({ SECRET_KEY: short })), [], 'development: no warning');
  });

  it('refuses ALLOWED_HOSTS unset or containing "*"', () => {
    assertRejected({ ...safe, ALLOWED_HOSTS: undefined }, 'ALLOWED_HOSTS');
    assertRejected({ ...safe, ALLOWED_HOSTS: '' }, 'ALLOWED_HOSTS');
    assertRejected({ ...safe, ALLOWED_HOSTS: '*' }, 'ALLOWED_HOSTS');
    assertRejected({ ...safe, ALLOWED_HOSTS: 'api.example.com,*' }, 'ALLOWED_HOSTS');
    // The development default ("*" is allowed there) still works outside production.
    assert.deepEqual(loadConfig({ ALLOWED_HOSTS: '*' }).allowedHosts, ['*']);
  });

  it('refuses to start without HTTPS: neither TLS files nor TRUSTED_PROXIES', () => {
    const error = assertRejected(
      { ...safe, TLS_CERT_FILE: undefined, TLS_KEY_FILE: undefined },
      'TLS_CERT_FILE',
    );
    // The message names both ways to fix it.
    assert.match(error.message, /TLS_KEY_FILE/);
    assert.match(error.message, /TRUSTED_PROXIES/);
  });

  it('TLS with only one of certificate and key, or a file that does not exist, is refused', () => {
    assertRejected({ ...safe, TLS_KEY_FILE: undefined }, 'TLS_KEY_FILE');
    assertRejected({ ...safe, TLS_CERT_FILE: undefined }, 'TLS_CERT_FILE');
    assertRejected({ ...safe, TLS_CERT_FILE: join(dir, 'missing-cert.pem') }, 'TLS_CERT_FILE');
    assertRejected({ ...safe, TLS_KEY_FILE: join(dir, 'missing-key.pem') }, 'TLS_KEY_FILE');
    // Half a TLS configuration is wrong in development too.
    assertRejected({ TLS_CERT_FILE: certFile }, 'TLS_KEY_FILE');
  });

  it('TRUSTED_PROXIES: garbage is refused at start, naming the variable', () => {
    const proxied = { ...safe, TLS_CERT_FILE: undefined, TLS_KEY_FILE: undefined };
    for (const garbage of [
      'garbage',
      'localhost',
      '10.0.0.1 10.0.0.2',
      '10.0.0.0/8,nope',
      '999.1.1.1',
      '10.0.0',
      '10.0.0.0/33',
      '10.0.0.0/',
      '1.2.3.4/0',
      ':',
      '::1/129',
      '2001:db8::g',
    ]) {
      assertRejected({ ...proxied, TRUSTED_PROXIES: garbage }, 'TRUSTED_PROXIES');
    }
  });

  it('TRUSTED_PROXIES: IPv4, IPv6 and CIDR ranges are accepted, and the app builds with them', async () => {
    const proxied = { ...safe, TLS_CERT_FILE: undefined, TLS_KEY_FILE: undefined };
    const cases: ReadonlyArray<readonly [string, readonly string[]]> = [
      ['127.0.0.1', ['127.0.0.1']],
      ['::1', ['::1']],
      ['10.0.0.0/8', ['10.0.0.0/8']],
      ['2001:db8::/32', ['2001:db8::/32']],
      [' 192.168.1.10 , fd00::/8,172.16.0.0/12 ', ['192.168.1.10', 'fd00::/8', '172.16.0.0/12']],
      ['::ffff:10.0.0.1', ['::ffff:10.0.0.1']],
    ];
    for (const [raw, expected] of cases) {
      const config = loadConfig({ ...proxied, TRUSTED_PROXIES: raw, DATABASE_URL: 'sqlite::memory:' });
      assert.deepEqual(config.trustedProxies, expected, raw);
      // Whatever the config accepts, Fastify's proxy matching must accept too (no failure at listen).
      const keygate = createKeygate(config);
      try {
        const app = buildApp(keygate, { logger: false });
        await app.ready();
        await app.close();
      } finally {
        await keygate.close();
      }
    }
  });

  it('`serve` in production with a bad configuration exits 2 naming the variable, before opening a database', async () => {
    const database = join(dir, 'never.sqlite3');
    const port = String(await freePort());
    const base = cleanEnv({ ...(safe as Record<string, string>), DATABASE_URL: `sqlite:${database}` });
    const noTls = { TLS_CERT_FILE: '', TLS_KEY_FILE: '' };
    const cases: ReadonlyArray<readonly [string, Record<string, string>, readonly string[]]> = [
      ['SECRET_KEY', { SECRET_KEY: '' }, []],
      ['SECRET_KEY', { SECRET_KEY: 'ab'.repeat(30) }, []],
      ['ALLOWED_HOSTS', { ALLOWED_HOSTS: '*' }, []],
      ['TLS_CERT_FILE', noTls, []],
      // The flags are the variables by another name: half a pair is named by its variable.
      ['TLS_KEY_FILE', { TLS_CERT_FILE: '', TLS_KEY_FILE: '' }, ['--tls-cert', certFile]],
      ['TRUSTED_PROXIES', { ...noTls, TRUSTED_PROXIES: '999.1.1.1' }, []],
      ['TRUSTED_PROXIES', { ...noTls, TRUSTED_PROXIES: '10.0.0.0/33' }, ['--workers', '2']],
    ];
    const results = await Promise.all(
      cases.map(([, overrides, args]) =>
        runBounded(['serve', '--port', port, ...args], { ...base, ...overrides }),
      ),
    );
    cases.forEach(([variable, overrides, args], i) => {
      const result = results[i]!;
      const label = `${variable} ${JSON.stringify(overrides)} ${args.join(' ')}`;
      assert.equal(result.code, 2, `${label}: exit ${String(result.code)}\n${result.stderr}`);
      assert.equal(result.stdout, '', label);
      assert.match(
        result.stderr,
        new RegExp(`^keygate: configuration error: ${variable}: [^\\n]+\\n$`),
        label,
      );
    });
    assert.equal(existsSync(database), false, 'no database may be created by a refused start');
  });

  it('`serve` in production warns once on stderr about a SECRET_KEY under 50 characters, and starts', async () => {
    const proxied = {
      KEYGATE_ENV: 'production',
      ALLOWED_HOSTS: '127.0.0.1',
      TRUSTED_PROXIES: '127.0.0.1',
      LOG_LEVEL: 'info',
    };
    const shortSecret = SECRET_KEY.slice(0, 41);
    const short = cleanEnv({
      ...proxied,
      SECRET_KEY: shortSecret,
      DATABASE_URL: `sqlite:${join(dir, 'short.sqlite3')}`,
    });
    const long = cleanEnv({
      ...proxied,
      SECRET_KEY,
      DATABASE_URL: `sqlite:${join(dir, 'long.sqlite3')}`,
    });
    assert.ok(shortSecret.length < 50 && SECRET_KEY.length >= 50);
    // Two workers: the primary warns, not each worker again.
    const warned = startServe(short, await freePort(), ['--workers', '2']);
    const quiet = startServe(long, await freePort());
    try {
      await Promise.all([
        waitUntilAnswering(warned, '/readyz', 'any'),
        waitUntilAnswering(quiet, '/readyz', 'any'),
      ]);
      await waitFor('both workers listening', STARTUP_MS, () =>
        (warned.output().match(/Server listening at/g) ?? []).length >= 2 ? true : undefined,
      );
      const warnings = warned.output().match(/^keygate: configuration warning: .*$/gm) ?? [];
      assert.equal(warnings.length, 1, warned.output());
      assert.match(warnings[0], /^keygate: configuration warning: SECRET_KEY: [^\n]*50/);
      assert.ok(!warned.output().includes(shortSecret), 'the secret is not printed');
      assert.ok(!quiet.output().includes('configuration warning'), quiet.output());
    } finally {
      await Promise.all([stopServe(warned), stopServe(quiet)]);
    }
  });
});
