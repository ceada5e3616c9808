// loadConfig: documented defaults, every accepted spelling, every rejected value naming its variable.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig, SETTINGS } from '../src/config.js';

/** Asserts that `env` is rejected with a ConfigError about `variable`, its message starting with it. */
function assertRejected(env: NodeJS.ProcessEnv, variable: string): void {
  assert.throws(
    () => loadConfig(env),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
      assert.equal(error.variable, variable);
      assert.ok(
        error.message.startsWith(`${variable}: `),
        `message should start with "${variable}: ": ${error.message}`,
      );
      return true;
    },
    `${JSON.stringify(env)} should be rejected`,
  );
}

describe('loadConfig', () => {
  it('an empty environment gives the documented defaults', () => {
    assert.deepEqual(
      { ...loadConfig({}) },
      {
        databaseUrl: 'sqlite:data/keygate.sqlite3',
        host: '127.0.0.1',
        port: 8000,
        secretKey: null,
        allowedHosts: ['localhost', '127.0.0.1', '[::1]'],
        tokenPolicy: 'drf',
        autoCreateToken: true,
        logLevel: 'info',
        logFormat: 'auto',
        production: false,
        trustedProxies: [],
        tlsCertFile: null,
        tlsKeyFile: null,
        databasePoolSize: 10,
        tokenCacheMs: 1000,
        loginFailuresPerUser: 10,
        loginFailuresPerUserTotal: 100,
        loginFailuresPerAddress: 50,
        loginFailureWindowSeconds: 900,
        redisUrl: null,
        passwordValidators: [
          { name: 'UserAttributeSimilarity', maxSimilarity: 0.7 },
          { name: 'MinimumLength', minLength: 8 },
          { name: 'Common' },
          { name: 'Numeric' },
        ],
        headersTimeoutMs: 10_000,
        requestTimeoutMs: 30_000,
        keepAliveTimeoutMs: 5_000,
        maxConnections: 1024,
      },
    );
  });

  it('every default printed in SETTINGS (and --help) is the default loadConfig applies', () => {
    const defaults = loadConfig({});
    for (const setting of SETTINGS) {
      if (setting.default === '(unset)' || setting.default === '(none)') continue;
      assert.deepEqual(loadConfig({ [setting.name]: setting.default }), defaults, setting.name);
    }
  });

  it('blank values count as unset', () => {
    assert.deepEqual(loadConfig({ PORT: '', TOKEN_POLICY: '   ', SECRET_KEY: ' ' }), loadConfig({}));
  });

  it('accepts every documented spelling', () => {
    const secret = 'x'.repeat(32);
    const config = loadConfig({
      DATABASE_URL: 'postgresql://keygate@db.internal:5432/keygate',
      HOST: '0.0.0.0',
      PORT: ' 0 ',
      SECRET_KEY: secret,
      ALLOWED_HOSTS: ' API.Example.com , .example.org,* ',
      TOKEN_POLICY: 'HASHED',
      AUTO_CREATE_TOKEN: 'Off',
      LOG_LEVEL: 'Silent',
      LOG_FORMAT: ' Text ',
    });
    assert.equal(config.databaseUrl, 'postgresql://keygate@db.internal:5432/keygate');
    assert.equal(config.host, '0.0.0.0');
    assert.equal(config.port, 0);
    assert.equal(config.secretKey, secret);
    assert.deepEqual(config.allowedHosts, ['api.example.com', '.example.org', '*']);
    assert.equal(config.tokenPolicy, 'hashed');
    assert.equal(config.autoCreateToken, false);
    assert.equal(config.logLevel, 'silent');
    assert.equal(config.logFormat, 'text');

    assert.equal(loadConfig({ PORT: '65535' }).port, 65535);
    assert.equal(loadConfig({ DATABASE_URL: 'postgres://u@h/d' }).databaseUrl, 'postgres://u@h/d');
    for (const word of ['1', 'true', 'YES', 'on']) {
      assert.equal(loadConfig({ AUTO_CREATE_TOKEN: word }).autoCreateToken, true, word);
    }
    for (const word of ['0', 'false', 'No', 'OFF']) {
      assert.equal(loadConfig({ AUTO_CREATE_TOKEN: word }).autoCreateToken, false, word);
    }
  });

  it('each invalid value throws a ConfigError whose message starts with the variable name', () => {
    const cases: ReadonlyArray<readonly [string, string]> = [
      ['PORT', 'abc'],
      ['PORT', '65536'],
      ['PORT', '-1'],
      ['PORT', '80.5'],
      ['PORT', '123456'],
      ['TOKEN_POLICY', 'nope'],
      ['AUTO_CREATE_TOKEN', 'maybe'],
      ['AUTO_CREATE_TOKEN', 'truee'],
      ['DATABASE_URL', 'mysql://x'],
      ['DATABASE_URL', 'sqlite:'],
      ['DATABASE_URL', 'postgres://'],
      ['DATABASE_URL', 'data/keygate.sqlite3'],
      ['LOG_LEVEL', 'verbose'],
      ['LOG_FORMAT', 'pretty'],
      ['HOST', 'bad host'],
      ['ALLOWED_HOSTS', ',,,'],
      ['ALLOWED_HOSTS', 'example.com,bad host'],
      ['ALLOWED_HOSTS', 'http://example.com'],
      ['TOKEN_CACHE_MS', '1001'],
      ['TOKEN_CACHE_MS', '-1'],
      ['TOKEN_CACHE_MS', 'soon'],
    ];
    for (const [variable, value] of cases) assertRejected({ [variable]: value }, variable);
  });

  it('PASSWORD_VALIDATORS lists validators in order, with options; none turns them all off', () => {
    const parsed = (raw: string) => loadConfig({ PASSWORD_VALIDATORS: raw }).passwordValidators;
    assert.deepEqual(parsed(' numeric , MinimumLength:12,userattributesimilarity:0.5 '), [
      { name: 'Numeric' },
      { name: 'MinimumLength', minLength: 12 },
      { name: 'UserAttributeSimilarity', maxSimilarity: 0.5 },
    ]);
    assert.deepEqual(parsed('Common,UserAttributeSimilarity:1'), [
      { name: 'Common' },
      { name: 'UserAttributeSimilarity', maxSimilarity: 1 },
    ]);
    assert.deepEqual(parsed('None'), []);
    assert.ok(Object.isFrozen(parsed('MinimumLength')));
    assert.ok(Object.isFrozen(parsed('MinimumLength')[0]));
    for (const bad of [
      'Strong',
      'Common,Common',
      'MinimumLength:0',
      'MinimumLength:eight',
      'MinimumLength:',
      'UserAttributeSimilarity:0.09',
      'UserAttributeSimilarity:1.5',
      'UserAttributeSimilarity:.5',
      'Numeric:1',
      'none,Common',
      ',',
    ]) {
      assertRejected({ PASSWORD_VALIDATORS: bad }, 'PASSWORD_VALIDATORS');
    }
  });

  it('server timeouts and the connection cap: seconds and a count, each checked', () => {
    const config = loadConfig({
      HEADERS_TIMEOUT: '1',
      REQUEST_TIMEOUT: ' 2 ',
      KEEP_ALIVE_TIMEOUT: '65',
      MAX_CONNECTIONS: '50',
    });
    assert.equal(config.headersTimeoutMs, 1000);
    assert.equal(config.requestTimeoutMs, 2000);
    assert.equal(config.keepAliveTimeoutMs, 65_000);
    assert.equal(config.maxConnections, 50);
    const cases: ReadonlyArray<readonly [string, string]> = [
      ['HEADERS_TIMEOUT', '0'],
      ['HEADERS_TIMEOUT', '1.5'],
      ['HEADERS_TIMEOUT', 'ten'],
      ['HEADERS_TIMEOUT', '-1'],
      ['REQUEST_TIMEOUT', '0'],
      ['REQUEST_TIMEOUT', '3601'],
      ['REQUEST_TIMEOUT', '30s'],
      ['KEEP_ALIVE_TIMEOUT', '0'],
      ['KEEP_ALIVE_TIMEOUT', '3601'],
      ['MAX_CONNECTIONS', '0'],
      ['MAX_CONNECTIONS', 'many'],
      ['MAX_CONNECTIONS', '1000001'],
    ];
    for (const [variable, value] of cases) assertRejected({ [variable]: value }, variable);
    // Node refuses a headers timeout longer than the request timeout; keygate says so at start.
    assertRejected({ HEADERS_TIMEOUT: '31' }, 'HEADERS_TIMEOUT');
    assertRejected({ HEADERS_TIMEOUT: '5', REQUEST_TIMEOUT: '4' }, 'HEADERS_TIMEOUT');
    assert.equal(loadConfig({ HEADERS_TIMEOUT: '4', REQUEST_TIMEOUT: '4' }).headersTimeoutMs, 4000);
  });

  it('a SECRET_KEY shorter than 32 characters is rejected; 32 is enough', () => {
    assertRejected({ SECRET_KEY: 'short' }, 'SECRET_KEY');
    assertRejected({ SECRET_KEY: 'x'.repeat(31) }, 'SECRET_KEY');
    assert.equal(loadConfig({ SECRET_KEY: 'x'.repeat(32) }).secretKey, 'x'.repeat(32));
  });

  it('the returned config is frozen, its host list too', () => {
    const config = loadConfig({});
    assert.ok(Object.isFrozen(config));
    assert.ok(Object.isFrozen(config.allowedHosts));
    assert.throws(() => {
      (config as { port: number }).port = 1;
    }, TypeError);
    assert.throws(() => {
      (config.allowedHosts as string[]).push('evil.example');
    }, TypeError);
    assert.equal(config.port, 8000);
    assert.deepEqual(config.allowedHosts, ['localhost', '127.0.0.1', '[::1]']);
  });
});
