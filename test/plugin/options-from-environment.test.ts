// optionsFromEnvironment: the settings the CLI would use in this directory, for an app to open keygate with.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, openKeygate, optionsFromEnvironment } from '../../src/index.js';

describe('optionsFromEnvironment', () => {
  it('reads .env, lets the environment win, and opens the database the CLI would', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keygate-env-'));
    const before = process.cwd();
    const saved = { ...process.env };
    try {
      process.chdir(dir);
      writeFileSync(
        '.env',
        `DATABASE_URL=sqlite:${join(dir, 'app.sqlite3')}\nTOKEN_POLICY=hashed\nPORT=9000\n`,
      );
      process.env.PORT = '9100';
      delete process.env.DATABASE_URL;
      delete process.env.TOKEN_POLICY;
      const options = optionsFromEnvironment();
      assert.equal(options.database, `sqlite:${join(dir, 'app.sqlite3')}`);
      assert.equal(options.tokenPolicy, 'hashed');
      assert.equal(options.port, 9100);
      const keygate = openKeygate(options);
      try {
        assert.ok((await keygate.migrate()).length > 0);
        assert.deepEqual(await keygate.migrate(), []);
        assert.equal(keygate.config.tokenPolicy, 'hashed');
        assert.equal(keygate.database.location, join(dir, 'app.sqlite3'));
      } finally {
        await keygate.close();
      }
    } finally {
      process.chdir(before);
      process.env = saved;
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a bad setting as the CLI does, naming the variable', () => {
    const saved = { ...process.env };
    try {
      process.env.TOKEN_POLICY = 'plaintext';
      assert.throws(
        () => optionsFromEnvironment(),
        (error: unknown) => {
          assert.ok(error instanceof ConfigError);
          assert.match(error.message, /TOKEN_POLICY/);
          return true;
        },
      );
    } finally {
      process.env = saved;
    }
  });
});
