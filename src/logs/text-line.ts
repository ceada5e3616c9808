// pino's JSON log lines as short lines for a person, in the manner of Django's runserver.

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
// Django's level names; info lines carry none, as runserver's request lines carry none.
const LEVEL_NAMES: Readonly<Record<number, string>> = {
  10: 'TRACE',
  20: 'DEBUG',
  40: 'WARNING',
  50: 'ERROR',
  60: 'CRITICAL',
};
// Fields every line has or that the request line shows its own way: not repeated as `name=value`.
const SHOWN_OTHERWISE = new Set([
  'level',
  'time',
  'pid',
  'hostname',
  'msg',
  'req',
  'res',
  'err',
  'responseTime',
]);
const REQUEST_LINES = new Set(['request completed', 'request errored']);
// A terminal obeys escape sequences: logged text (a URL, an error message) must not carry any.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

type Entry = Record<string, unknown>;

function isEntry(value: unknown): value is Entry {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `text` on one line, control characters (newlines included) escaped as `\xNN`. */
function printable(text: string): string {
  return text.replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

function shown(value: unknown): string {
  return printable(typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value)));
}

const two = (n: number): string => String(n).padStart(2, '0');

/** Django's runserver time, local: `06/Dec/2026 13:20:01`. */
export function logTime(date: Date): string {
  return (
    `${two(date.getDate())}/${MONTHS[date.getMonth()]}/${date.getFullYear()} ` +
    `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`
  );
}

/** An error as pino's serializer logs it: its stack (which starts with type and message), line by line. */
function errorText(err: unknown): string {
  if (!isEntry(err)) return '';
  const stack =
    typeof err.stack === 'string' ? err.stack : `${shown(err.type ?? 'Error')}: ${shown(err.message)}`;
  return stack
    .split('\n')
    .map((line) => `\n${printable(line)}`)
    .join('');
}

function requestLine(req: Entry, res: Entry): string {
  const version = typeof req.httpVersion === 'string' ? req.httpVersion : '1.1';
  const length = res.contentLength ?? '-';
  return `"${shown(req.method)} ${shown(req.url)} HTTP/${shown(version)}" ${shown(res.statusCode)} ${shown(length)}`;
}

/**
 * One pino JSON line (newline included) as text: a request as Django's runserver logs it,
 * `[06/Dec/2026 13:20:01] "GET /product_api/ HTTP/1.1" 200 1234`; any other line as its time, level
 * (none for info), message and fields, and an error's stack below it. What the JSON line censored
 * stays censored: the text is made from it. Anything that is not a JSON object is kept as it is.
 */
export function textLine(line: string): string {
  let entry: unknown;
  try {
    entry = JSON.parse(line);
  } catch {
    return line;
  }
  if (!isEntry(entry)) return line;
  const time = `[${logTime(new Date(typeof entry.time === 'number' ? entry.time : Date.now()))}]`;
  const { req, res } = entry;
  if (REQUEST_LINES.has(entry.msg as string) && isEntry(req) && isEntry(res)) {
    return `${time} ${requestLine(req, res)}${errorText(entry.err)}\n`;
  }
  const level = LEVEL_NAMES[entry.level as number];
  let text = `${time} ${level === undefined ? '' : `${level} `}${shown(entry.msg ?? '')}`;
  for (const [name, value] of Object.entries(entry)) {
    if (!SHOWN_OTHERWISE.has(name) && value !== undefined) text += ` ${printable(name)}=${shown(value)}`;
  }
  return `${text}${errorText(entry.err)}\n`;
}
