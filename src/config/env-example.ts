// The text of `.env.example`, written from the settings table by `npm run env-example`.
import { SETTINGS } from './settings-docs.js';

const WIDTH = 100;

/** `text` as `# ` comment lines of at most WIDTH characters (a longer word keeps its own line). */
function comment(text: string): string[] {
  const lines: string[] = [];
  let line = '#';
  for (const word of text.split(' ')) {
    if (line !== '#' && line.length + 1 + word.length > WIDTH) {
      lines.push(line);
      line = '#';
    }
    line += ` ${word}`;
  }
  lines.push(line);
  return lines;
}

/**
 * `.env.example`: every setting with its help and default; a setting without a default is shown
 * commented out. A test checks the file in the repository is exactly this.
 */
export function renderEnvExample(): string {
  const lines = [
    '# keygate configuration. Copy to .env; variables set in the environment win over this file.',
    '# `keygate --help` lists the same settings; README.md "Configuration" explains them.',
    '# Generated from src/config/settings.ts by `npm run env-example`: edit the table, not this file.',
  ];
  for (const setting of SETTINGS) {
    lines.push('', ...comment(`${setting.description}.`));
    const unset = setting.default.startsWith('(');
    lines.push(unset ? `# ${setting.name}=` : `${setting.name}=${setting.default}`);
  }
  return `${lines.join('\n')}\n`;
}
