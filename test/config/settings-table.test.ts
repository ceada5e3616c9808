// The settings table is the one source: Config, `keygate --help`, .env.example and README agree with it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  loadConfig,
  renderEnvExample,
  resolveConfig,
  SETTING_DEFINITIONS,
  SETTING_KEYS,
  SETTINGS,
} from '../../src/config/index.js';
import { runCli } from '../helpers.js';

/** How README's configuration table writes a default: `value` in backticks, or unset/none. */
function readmeDefault(shown: string): string {
  if (shown === '(unset)') return 'unset';
  if (shown === '(none)') return 'none';
  return `\`${shown}\``;
}

describe('the settings table', () => {
  it('defines each Config property once, with a variable of its own', () => {
    assert.deepEqual(Object.keys(loadConfig({})), SETTING_KEYS);
    assert.deepEqual(Object.keys(resolveConfig()), SETTING_KEYS);
    const names = SETTINGS.map((s) => s.name);
    assert.equal(new Set(names).size, names.length, 'variables are unique');
    assert.deepEqual(
      SETTINGS.map((s) => s.option),
      SETTING_KEYS,
    );
    for (const setting of SETTINGS) {
      assert.match(setting.name, /^[A-Z][A-Z0-9_]*$/, setting.name);
      assert.equal(SETTING_DEFINITIONS[setting.option].env, setting.name);
      assert.ok(setting.description.length > 0, `${setting.name} has help`);
      assert.ok(!setting.description.includes('\n'), `${setting.name}: help is one line`);
    }
  });

  it('every setting is in `keygate --help` with its default and help', async () => {
    const help = await runCli(['--help'], { PATH: process.env.PATH ?? '' });
    assert.equal(help.code, 0, help.stderr);
    const lines = help.stdout.split('\n');
    for (const setting of SETTINGS) {
      const line = lines.find((l) => l.trimStart().startsWith(`${setting.name} `));
      assert.ok(line !== undefined, `${setting.name} missing from --help`);
      assert.ok(line.includes(setting.description), `${setting.name}: help text`);
      assert.ok(line.endsWith(`(default: ${setting.default})`), `${setting.name}: ${line}`);
    }
  });

  it('.env.example is generated from the table (`npm run env-example`)', () => {
    const file = readFileSync('.env.example', 'utf8');
    assert.equal(file, renderEnvExample(), 'run `npm run env-example` after changing the table');
    // Independently of the renderer: exactly the table's variables, in order, with their defaults.
    const assignments = [...file.matchAll(/^(# )?([A-Z][A-Z0-9_]*)=(.*)$/gm)].map((m) => ({
      name: m[2],
      value: m[1] === undefined ? m[3] : '(commented out)',
    }));
    assert.deepEqual(
      assignments,
      SETTINGS.map((s) => ({
        name: s.name,
        value: s.default.startsWith('(') ? '(commented out)' : s.default,
      })),
    );
    // What .env.example sets is the default: copying it to .env changes nothing.
    const env = Object.fromEntries(
      assignments.filter((a) => a.value !== '(commented out)').map((a) => [a.name, a.value]),
    );
    assert.deepEqual(loadConfig(env), loadConfig({}));
  });

  it("every setting has a row in README.md's configuration table, with its default", () => {
    const readme = readFileSync('README.md', 'utf8');
    const section = readme.slice(readme.indexOf('\n## Configuration\n'));
    const table = section.slice(0, section.indexOf('\n\n', section.indexOf('\n| variable |')));
    const rows = new Map(
      [...table.matchAll(/^\| `([A-Z][A-Z0-9_]*)` \| ([^|]+) \|/gm)].map((m) => [m[1], m[2]!.trim()]),
    );
    for (const setting of SETTINGS) {
      assert.ok(rows.has(setting.name), `${setting.name} missing from README's configuration table`);
      assert.equal(rows.get(setting.name), readmeDefault(setting.default), `${setting.name}: README default`);
    }
    assert.deepEqual(
      [...rows.keys()].filter((name) => !SETTINGS.some((s) => s.name === name)),
      [],
      'README lists no setting the table lacks',
    );
  });
});
