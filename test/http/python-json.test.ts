// keygate's JSON body parser against the real Python 3.11: every case of fixtures/python-json-cases.json.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ParseError } from '../../src/errors.js';
import { parseJsonBody } from '../../src/http/json-body.js';
import { PythonValueError } from '../../src/http/python-errors.js';
import { MAX_INT_DIGITS, MAX_JSON_DEPTH, pythonJsonLoads } from '../../src/http/python-json.js';
import { decodeUtf8LikePython } from '../../src/http/python-utf8.js';

/** One body and what DRF's JSONParser made of it (see fixtures/generate-json-errors.py). */
interface Case {
  readonly hex: string;
  readonly text?: string;
  readonly value?: unknown;
  readonly detail?: string;
  readonly recursion?: string;
}

const fixture = JSON.parse(
  readFileSync(new URL('fixtures/python-json-cases.json', import.meta.url), 'utf8'),
) as { python: string; cases: Case[] };

/** The fixture's value with its tagged numbers ({"int": "12"}, {"float": "1.5"}) as JavaScript numbers. */
function untag(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(untag);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value);
  const [only] = entries;
  if (entries.length === 1 && only !== undefined && typeof only[1] === 'string') {
    if (only[0] === 'int') return Number(BigInt(only[1]));
    if (only[0] === 'float')
      return only[1] === 'inf' ? Infinity : only[1] === '-inf' ? -Infinity : Number(only[1]);
  }
  return Object.fromEntries(entries.map(([key, item]) => [key, untag(item)]));
}

/** deepStrictEqual, but `-0` equals 0 (JSON.parse's -0 for the literal `-0` is Python's int 0). */
function assertSameValue(actual: unknown, expected: unknown, what: string): void {
  const normalise = (item: unknown): unknown =>
    Object.is(item, -0)
      ? 0
      : Array.isArray(item)
        ? item.map(normalise)
        : item !== null && typeof item === 'object'
          ? Object.fromEntries(Object.entries(item).map(([key, inner]) => [key, normalise(inner)]))
          : item;
  assert.deepStrictEqual(normalise(actual), normalise(expected), what);
}

function outcome(run: () => unknown): { value: unknown } | { error: string } {
  try {
    return { value: run() };
  } catch (error) {
    if (error instanceof ParseError) return { error: (error.body as { detail: string }).detail };
    if (error instanceof PythonValueError) return { error: `JSON parse error - ${error.message}` };
    throw error;
  }
}

describe(`the JSON body parser answers as DRF on Python ${fixture.python}`, () => {
  it('has a fixture worth the name: hundreds of cases, every error class', () => {
    assert.ok(fixture.cases.length >= 500, String(fixture.cases.length));
    const details = fixture.cases.map((c) => c.detail ?? '').join('\n');
    for (const kind of [
      'Expecting value: ',
      "Expecting ',' delimiter: ",
      "Expecting ':' delimiter: ",
      'Expecting property name enclosed in double quotes: ',
      'Unterminated string starting at: ',
      'Invalid control character at: ',
      'Invalid \\escape: ',
      'Invalid \\uXXXX escape: ',
      'Extra data: ',
      'Unexpected UTF-8 BOM (decode using utf-8-sig): ',
      "Out of range float values are not JSON compliant: 'NaN'",
      "Out of range float values are not JSON compliant: 'Infinity'",
      "Out of range float values are not JSON compliant: '-Infinity'",
      `Exceeds the limit (${MAX_INT_DIGITS} digits)`,
      ': invalid start byte',
      ': invalid continuation byte',
      "codec can't decode bytes in position ",
      ' line 4 column ',
    ]) {
      assert.ok(details.includes(kind), kind);
    }
  });

  it('every body: the same value, or the same `detail` byte for byte', () => {
    let compared = 0;
    for (const c of fixture.cases) {
      const what = `${c.hex.slice(0, 80)} ${JSON.stringify(c.text?.slice(0, 60))}`;
      const got = outcome(() => parseJsonBody(Buffer.from(c.hex, 'hex')));
      if (c.value !== undefined) {
        assert.ok('value' in got, `${what}: ${'error' in got ? got.error : ''}`);
        assertSameValue(got.value, untag(c.value), what);
      } else {
        // DRF lets the RecursionError through (a 500); keygate answers its text as a parse error.
        const detail = c.detail ?? `JSON parse error - ${c.recursion ?? ''}`;
        assert.deepEqual(got, { error: detail }, what);
      }
      compared++;
    }
    assert.equal(compared, fixture.cases.length);
  });

  it('the Python decoder alone agrees too, valid inputs included (it decides where JSON.parse cannot)', () => {
    for (const c of fixture.cases) {
      const bytes = Buffer.from(c.hex, 'hex');
      const decoded = outcome(() => decodeUtf8LikePython(bytes));
      if ('error' in decoded) {
        assert.equal(decoded.error, c.detail, c.hex);
        continue;
      }
      const got = outcome(() => pythonJsonLoads(decoded.value as string));
      if (c.value !== undefined) {
        assert.ok('value' in got, `${c.hex}: ${'error' in got ? got.error : ''}`);
        assertSameValue(got.value, untag(c.value), c.hex);
      } else {
        assert.deepEqual(got, { error: c.detail ?? `JSON parse error - ${c.recursion ?? ''}` }, c.hex);
      }
    }
  });

  it(`nesting: ${MAX_JSON_DEPTH} levels are read, one more is Python's RecursionError text`, () => {
    const arrays = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
    const objects = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
    for (const [make, kind] of [
      [arrays, 'array'],
      [objects, 'object'],
    ] as const) {
      assert.ok('value' in outcome(() => parseJsonBody(Buffer.from(make(MAX_JSON_DEPTH)))), kind);
      assert.deepEqual(
        outcome(() => parseJsonBody(Buffer.from(make(MAX_JSON_DEPTH + 1)))),
        {
          error: `JSON parse error - maximum recursion depth exceeded while decoding a JSON ${kind} from a unicode string`,
        },
      );
    }
    // Brackets and digits inside strings are text, even after escaped quotes and backslashes.
    const inStrings = JSON.stringify(['\\"[', '['.repeat(2000), '{'.repeat(2000), '9'.repeat(5000), '\\']);
    assert.deepEqual(
      outcome(() => parseJsonBody(Buffer.from(inStrings))),
      { value: JSON.parse(inStrings) as unknown },
    );
    // An earlier fault is the one reported, as Python meets it first.
    assert.deepEqual(
      outcome(() => parseJsonBody(Buffer.from(`[x, ${'['.repeat(5000)}`))),
      {
        error: 'JSON parse error - Expecting value: line 1 column 2 (char 1)',
      },
    );
  });

  it('integers: the digit limit counts digits, not the sign; floats have none', () => {
    const digits = (n: number) => '7'.repeat(n);
    for (const text of [
      digits(MAX_INT_DIGITS),
      `-${digits(MAX_INT_DIGITS)}`,
      `${digits(6000)}.5`,
      `${digits(6000)}e-5900`,
    ]) {
      assert.ok('value' in outcome(() => parseJsonBody(Buffer.from(`[${text}]`))), text.slice(-10));
    }
    assert.equal(parseJsonBody(Buffer.from(`${digits(6000)}e-5990`)), 7777777777.777778);
    for (const text of [digits(MAX_INT_DIGITS + 1), `-${digits(MAX_INT_DIGITS + 1)}`]) {
      assert.deepEqual(
        outcome(() => parseJsonBody(Buffer.from(`{"n": ${text}}`))),
        {
          error:
            `JSON parse error - Exceeds the limit (${MAX_INT_DIGITS} digits) for integer string conversion: ` +
            `value has ${MAX_INT_DIGITS + 1} digits; use sys.set_int_max_str_digits() to increase the limit`,
        },
      );
    }
  });

  it('a __proto__ key, however spelt, is refused; nothing is polluted; constructor is a plain key', () => {
    for (const text of [
      '{"__proto__":{"polluted":true}}',
      '[{"a":{"__proto__":1}}]',
      '{"\\u005f_proto__":{"polluted":true}}',
      '{"__pr\\u006fto__":1}',
      '{"\\u005F\\u005Fproto\\u005f_" \n :1}',
      `{"a":${'['.repeat(800)}1${']'.repeat(800)},"__proto__":1}`,
    ]) {
      assert.deepEqual(
        outcome(() => parseJsonBody(Buffer.from(text))),
        {
          error: 'JSON parse error - Object contains forbidden prototype property',
        },
      );
    }
    // Python's own error comes first when there is one.
    assert.deepEqual(
      outcome(() => parseJsonBody(Buffer.from('{"__proto__":1,}'))),
      {
        error:
          'JSON parse error - Expecting property name enclosed in double quotes: line 1 column 16 (char 15)',
      },
    );
    // The Python decoder sets keys as JSON.parse does: `__proto__` is an own property, never the prototype.
    const decoded = pythonJsonLoads('{"__proto__":{"polluted":true}}') as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(decoded), Object.prototype);
    assert.deepEqual(Object.keys(decoded), ['__proto__']);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.deepEqual(
      parseJsonBody(Buffer.from('{"constructor":{"prototype":1},"proto":2,"a":"__proto__"}')),
      {
        constructor: { prototype: 1 },
        proto: 2,
        a: '__proto__',
      },
    );
  });
});
