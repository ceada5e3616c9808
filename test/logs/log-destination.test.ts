// LogDestination in real processes: a crash writes out every line before it, a flood is bounded and
// counted, lines stay whole.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runToEnd, type CliResult } from '../helpers.js';

const FIXTURES = 'test/logs/fixtures';

/** Runs a fixture through tsx, stdout and stderr on pipes. */
function runFixture(file: string, args: readonly string[]): Promise<CliResult> {
  return runToEnd(process.execPath, ['--import', 'tsx', `${FIXTURES}/${file}`, ...args]);
}

function parsed(stdout: string): Array<Record<string, unknown>> {
  assert.ok(stdout.endsWith('\n'), 'the output ends with a whole line');
  return stdout
    .slice(0, -1)
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('LogDestination', () => {
  for (const how of ['throw', 'reject'] as const) {
    it(`a crash (${how}): the fatal line and every line before it reach stdout, exit status 1`, async () => {
      const count = 5000;
      const run = await runFixture('log-then-crash.ts', [String(count), how]);
      assert.equal(run.code, 1, run.stderr);
      const lines = parsed(run.stdout);
      assert.deepEqual(
        lines.slice(0, -1).map((line) => line.n),
        Array.from({ length: count }, (_, n) => n),
        'every line, in order',
      );
      const fatal = lines.at(-1)!;
      assert.equal(fatal.level, 60);
      assert.equal(fatal.msg, how === 'throw' ? 'uncaught exception' : 'unhandled promise rejection');
      const err = fatal.err as { message?: string; stack?: string };
      assert.equal(err.message, how === 'throw' ? 'thrown on purpose' : 'rejected on purpose');
      assert.match(String(err.stack), /log-then-crash\.ts/);
    });
  }

  it('a flood past the buffer bound: the rest is dropped, counted in a warning, never a half line', async () => {
    const count = 20_000;
    const run = await runFixture('flood.ts', [String(count), String(64 * 1024)]);
    assert.equal(run.code, 0, run.stderr);
    const lines = parsed(run.stdout);
    const flood = lines.filter((line) => line.msg === 'flood');
    const warnings = lines.filter((line) => line.msg === 'log lines dropped: stdout did not keep up');
    assert.equal(warnings.length, 1);
    const dropped = warnings[0]!.dropped as number;
    assert.ok(dropped > count / 2, `most lines dropped: ${dropped}`);
    assert.equal(flood.length + dropped, count, 'every line written or counted');
    assert.equal(warnings[0]!.level, 40);
    // Written in order up to the bound: the first lines, not a sample.
    assert.deepEqual(
      flood.map((line) => line.n),
      Array.from({ length: flood.length }, (_, n) => n),
    );
    assert.ok(flood.length * 150 < 2 * 64 * 1024, `${flood.length} lines kept for a 64 KiB bound`);
  });
});
