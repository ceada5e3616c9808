// Number formats and table layouts the report's text and Markdown share.
import type { Measurement } from './measure.js';

/** The databases' names as the report writes them. */
export const DIALECT_NAME = { sqlite: 'SQLite', postgres: 'PostgreSQL' } as const;

/** A number with `digits` decimals and thousands separators; `-` when there is none. */
export function fmt(value: number | undefined, digits = 0): string {
  if (value === undefined || !Number.isFinite(value)) return '-';
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** A signed percentage: `+3.2%`, `-7.5%`. */
export function signed(value: number): string {
  return `${value >= 0 ? '+' : ''}${value.toFixed(1)}%`;
}

/** PASS, MISS, or n/a when the target could not be measured. */
export function verdict(pass: boolean | null): string {
  return pass === null ? 'n/a' : pass ? 'PASS' : 'MISS';
}

/** Lays out rows as an aligned text table (numbers right-aligned), with a header rule. */
export function textTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const numeric = header.map((_, c) => rows.every((r) => /^[-+]?[\d,.]*%?$|^-$|^$/.test(r[c] ?? '')));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, c) => (numeric[c] ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** A Markdown table of the same rows. */
export function markdownTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const line = (cells: readonly string[]): string =>
    `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** Server CPU time per request, µs: the cost of a request, less sensitive than req/s to a busy machine. */
export function cpuMicrosPerRequest(m: Measurement | undefined): number | undefined {
  if (m === undefined || m.requestsPerSecond <= 0) return undefined;
  return (m.cpuPercent / 100 / m.requestsPerSecond) * 1e6;
}

/** bare ÷ keygate CPU per request: the req/s ratio both would reach if each had a core to itself. */
export function cpuRatio(
  bare: Measurement | undefined,
  keygate: Measurement | undefined,
): number | undefined {
  const b = cpuMicrosPerRequest(bare);
  const k = cpuMicrosPerRequest(keygate);
  return b === undefined || k === undefined || k === 0 ? undefined : b / k;
}
