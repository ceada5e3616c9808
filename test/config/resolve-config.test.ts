// resolveConfig: typed options plus defaults -> the Config loadConfig would give, never reading the environment.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  ConfigError,
  loadConfig,
  resolveConfig,
  SETTINGS,
  type ConfigOptions,
} from '../../src/config/index.js';

const SECRET = 'k3ygate-resolve-config-test-secret-0123456789-abcdef';

/** Asserts that `options` are rejected with a ConfigError naming `option`; returns the message. */
function assertRejected(options: Record<string, unknown>, option: string): string {
  let message = '';
  assert.throws(
    () => resolveConfig(options),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
      assert.equal(error.variable, option, error.message);
      assert.ok(error.message.startsWith(`${option}: `), error.message);
      message = error.message;
      return true;
    },
    `${JSON.stringify(options)} should be rejected naming ${option}`,
  );
  return message;
}

describe('resolveConfig', () => {
  let dir = '';
  let certFile = '';
  let keyFile = '';

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'keygate-resolve-'));
    certFile = join(dir, 'cert.pem');
    keyFile = join(dir, 'key.pem');
    writeFileSync(certFile, 'certificate');
    writeFileSync(keyFile, 'key');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('no options: the defaults loadConfig applies to an empty environment, frozen', () => {
    const config = resolveConfig();
    assert.deepEqual(config, loadConfig({}));
    assert.equal(config.secretKey, null, 'development: the per-process secret, as without SECRET_KEY');
    assert.ok(Object.isFrozen(config));
    assert.ok(Object.isFrozen(config.allowedHosts));
    assert.ok(Object.isFrozen(config.passwordValidators));
  });

  it('reads neither process.env nor .env', () => {
    const saved = { PORT: process.env.PORT, TOKEN_POLICY: process.env.TOKEN_POLICY };
    const cwd = process.cwd();
    process.env.PORT = '1234';
    process.env.TOKEN_POLICY = 'hashed';
    writeFileSync(join(dir, '.env'), 'LOG_LEVEL=debug\nHOST=0.0.0.0\n');
    process.chdir(dir);
    try {
      const config = resolveConfig({});
      assert.equal(config.port, 8000);
      assert.equal(config.tokenPolicy, 'drf');
      assert.equal(config.logLevel, 'info');
      assert.equal(config.host, '127.0.0.1');
    } finally {
      process.chdir(cwd);
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });

  it('typed options give the Config their environment spelling gives', () => {
    const config = resolveConfig({
      databaseUrl: 'postgresql://keygate@db.internal:5432/keygate',
      host: '0.0.0.0',
      port: 0,
      secretKey: SECRET,
      allowedHosts: [' API.Example.com', '.example.org'],
      tokenPolicy: 'hashed',
      autoCreateToken: false,
      logLevel: 'silent',
      trustedProxies: ['10.0.0.0/8', '::1'],
      databasePoolSize: 3,
      tokenCacheMs: 0,
      loginFailuresPerUser: 0,
      loginFailureWindowSeconds: 60,
      redisUrl: 'redis://127.0.0.1:6379/2',
      passwordValidators: [{ name: 'MinimumLength', minLength: 12 }, { name: 'Common' }],
      headersTimeoutMs: 4000,
      requestTimeoutMs: 4000,
      keepAliveTimeoutMs: 65_000,
      maxConnections: 50,
    });
    assert.deepEqual(
      config,
      loadConfig({
        DATABASE_URL: 'postgresql://keygate@db.internal:5432/keygate',
        HOST: '0.0.0.0',
        PORT: '0',
        SECRET_KEY: SECRET,
        ALLOWED_HOSTS: 'api.example.com,.example.org',
        TOKEN_POLICY: 'hashed',
        AUTO_CREATE_TOKEN: 'false',
        LOG_LEVEL: 'silent',
        TRUSTED_PROXIES: '10.0.0.0/8,::1',
        DATABASE_POOL_SIZE: '3',
        TOKEN_CACHE_MS: '0',
        LOGIN_FAILURES_PER_USER: '0',
        LOGIN_FAILURE_WINDOW: '60',
        REDIS_URL: 'redis://127.0.0.1:6379/2',
        PASSWORD_VALIDATORS: 'MinimumLength:12,Common',
        HEADERS_TIMEOUT: '4',
        REQUEST_TIMEOUT: '4',
        KEEP_ALIVE_TIMEOUT: '65',
        MAX_CONNECTIONS: '50',
      }),
    );
    // A validator's option left out takes Django's default, as in the environment.
    assert.deepEqual(
      resolveConfig({ passwordValidators: [{ name: 'MinimumLength' } as never] }).passwordValidators,
      [{ name: 'MinimumLength', minLength: 8 }],
    );
    assert.deepEqual(resolveConfig({ passwordValidators: [] }).passwordValidators, []);
  });

  it('any Config loadConfig gives, passed back as options, resolves to itself', () => {
    const environments: NodeJS.ProcessEnv[] = [
      {},
      { SECRET_KEY: 'x'.repeat(32), TOKEN_POLICY: 'hashed', PASSWORD_VALIDATORS: 'none' },
      { ALLOWED_HOSTS: '*', TLS_CERT_FILE: certFile, TLS_KEY_FILE: keyFile, LOG_LEVEL: 'trace' },
      {
        KEYGATE_ENV: 'production',
        SECRET_KEY: SECRET,
        ALLOWED_HOSTS: 'api.example.com',
        TRUSTED_PROXIES: '127.0.0.1',
        PASSWORD_VALIDATORS: 'UserAttributeSimilarity:0.5,Numeric',
      },
    ];
    for (const env of environments) {
      const loaded = loadConfig(env);
      assert.deepEqual(resolveConfig({ ...loaded }), loaded, JSON.stringify(env));
    }
    // Each setting given alone at its default changes nothing.
    const defaults = loadConfig({});
    for (const { option } of SETTINGS) {
      assert.deepEqual(resolveConfig({ [option]: defaults[option] }), defaults, option);
    }
  });

  it('each invalid option throws a ConfigError naming the option', () => {
    const cases: ReadonlyArray<readonly [string, unknown]> = [
      ['databaseUrl', 'mysql://x'],
      ['databaseUrl', 42],
      ['host', 'bad host'],
      ['port', 65536],
      ['port', -1],
      ['port', 80.5],
      ['port', '8000'],
      ['secretKey', 'short'],
      ['secretKey', 32],
      ['allowedHosts', []],
      ['allowedHosts', 'example.com'],
      ['allowedHosts', ['example.com', 'bad host']],
      ['allowedHosts', ['http://example.com']],
      ['tokenPolicy', 'nope'],
      ['tokenPolicy', 'HASHED'],
      ['autoCreateToken', 'true'],
      ['autoCreateToken', 1],
      ['logLevel', 'verbose'],
      ['production', 'production'],
      ['trustedProxies', ['garbage']],
      ['trustedProxies', '10.0.0.1'],
      ['tlsCertFile', 42],
      ['databasePoolSize', 0],
      ['databasePoolSize', 201],
      ['tokenCacheMs', 1001],
      ['tokenCacheMs', 1.5],
      ['loginFailuresPerUser', -1],
      ['loginFailureWindowSeconds', 0],
      ['redisUrl', 'http://redis'],
      ['passwordValidators', 'Common'],
      ['passwordValidators', [{ name: 'Strong' }]],
      ['passwordValidators', [{ name: 'common' }]],
      ['passwordValidators', [{ name: 'Common' }, { name: 'Common' }]],
      ['passwordValidators', [{ name: 'MinimumLength', minLength: 0 }]],
      ['passwordValidators', [{ name: 'UserAttributeSimilarity', maxSimilarity: 1.5 }]],
      ['passwordValidators', ['Common']],
      ['headersTimeoutMs', 999],
      ['headersTimeoutMs', 1500.5],
      ['requestTimeoutMs', 3_600_001],
      ['keepAliveTimeoutMs', 0],
      ['maxConnections', 0],
      ['maxConnections', Number.NaN],
    ];
    for (const [option, value] of cases) assertRejected({ [option]: value }, option);
    // A secret is never repeated in a message.
    assert.ok(!assertRejected({ secretKey: 'short-secret' }, 'secretKey').includes('short-secret'));
    assert.match(
      assertRejected({ headersTimeoutMs: 5000, requestTimeoutMs: 4000 }, 'headersTimeoutMs'),
      /requestTimeoutMs \(4000 ms\)/,
    );
    assert.match(assertRejected({ tlsCertFile: certFile }, 'tlsKeyFile'), /both a certificate and a key/);
    assertRejected({ tlsCertFile: join(dir, 'missing.pem'), tlsKeyFile: keyFile }, 'tlsCertFile');
  });

  it('an unknown option is refused, naming it', () => {
    const message = assertRejected({ prot: 8000 }, 'prot');
    assert.match(message, /not a keygate setting; expected one of databaseUrl, host, port/);
    assertRejected({ PORT: 8000 }, 'PORT');
  });

  it('production: the same refusals as KEYGATE_ENV=production, naming options', () => {
    const safe: ConfigOptions = {
      production: true,
      secretKey: SECRET,
      allowedHosts: ['api.example.com'],
      tlsCertFile: certFile,
      tlsKeyFile: keyFile,
    };
    assert.equal(resolveConfig(safe).production, true);
    assert.equal(
      resolveConfig({ ...safe, tlsCertFile: null, tlsKeyFile: null, trustedProxies: ['10.0.0.5'] })
        .production,
      true,
    );
    assert.match(assertRejected({ ...safe, secretKey: undefined }, 'secretKey'), /requires a secret/);
    assertRejected({ ...safe, secretKey: null }, 'secretKey');
    const weak = assertRejected({ ...safe, secretKey: 'ab'.repeat(20) }, 'secretKey');
    assert.match(weak, /fewer than 5 distinct characters/);
    assert.ok(!weak.includes('abab'));
    assertRejected({ ...safe, allowedHosts: undefined }, 'allowedHosts');
    assertRejected({ ...safe, allowedHosts: ['api.example.com', '*'] }, 'allowedHosts');
    const https = assertRejected({ ...safe, tlsCertFile: undefined, tlsKeyFile: undefined }, 'tlsCertFile');
    assert.equal(
      https,
      'tlsCertFile: production mode requires HTTPS: set tlsCertFile and tlsKeyFile, or trustedProxies for a proxy that terminates TLS',
    );
  });
});
