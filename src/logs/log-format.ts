// Which way log lines are written: JSON for machines, or text for a person at a terminal.
import type { Config } from '../config/index.js';

/** What LOG_FORMAT resolves to once the terminal is known. */
export type LineFormat = 'json' | 'text';

/**
 * LOG_FORMAT resolved: `auto` is text when stdout is a terminal outside production, JSON otherwise.
 * Production is always JSON (the configuration refuses `text` there).
 */
export function lineFormat(
  config: Pick<Config, 'logFormat' | 'production'>,
  stdoutIsTerminal: boolean,
): LineFormat {
  if (config.production) return 'json';
  if (config.logFormat === 'auto') return stdoutIsTerminal ? 'text' : 'json';
  return config.logFormat;
}
