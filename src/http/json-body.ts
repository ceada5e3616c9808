// DRF's JSONParser on a body: Python's decoding and json.load, at JSON.parse's speed where they agree.
import secureJson from 'secure-json-parse';
import { ParseError } from '../errors.js';
import { PythonValueError } from './python-errors.js';
import { MAX_JSON_DEPTH, pythonJsonLoads } from './python-json.js';
import { decodeUtf8LikePython } from './python-utf8.js';

/**
 * Whether a value JSON.parse read may be one Python's json refuses: nesting deeper than
 * {@link MAX_JSON_DEPTH}, or an infinite number, which is either an integer literal past
 * `MAX_INT_DIGITS` digits (Python's ValueError) or a float such as 1e400 (Python's inf).
 * A walk over the containers with explicit stacks (no recursion, no allocation per container).
 */
function mayBePythonRefused(value: unknown): boolean {
  if (value === Infinity || value === -Infinity) return true;
  if (value === null || typeof value !== 'object') return false;
  const containers: object[] = [value];
  const depths: number[] = [1];
  while (containers.length > 0) {
    const container = containers.pop() as object;
    const depth = depths.pop() as number;
    if (depth > MAX_JSON_DEPTH) return true;
    const items: readonly unknown[] = Array.isArray(container) ? container : Object.values(container);
    // An indexed loop, numbers first: this stays a fraction of JSON.parse's time on number-heavy bodies.
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      if (typeof item === 'number') {
        if (item === Infinity || item === -Infinity) return true;
      } else if (item !== null && typeof item === 'object') {
        containers.push(item);
        depths.push(depth + 1);
      }
    }
  }
  return false;
}

/**
 * `json.loads` as DRF calls it. JSON.parse reads the text where it gives Python's answer, Python's
 * scanner where it may not: text JSON.parse refuses (Python words the fault; NaN and Infinity, which
 * only Python reads, are refused there too) and the rare valid JSON {@link mayBePythonRefused}
 * flags. Nothing else differs: both read the same grammar, whitespace, escapes and lone
 * surrogates. Texts no longer than the depth limit can be flagged only for a float such as 1e400.
 */
function loads(text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return pythonJsonLoads(text);
  }
  // Where Python's scanner accepts the text, its value is JSON.parse's.
  return text.length > MAX_JSON_DEPTH && mayBePythonRefused(value) ? pythonJsonLoads(text) : value;
}

// A `"__proto__":` key in JSON text, each character written as itself or as a \u escape (hex in either case).
const PROTO_KEY =
  /"(?:_|\\u005[fF])(?:_|\\u005[fF])(?:p|\\u0070)(?:r|\\u0072)(?:o|\\u006[fF])(?:t|\\u0074)(?:o|\\u006[fF])(?:_|\\u005[fF])(?:_|\\u005[fF])"\s*:/;

/**
 * DRF 3.14's `JSONParser.parse` on a non-empty body: `json.load(codecs.getreader('utf-8')(stream),
 * parse_constant=strict_constant)`, a ValueError answered as `JSON parse error - <str(exc)>` (a
 * 400 ParseError) with Python 3.11's exact message. The value is JSON.parse's for the same text.
 * One refusal of keygate's own, after Python's: an object key `__proto__`, which Python reads as any
 * other key but which sets the prototype of an object a JavaScript caller copies keys into
 * (secure-json-parse's rule and message, as keygate has always refused it).
 */
export function parseJsonBody(body: Uint8Array): unknown {
  let text: string;
  let value: unknown;
  try {
    text = decodeUtf8LikePython(body);
    value = loads(text);
  } catch (error) {
    if (error instanceof PythonValueError) throw new ParseError(`JSON parse error - ${error.message}`);
    throw error;
  }
  // The text test is cheap; the walk happens only when such a key may be there.
  if (value !== null && typeof value === 'object' && PROTO_KEY.test(text)) {
    try {
      secureJson.scan(value, { protoAction: 'error', constructorAction: 'ignore' });
    } catch (error) {
      throw new ParseError(`JSON parse error - ${(error as Error).message}`);
    }
  }
  return value;
}
