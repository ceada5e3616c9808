// The whole report: rendered as text and Markdown, printed, and written to bench/results/.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { markdownTable, textTable } from './format.js';
import type { BenchOptions } from './options.js';
import { formatProfileSummary } from './profile.js';
import type { BenchReport } from './results.js';
import {
  LEGEND,
  loginLines,
  noisyMeasurements,
  profiledLine,
  RUN_HEADER,
  runRows,
  runTitle,
  SCALE_HEADER,
  scaleRows,
  scaleTitle,
} from './tables.js';
import { TARGET_HEADER, targetRows } from './targets.js';

/** The report as text for the terminal and as Markdown for the results file. */
export function renderReport(report: BenchReport, options: BenchOptions): { text: string; markdown: string } {
  const text: string[] = [];
  const md: string[] = [`# keygate benchmark ${report.startedAt}`, '', `\`${report.command}\``, ''];
  md.push(
    Object.entries(report.machine)
      .map(([k, v]) => `${k}: ${v}`)
      .join(', '),
    '',
  );
  if (!report.build.ok) {
    text.push('warning: `npm run build` reported errors; the JavaScript tsc emitted anyway was benchmarked');
    md.push('**`npm run build` reported errors; the JavaScript tsc emitted anyway was benchmarked.**', '');
  }
  for (const skipped of report.skipped) {
    text.push(skipped);
    md.push(`- ${skipped}`);
  }
  const allRuns = [...report.runs, ...(report.workers.available ? report.workers.runs : [])];
  for (const run of allRuns) {
    text.push('', runTitle(run, options), textTable(RUN_HEADER, runRows(run)));
    md.push('', `## ${runTitle(run, options)}`, '', markdownTable(RUN_HEADER, runRows(run)));
  }
  text.push('', LEGEND);
  md.push('', LEGEND);
  const noisy = noisyMeasurements(allRuns);
  if (noisy.length > 0) {
    const shown = noisy.length > 6 ? [...noisy.slice(0, 6), '...'] : noisy;
    const warning = `warning: other processes used more than 20% of a core during ${noisy.length} measurement(s) (${shown.join(', ')}); rerun on an idle machine`;
    text.push(warning);
    md.push('', `**${warning}**`);
  }
  if (!report.workers.available) {
    text.push('', `workers: not available (${report.workers.reason})`);
    md.push('', `workers: not available (${report.workers.reason})`);
  }
  const login = loginLines(allRuns, report.argon2);
  if (login.length > 0) {
    text.push('', 'Login (POST /gettoken/) against raw argon2', ...login.map((l) => `  ${l}`));
    md.push('', '## Login (POST /gettoken/) against raw argon2', '', ...login.map((l) => `- ${l}`));
  }
  for (const scale of report.scale) {
    text.push('', scaleTitle(scale), textTable(SCALE_HEADER, scaleRows(scale)));
    md.push('', `## ${scaleTitle(scale)}`, '', markdownTable(SCALE_HEADER, scaleRows(scale)));
  }
  if (report.targets.length > 0) {
    text.push('', 'Targets (issue 15)', textTable(TARGET_HEADER, targetRows(report.targets)));
    md.push('', '## Targets (issue 15)', '', markdownTable(TARGET_HEADER, targetRows(report.targets)));
  }
  if (report.profile !== undefined) {
    const line = report.profiledMeasurement ? profiledLine(report.profiledMeasurement) : '';
    text.push('', line, formatProfileSummary(report.profile));
    md.push(
      '',
      '## Profile of the detail workload',
      '',
      line,
      '',
      '```',
      formatProfileSummary(report.profile),
      '```',
    );
  }
  return { text: text.join('\n'), markdown: `${md.join('\n')}\n` };
}

/** Prints the report and writes it to bench/results/<stamp>.json and .md. */
export function writeResults(root: string, stamp: string, report: BenchReport, options: BenchOptions): void {
  const { text, markdown } = renderReport(report, options);
  process.stdout.write(`\n==================== results ====================\n${text}\n`);
  const base = join(root, 'bench/results', stamp);
  writeFileSync(`${base}.json`, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(`${base}.md`, markdown);
  process.stdout.write(`\nwritten: ${base}.json and ${base}.md\n`);
}
