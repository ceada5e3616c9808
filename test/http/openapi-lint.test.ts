// Redocly CLI's recommended ruleset (the repository's redocly.yaml) on the live /openapi.json:
// no error and no warning.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, it } from 'node:test';
import { promisify } from 'node:util';
import { describeEachDialect } from '../helpers.js';
import { fetchDocument } from './openapi-support.js';

const REDOCLY = resolve('node_modules/.bin/redocly');
const CONFIG = resolve('redocly.yaml');

interface LintProblem {
  readonly ruleId: string;
  readonly severity: string;
  readonly message: string;
  readonly location: readonly { readonly pointer?: string }[];
}

interface LintReport {
  readonly totals: { readonly errors: number; readonly warnings: number; readonly ignored: number };
  readonly problems: readonly LintProblem[];
}

/** Runs `redocly lint` with the repository's configuration; the JSON report, whatever the exit code. */
async function lint(file: string): Promise<LintReport> {
  const env = {
    ...process.env,
    // No usage data, no update or deprecation notices: the run talks to nobody.
    REDOCLY_TELEMETRY: 'off',
    REDOCLY_SUPPRESS_NOTIFICATIONS: 'true',
    REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true',
  };
  const args = ['lint', '--config', CONFIG, '--format', 'json', '--max-problems', '1000', file];
  const { stdout } = await promisify(execFile)(REDOCLY, args, { env, maxBuffer: 16 * 1024 * 1024 }).catch(
    (error: Error & { stdout?: string; stderr?: string }) => {
      if (!error.stdout) throw new Error(`redocly lint did not run: ${error.stderr || error.message}`);
      return { stdout: error.stdout };
    },
  );
  return JSON.parse(stdout) as LintReport;
}

// The document is the same on both databases; one run lints it.
describeEachDialect(
  'OpenAPI document under Redocly recommended rules',
  (ctx) => {
    let dir: string;
    let file: string;

    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'keygate-openapi-lint-'));
      file = join(dir, 'openapi.json');
      writeFileSync(file, JSON.stringify(await fetchDocument(await ctx().listen()), null, 2));
    });

    after(() => rmSync(dir, { recursive: true, force: true }));

    it('reports no error and no warning', async () => {
      const report = await lint(file);
      const listed = report.problems.map(
        (p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location[0]?.pointer ?? '?'}`,
      );
      assert.deepEqual(listed, [], `redocly lint found problems:\n${listed.join('\n')}`);
      assert.equal(report.totals.errors, 0);
      assert.equal(report.totals.warnings, 0);
    });
  },
  { dialects: ['sqlite'] },
);
