// The committed API reference (docs/api/) is exactly what `npm run docs:api` generates, and TypeDoc warns of nothing.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, describe, it } from 'node:test';

const COMMITTED = 'docs/api';
const typedocBin = join(
  createRequire(import.meta.url).resolve('typedoc/package.json'),
  '..',
  'bin',
  'typedoc',
);

/** Every file under `dir`, as paths relative to it, sorted. */
function filesUnder(dir: string, root = dir): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      return entry.isDirectory() ? filesUnder(path, root) : [relative(root, path)];
    })
    .sort();
}

describe('API reference (docs/api)', () => {
  const out = mkdtempSync(join(tmpdir(), 'keygate-api-'));
  after(() => rmSync(out, { recursive: true, force: true }));
  // typedoc.json treats every warning (an undocumented export or member, a type the public API
  // uses but does not export, a broken {@link}) as an error, so a clean run exits 0.
  const run = spawnSync(process.execPath, [typedocBin, '--out', out], { encoding: 'utf8' });
  // eslint-disable-next-line no-control-regex -- TypeDoc colours its log even into a pipe.
  const log = `${run.stdout}${run.stderr}`.replace(/\x1b\[[0-9;]*m/g, '');

  it('generates with no TypeDoc warning or error', () => {
    const problems = log.split('\n').filter((line) => /\[(warning|error)\]/.test(line));
    assert.deepEqual(problems, [], `TypeDoc reported:\n${problems.join('\n')}`);
    assert.equal(run.status, 0, log);
  });

  it('matches the committed reference (run `npm run docs:api` after changing the public API)', (t) => {
    // With a warning TypeDoc writes nothing; the test above says why.
    if (run.status !== 0) return t.skip('TypeDoc failed');
    const generated = filesUnder(out);
    assert.deepEqual(filesUnder(COMMITTED), generated, 'docs/api has other files than TypeDoc generates');
    const stale = generated.filter(
      (file) => readFileSync(join(out, file), 'utf8') !== readFileSync(join(COMMITTED, file), 'utf8'),
    );
    assert.deepEqual(stale, [], 'these docs/api files differ from what TypeDoc generates');
  });
});
