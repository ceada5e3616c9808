// Model fields' input schemas: char and text patterns sound against the fields' own parsing, rule
// descriptions from the options, what an optional field's absence means, and the examples option.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Value } from 'typebox/value';
import { fields, fieldSchemas, type AnyModelField } from '../../src/model/index.js';
import { contextFor } from './support.js';

/** One keyword of a schema (TypeBox's types do not list `description`, `examples` or `default`). */
const keyword = (schema: unknown, name: string): unknown =>
  (schema as Record<string, unknown> | undefined)?.[name];

/** mulberry32: a small seeded generator, so every run tries the same strings. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Python's whitespace (some of which JS's \s lacks, and the reverse), NUL, lone surrogates, astral
// characters and letters.
const ALPHABET = [
  ...' \t\n\v\f\r\x1c\x1f\x85\xa0\u1680\u2000\u200a\u2028\u202f\u205f\u3000\ufeff\u180e\u200b',
  '\0',
  '\ud800',
  '\udfff',
  '\u{1F600}',
  ...'ab7é',
];

function text(next: () => number): string {
  const length = Math.floor(next() * 8);
  return Array.from({ length }, () => ALPHABET[Math.floor(next() * ALPHABET.length)]!).join('');
}

const CHAR_FIELDS: Readonly<Record<string, AnyModelField>> = {
  'char()': fields.char({ maxLength: 6 }),
  'char(blank)': fields.char({ maxLength: 6, blank: true }),
  'char(trim: false)': fields.char({ maxLength: 6, trim: false }),
  'char(trim: false, blank)': fields.char({ maxLength: 6, trim: false, blank: true }),
  'text()': fields.text(),
  'text(blank)': fields.text({ blank: true }),
};

describe('char and text input patterns', () => {
  for (const [label, field] of Object.entries(CHAR_FIELDS)) {
    it(`${label}: every string its input schema accepts, the field accepts (seeded, 5,000 strings)`, async () => {
      const { input } = field.schemas();
      const next = random(label.length * 7919);
      let matched = 0;
      for (let i = 0; i < 5_000; i++) {
        const raw = text(next);
        if (!Value.Check(input, raw)) continue;
        matched++;
        const parsed = await field.parse(raw, contextFor());
        assert.ok(parsed.ok, `${label} ${JSON.stringify(raw)}: ${JSON.stringify(parsed)}`);
      }
      assert.ok(matched > 500, `only ${matched} strings matched: the search says little`);
    });
  }

  it('refuses what the field refuses and JSON Schema can say: blank, whitespace only, NUL, lone surrogates', () => {
    const { input } = fields.char({ maxLength: 10 }).schemas();
    for (const refused of ['', '   ', '\u3000\x1c\x85', 'a\0', '\ud800', 'x'.repeat(11)]) {
      assert.equal(Value.Check(input, refused), false, JSON.stringify(refused));
    }
    for (const accepted of ['a', ' a ', '\u{1F600}', '\ufeff', '\u200b']) {
      assert.equal(Value.Check(input, accepted), true, JSON.stringify(accepted));
    }
    const untrimmed = fields.char({ trim: false }).schemas().input;
    assert.equal(Value.Check(untrimmed, '   '), true, 'whitespace is a value when not trimmed');
    assert.equal(Value.Check(untrimmed, ''), false);
    const blank = fields.text({ blank: true }).schemas().input;
    assert.equal(Value.Check(blank, ''), true);
    assert.equal(Value.Check(blank, 'x\0'), false);
  });

  it('leaves an email field to its format: no pattern', () => {
    assert.equal(keyword(fields.email().schemas().input, 'pattern'), undefined);
    assert.equal(keyword(fields.email().schemas().input, 'format'), 'email');
  });

  it('matches in linear time: a megabyte of whitespace is refused at once', () => {
    const { input } = fields.char().schemas();
    const started = performance.now();
    assert.equal(Value.Check(input, ' '.repeat(1_000_000)), false);
    assert.equal(Value.Check(input, `${'a'.repeat(1_000_000)}\0`), false);
    assert.ok(performance.now() - started < 2_000, `took ${performance.now() - started} ms`);
  });
});

describe('input descriptions', () => {
  it("say each field's rules, from its options; the help text comes first", () => {
    const input = (field: AnyModelField) => String(keyword(field.schemas().input, 'description'));
    assert.equal(
      input(fields.char({ maxLength: 100 })),
      'Trimmed of surrounding whitespace; may not be blank (whitespace only); at most 100 characters ' +
        '(code points); no NUL or lone surrogate. A JSON number is accepted too, as its text.',
    );
    assert.match(input(fields.text({ blank: true })), /whitespace alone is stored as ""; any length;/);
    assert.match(input(fields.char({ minLength: 2, trim: false })), /^may not be ""; at least 2 characters/);
    assert.match(input(fields.email()), /a valid email address/);
    assert.match(input(fields.integer({ min: 0, max: 9 })), /^A whole number from 0 to 9 /);
    assert.match(
      input(fields.decimal({ maxDigits: 6, decimalPlaces: 2, min: '0.01' })),
      /^A decimal of at most 6 digits, 2 after the point \(4 before it\), at least 0\.01, as responses/,
    );
    assert.match(input(fields.integer({ helpText: 'Units on the shelf.' })), /^Units on the shelf\. A whole/);
    // The representation keeps its own description, or the help text alone.
    assert.equal(keyword(fields.integer({ helpText: 'Units.' }).schemas().output, 'description'), 'Units.');
    assert.equal(keyword(fields.integer().schemas().output, 'description'), undefined);
  });

  it('say what a body without an optional field gets, in the POST/PUT and PATCH bodies', () => {
    const { input, patch } = fieldSchemas('Shelf', {
      label: fields.char(),
      rank: fields.integer({ default: 3 }),
      note: fields.text({ blank: true }),
      due: fields.dateTime({ null: true }),
      made: fields.dateTime({ default: () => '2026-01-01T00:00:00.000000Z' }),
      created: fields.dateTime({ autoNowAdd: true }),
    });
    const described = (schema: typeof input, name: string) =>
      String(keyword(schema.properties[name], 'description'));
    assert.doesNotMatch(described(input, 'label'), /Optional/);
    assert.match(
      described(input, 'rank'),
      /Optional: a create without it stores 3 \(the model default\); a PUT without it keeps the stored value\.$/,
    );
    assert.match(described(input, 'note'), /a create without it stores ""; /);
    assert.equal(
      described(input, 'due'),
      'Optional: a create without it stores null; a PUT without it keeps the stored value.',
    );
    assert.match(described(input, 'made'), /stores the model default;/);
    assert.equal(described(patch, 'rank'), described(input, 'rank'));
    assert.equal('created' in input.properties, false);
  });
});

describe('the examples option', () => {
  it('gives the representation and the input schemas their OpenAPI examples', () => {
    const { output, input } = fields
      .decimal({ maxDigits: 4, decimalPlaces: 2, examples: ['9.99'] })
      .schemas();
    assert.deepEqual(keyword(output, 'examples'), ['9.99']);
    assert.deepEqual(keyword(input, 'examples'), ['9.99']);
    assert.equal(keyword(fields.char().schemas().input, 'examples'), undefined);
    // Each is valid against its own schema (the redocly lint checks the served document's).
    assert.ok(Value.Check(input, '9.99'));
  });
});
