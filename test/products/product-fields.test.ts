// DRF ModelSerializer behaviour for Product input, field by field, with answers checked against DRF's field code.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FIELD_MESSAGES, validateProduct } from '../../src/products/product-fields.js';
import type { ProductInput, ProductValidationMode } from '../../src/products/product-fields.js';
import { REQUIRED, NULL, BLANK } from './product-support.js';

const NOT_STRING = 'Not a valid string.';
const TOO_LONG = 'Ensure this field has no more than 100 characters.';
const NUL = 'Null characters are not allowed.';
const NUMBER = 'A valid number is required.';
const INTEGER = 'A valid integer is required.';
const MIN = 'Ensure this value is greater than or equal to 0.';
const MAX = 'Ensure this value is less than or equal to 2147483647.';

const VALID = { name: 'Widget', description: 'A widget.', price: '20.48', stock: 7 };

/** Validates VALID with `field` replaced by `raw`, expecting success; returns that field's value. */
function accepted(field: keyof typeof VALID, raw: unknown): ProductInput {
  const result = validateProduct({ ...VALID, [field]: raw }, 'create');
  assert.ok(result.ok, `expected ${JSON.stringify(raw)} to pass, got ${JSON.stringify(result)}`);
  return result.value;
}

/** Validates VALID with `field` replaced by `raw`, expecting exactly `messages` on that field alone. */
function rejected(field: keyof typeof VALID, raw: unknown, ...messages: string[]): void {
  for (const mode of ['create', 'update', 'partial'] as const) {
    const result = validateProduct({ ...VALID, [field]: raw }, mode);
    assert.deepEqual(result, { ok: false, errors: { [field]: messages } }, `mode ${mode}`);
  }
}

function show(raw: unknown): string {
  const text = JSON.stringify(raw) ?? String(raw);
  return text.length > 40 ? `${text.slice(0, 20)}... (${text.length})` : text;
}

describe('validateProduct: the whole object', () => {
  it('accepts a complete product and converts the price to cents', () => {
    assert.deepEqual(validateProduct(VALID, 'create'), {
      ok: true,
      value: { name: 'Widget', description: 'A widget.', priceCents: 2048, stock: 7 },
    });
  });

  it('ignores id, created, updated and unknown keys', () => {
    const input = { ...VALID, id: 'x', created: null, updated: [], colour: 'red' };
    assert.deepEqual(validateProduct(input, 'update'), {
      ok: true,
      value: { name: 'Widget', description: 'A widget.', priceCents: 2048, stock: 7 },
    });
  });

  for (const mode of ['create', 'update'] as const) {
    // rest_framework/utils/field_mapping.py get_field_kwargs: a model field with a default, or blank=True,
    // gives required=False; Field.validate_empty_values then get_default raise SkipField for it.
    it(`${mode}: only name and price are required; description and stock are skipped when missing`, () => {
      const result = validateProduct({ id: 1 }, mode);
      assert.ok(!result.ok);
      assert.deepEqual(Object.keys(result.errors), ['name', 'price']);
      assert.deepEqual(result.errors, { name: [REQUIRED], price: [REQUIRED] });
    });

    it(`${mode}: a missing description or stock is left out of the value (SkipField), not defaulted`, () => {
      assert.deepEqual(validateProduct({ name: 'Widget', price: '1' }, mode), {
        ok: true,
        value: { name: 'Widget', priceCents: 100 },
      });
      const { stock: _stock, ...rest } = VALID;
      assert.deepEqual(validateProduct(rest, mode), {
        ok: true,
        value: { name: 'Widget', description: 'A widget.', priceCents: 2048 },
      });
    });

    it(`${mode}: a missing name or price is still required`, () => {
      const { name: _name, ...noName } = VALID;
      assert.deepEqual(validateProduct(noName, mode), { ok: false, errors: { name: [REQUIRED] } });
      const { price: _price, ...noPrice } = VALID;
      assert.deepEqual(validateProduct(noPrice, mode), { ok: false, errors: { price: [REQUIRED] } });
    });
  }

  it('partial: nothing is required, and only given fields come back', () => {
    assert.deepEqual(validateProduct({}, 'partial'), { ok: true, value: {} });
    assert.deepEqual(validateProduct({ price: '1e3', created: 'x' }, 'partial'), {
      ok: true,
      value: { priceCents: 100000 },
    });
    assert.deepEqual(validateProduct({ stock: '+5', name: ' n ' }, 'partial'), {
      ok: true,
      value: { name: 'n', stock: 5 },
    });
  });

  it('an undefined value counts as missing', () => {
    assert.deepEqual(validateProduct({ ...VALID, name: undefined }, 'create'), {
      ok: false,
      errors: { name: [REQUIRED] },
    });
    assert.deepEqual(validateProduct({ name: undefined }, 'partial'), { ok: true, value: {} });
  });

  for (const mode of ['create', 'update', 'partial'] as const satisfies ProductValidationMode[]) {
    it(`${mode}: null is refused on every field, in field order whatever the key order`, () => {
      const result = validateProduct({ stock: null, price: null, description: null, name: null }, mode);
      assert.ok(!result.ok);
      assert.deepEqual(Object.keys(result.errors), ['name', 'description', 'price', 'stock']);
      assert.deepEqual(Object.values(result.errors), [[NULL], [NULL], [NULL], [NULL]]);
    });
  }

  it('reports every failing field at once', () => {
    const result = validateProduct({ stock: -1, price: 'NaN', name: '', description: true }, 'create');
    assert.deepEqual(result, {
      ok: false,
      errors: { name: [BLANK], description: [NOT_STRING], price: [NUMBER], stock: [MIN] },
    });
  });

  it('leaves non-objects to the caller', () => {
    for (const input of [null, [], 'x', 1]) {
      assert.throws(() => validateProduct(input, 'create'), TypeError);
    }
  });

  it('exports the DRF messages it uses', () => {
    assert.equal(FIELD_MESSAGES.required, REQUIRED);
    assert.equal(FIELD_MESSAGES.stockMaxValue, MAX);
  });
});

describe('validateProduct: name (CharField max_length=100)', () => {
  const accepts = (raw: unknown, value: string): void => {
    it(`accepts ${show(raw)} as ${show(value)}`, () => assert.equal(accepted('name', raw).name, value));
  };
  const rejects = (raw: unknown, ...messages: string[]): void => {
    it(`rejects ${show(raw)}: ${messages.join(' + ')}`, () => rejected('name', raw, ...messages));
  };

  accepts('  Widget\t\n', 'Widget');
  accepts('\u00a0\u2003Widget\u3000\x1c', 'Widget'); // Python's whitespace set
  accepts('\ufeffWidget', '\ufeffWidget'); // a BOM is not whitespace to Python
  accepts('a  b', 'a  b');
  accepts(123, '123');
  accepts(-7, '-7');
  accepts(1.5, '1.5');
  accepts(0, '0');
  accepts(-0, '0');
  accepts(1e-7, '1e-07'); // Python str() of the float
  accepts(1e21, '1000000000000000000000'); // Python would say '1e+21' if the client wrote a float
  accepts('😀', '😀');
  accepts('x'.repeat(100), 'x'.repeat(100));
  accepts('😀'.repeat(100), '😀'.repeat(100)); // 100 code points, 200 UTF-16 units
  accepts(` ${'x'.repeat(100)} `, 'x'.repeat(100)); // trimmed before counting

  rejects('', BLANK);
  rejects('   ', BLANK);
  rejects('\t\n\u3000', BLANK);
  rejects(true, NOT_STRING);
  rejects(false, NOT_STRING);
  rejects({}, NOT_STRING);
  rejects({ a: 1 }, NOT_STRING);
  rejects([], NOT_STRING);
  rejects(['x'], NOT_STRING);
  rejects('x'.repeat(101), TOO_LONG);
  rejects('😀'.repeat(101), TOO_LONG);
  rejects('a\0b', NUL);
  rejects('\0', NUL);
  rejects(' \0 ', NUL);
  rejects('a\ud800b', 'Surrogate characters are not allowed: U+D800.');
  rejects('\udfff', 'Surrogate characters are not allowed: U+DFFF.');
  rejects('ok\udc00\ud800', 'Surrogate characters are not allowed: U+DC00.'); // the first one only
  rejects('\ude00\ud83d', 'Surrogate characters are not allowed: U+DE00.'); // reversed pair: two lone halves
  rejects(`${'x'.repeat(101)}\0`, TOO_LONG, NUL);
  rejects(`${'x'.repeat(100)}\0\ud800`, TOO_LONG, NUL, 'Surrogate characters are not allowed: U+D800.');
  rejects('\0\ud800', NUL, 'Surrogate characters are not allowed: U+D800.');
});

describe('validateProduct: description (TextField, no max length)', () => {
  it('accepts long text and trims it', () => {
    assert.equal(accepted('description', ` ${'y'.repeat(100_000)}\n`).description, 'y'.repeat(100_000));
  });
  it('keeps inner whitespace and newlines', () => {
    assert.equal(accepted('description', 'line 1\n\nline 2').description, 'line 1\n\nline 2');
  });
  it('coerces numbers', () => assert.equal(accepted('description', 42).description, '42'));
  // CharField(allow_blank=True).run_validation: '' or whitespace alone is '' (trimmed), with no validators run.
  for (const blank of ['', ' ', ' \n ', '\u3000\t']) {
    it(`accepts blank ${show(blank)} as ''`, () => {
      for (const mode of ['create', 'update', 'partial'] as const) {
        const result = validateProduct({ ...VALID, description: blank }, mode);
        assert.ok(result.ok, mode);
        assert.equal(result.value.description, '', mode);
      }
    });
  }
  it('null is still refused (allow_null is False: the model field is not null=True)', () =>
    rejected('description', null, NULL));
  it('rejects non-strings', () => rejected('description', [1], NOT_STRING));
  it('rejects NUL and lone surrogates together', () =>
    rejected('description', '\0\ud800', NUL, 'Surrogate characters are not allowed: U+D800.'));
  it('a long text with NUL gets only the NUL message', () =>
    rejected('description', `${'y'.repeat(200)}\0`, NUL));
});

describe('validateProduct: price (DecimalField max_digits=10, decimal_places=2)', () => {
  const accepts = (raw: unknown, cents: number): void => {
    it(`accepts ${show(raw)} as ${cents} cents`, () =>
      assert.equal(accepted('price', raw).priceCents, cents));
  };
  const rejects = (raw: unknown, message: string): void => {
    it(`rejects ${show(raw)}: ${message}`, () => rejected('price', raw, message));
  };

  accepts('1e3', 100000);
  accepts(0.1, 10);
  accepts(' 5.5 ', 550);
  accepts('20.48', 2048);
  accepts(20.48, 2048);
  accepts('-1.5', -150); // the model has no minimum
  accepts('99999999.99', 9999999999);
  accepts(12, 1200);

  rejects('NaN', NUMBER);
  rejects('1,5', NUMBER);
  rejects(true, NUMBER);
  rejects('', NUMBER); // DecimalField has no blank check of its own
  rejects('  ', NUMBER);
  rejects([], NUMBER);
  rejects('1.234', 'Ensure that there are no more than 2 decimal places.');
  rejects('12345678901', 'Ensure that there are no more than 10 digits in total.');
  rejects('12345678.123', 'Ensure that there are no more than 10 digits in total.');
  rejects('100000000', 'Ensure that there are no more than 8 digits before the decimal point.');
  rejects('1'.repeat(1001), 'String value too large.');
});

describe('validateProduct: stock (IntegerField min_value=0, max_value=2147483647)', () => {
  const accepts = (raw: unknown, stock: number): void => {
    it(`accepts ${show(raw)} as ${stock}`, () => assert.equal(accepted('stock', raw).stock, stock));
  };
  const rejects = (raw: unknown, message: string): void => {
    it(`rejects ${show(raw)}: ${message}`, () => rejected('stock', raw, message));
  };

  // WIRE.md
  accepts('7', 7);
  accepts('+5', 5);
  accepts('5.0', 5);
  accepts(5.0, 5);
  accepts(1e2, 100);
  rejects(1.5, INTEGER);
  rejects('x', INTEGER);
  rejects(true, INTEGER);
  rejects(-1, MIN);
  rejects(2147483648, MAX);

  // int(re.sub(r'\.0*\s*$', '', str(data)))
  accepts(0, 0);
  accepts(-0, 0);
  accepts('-0', 0);
  accepts('0', 0);
  accepts('007', 7);
  accepts(' 7 ', 7);
  accepts('\u00a07\u3000', 7);
  accepts('7\n', 7);
  accepts('5.', 5);
  accepts('5.000', 5);
  accepts('5.0  \n', 5);
  accepts('1_000', 1000);
  accepts('٣', 3);
  accepts('１２', 12);
  accepts(2147483647, 2147483647);
  accepts('2147483647', 2147483647);
  accepts('2147483647.0', 2147483647);
  accepts('0'.repeat(1000), 0);
  rejects(false, INTEGER);
  rejects(1e-7, INTEGER);
  rejects('1.5', INTEGER);
  rejects('5.01', INTEGER);
  rejects('5.0.0', INTEGER);
  accepts('5 .0', 5); // the regex strips '.0', int() strips the space
  rejects('.0', INTEGER);
  rejects('', INTEGER);
  rejects(' ', INTEGER);
  rejects('1e2', INTEGER);
  rejects('0x10', INTEGER);
  rejects('1__0', INTEGER);
  rejects('_1', INTEGER);
  rejects('1_', INTEGER);
  rejects('+ 1', INTEGER);
  rejects('--1', INTEGER);
  rejects('7\0', INTEGER);
  rejects('five', INTEGER);
  rejects([], INTEGER);
  rejects([7], INTEGER);
  rejects({}, INTEGER);
  rejects(NaN, INTEGER);
  rejects(Infinity, INTEGER);

  // The 1000-character guard applies to strings, before stripping.
  rejects('1'.repeat(1001), 'String value too large.');
  rejects(` ${'0'.repeat(1000)}`, 'String value too large.');

  // Range, compared exactly.
  rejects('-1', MIN);
  rejects('-1.0', MIN);
  rejects('2147483648', MAX);
  rejects('99999999999999999999999', MAX);
  rejects('-99999999999999999999999', MIN);
  rejects('9007199254740993', MAX);
  rejects(2 ** 60, MAX);
  rejects(-(2 ** 60), MIN);
});

// rest_framework/fields.py Field.get_value: a form body (QueryDict, html.is_html_input) cannot send
// null or "nothing", so an empty value of a field that is not required means "missing" unless the
// field allows blank: stock= is skipped like a missing stock; description= is ''.
describe('validateProduct: form bodies (Field.get_value for HTML input)', () => {
  const FORM = { form: true } as const;

  it("stock='' is missing in a form: skipped on create and update, so the model default or the stored value stays", () => {
    for (const mode of ['create', 'update', 'partial'] as const) {
      assert.deepEqual(validateProduct({ ...VALID, stock: '' }, mode, FORM), {
        ok: true,
        value: { name: 'Widget', description: 'A widget.', priceCents: 2048 },
      });
    }
  });

  it("stock='' in JSON is a value, and not an integer", () => {
    assert.deepEqual(validateProduct({ ...VALID, stock: '' }, 'create'), {
      ok: false,
      errors: { stock: [INTEGER] },
    });
  });

  it("description='' stays '' (allow_blank); name='' and price='' are still errors (required)", () => {
    assert.deepEqual(validateProduct({ ...VALID, description: '' }, 'create', FORM), {
      ok: true,
      value: { name: 'Widget', description: '', priceCents: 2048, stock: 7 },
    });
    assert.deepEqual(validateProduct({ ...VALID, name: '', price: '' }, 'create', FORM), {
      ok: false,
      errors: { name: [BLANK], price: [NUMBER] },
    });
  });

  it("only the empty string is 'nothing': whitespace is a value, as Django's QueryDict keeps it", () => {
    assert.deepEqual(validateProduct({ ...VALID, stock: ' ' }, 'create', FORM), {
      ok: false,
      errors: { stock: [INTEGER] },
    });
  });

  it('missing fields in a form are missing, as in JSON (default_empty_html is empty)', () => {
    assert.deepEqual(validateProduct({}, 'create', FORM), {
      ok: false,
      errors: { name: [REQUIRED], price: [REQUIRED] },
    });
    assert.deepEqual(validateProduct({}, 'partial', FORM), { ok: true, value: {} });
  });
});
