// Test support: fast-check arbitraries from the OpenAPI document's JSON Schemas, and ajv to judge values.
// Covers the subset the document uses: $ref to components, const, enum, anyOf/oneOf, type (or a
// list of types), object (properties, required, additionalProperties, minProperties), array,
// string (length, pattern, date-time/uri/password formats) and integer/number bounds.
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import fc from 'fast-check';
import type { Json } from './openapi-support.js';

type Schema = Readonly<Record<string, unknown>>;

// ajv-formats is CommonJS with a default export; Node hands its module.exports over as the default.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

const COMPONENT_BASE = 'https://keygate.test/components/';
const LOCAL_COMPONENT = '#/components/schemas/';

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A copy of `node` whose component references point at the schemas ajv knows them by. */
function absoluteRefs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(absoluteRefs);
  if (!isSchema(node)) return node;
  return Object.fromEntries(
    Object.entries(node).map(([key, value]) => [
      key,
      key === '$ref' && typeof value === 'string' && value.startsWith(LOCAL_COMPONENT)
        ? COMPONENT_BASE + value.slice(LOCAL_COMPONENT.length)
        : absoluteRefs(value),
    ]),
  );
}

/** Any JSON value, shallow: what a careless or hostile client might put anywhere. */
const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.string({ maxLength: 8 }),
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.array(fc.oneof(fc.integer(), fc.string({ maxLength: 4 })), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 4 }), fc.oneof(fc.integer(), fc.string({ maxLength: 4 })), {
    maxKeys: 3,
  }),
);

/** A string of any code points, lone surrogates included, or of printable ASCII. */
function anyString(minLength: number, maxLength: number): fc.Arbitrary<string> {
  return fc.oneof(
    fc.string({ minLength, maxLength, unit: 'grapheme-ascii' }),
    fc.string({ minLength, maxLength, unit: 'grapheme' }),
    fc.string({ minLength, maxLength, unit: 'binary' }),
  );
}

/** Arbitraries for the schemas of one OpenAPI document, and a validator that agrees with them. */
export class SchemaArbitraries {
  readonly #ajv: Ajv2020;
  readonly #components: Record<string, Schema>;
  readonly #validators = new Map<string, ValidateFunction>();

  constructor(document: Json) {
    // OpenAPI 3.1's dialect is JSON Schema 2020-12; `password` is an OpenAPI format (a UI hint).
    this.#ajv = addFormats(new Ajv2020({ strict: true, allErrors: true }));
    this.#ajv.addFormat('password', true);
    const components = (document.components as { schemas?: Record<string, Schema> } | undefined)?.schemas;
    this.#components = components ?? {};
    for (const [name, schema] of Object.entries(this.#components)) {
      this.#ajv.addSchema({ ...(absoluteRefs(schema) as Schema), $id: COMPONENT_BASE + name });
    }
  }

  /** The schema a `$ref` names, or the schema itself. */
  resolve(schema: Schema): Schema {
    const ref = schema.$ref;
    if (typeof ref !== 'string') return schema;
    const target = ref.startsWith(LOCAL_COMPONENT)
      ? this.#components[ref.slice(LOCAL_COMPONENT.length)]
      : undefined;
    if (target === undefined) throw new Error(`unresolvable $ref ${ref}`);
    return this.resolve(target);
  }

  /** ajv's validator for `schema` (compiled once). */
  validator(schema: Schema): ValidateFunction {
    const key = JSON.stringify(schema);
    let validate = this.#validators.get(key);
    if (validate === undefined) {
      validate = this.#ajv.compile(absoluteRefs(schema) as Schema);
      this.#validators.set(key, validate);
    }
    return validate;
  }

  /** Whether `value` is valid under `schema`. */
  isValid(schema: Schema, value: unknown): boolean {
    return this.validator(schema)(value);
  }

  /** The property schemas of an object schema (after `$ref`), in order. */
  properties(schema: Schema): [string, Schema][] {
    const properties = this.resolve(schema).properties;
    return isSchema(properties)
      ? Object.entries(properties).filter((e): e is [string, Schema] => isSchema(e[1]))
      : [];
  }

  /** The required property names of an object schema. */
  required(schema: Schema): string[] {
    const required = this.resolve(schema).required;
    return Array.isArray(required) ? required.filter((r): r is string => typeof r === 'string') : [];
  }

  /** Values `schema` accepts (and only those: every value is checked by ajv). */
  valid(schema: Schema): fc.Arbitrary<unknown> {
    return this.#valid(schema).filter((value) => this.isValid(schema, value));
  }

  /** Values `schema` refuses: junk of every type, and values just past its bounds. */
  invalid(schema: Schema): fc.Arbitrary<unknown> {
    const resolved = this.resolve(schema);
    const near: fc.Arbitrary<unknown>[] = [];
    if (typeof resolved.maxLength === 'number') near.push(fc.constant('x'.repeat(resolved.maxLength + 1)));
    if (typeof resolved.maximum === 'number') near.push(fc.constant(resolved.maximum + 1));
    if (typeof resolved.minimum === 'number') near.push(fc.constant(resolved.minimum - 1));
    if (typeof resolved.pattern === 'string') near.push(anyString(0, 12));
    near.push(fc.constantFrom('', ' ', '\u0000', '\ud800', 'NaN', '1e3', '-1', '1.234', '   x  '));
    return fc.oneof(anyJson, ...near).filter((value) => !this.isValid(schema, value));
  }

  #valid(schema: Schema): fc.Arbitrary<unknown> {
    if (typeof schema.$ref === 'string') return this.#valid(this.resolve(schema));
    if ('const' in schema) return fc.constant(schema.const);
    if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
    const choices = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
    if (Array.isArray(choices)) {
      const { anyOf: _a, oneOf: _o, ...rest } = schema;
      return fc.oneof(...choices.map((choice) => this.#valid({ ...rest, ...choice })));
    }
    if (Array.isArray(schema.type)) {
      return fc.oneof(...(schema.type as string[]).map((type) => this.#valid({ ...schema, type })));
    }
    switch (schema.type) {
      case 'null':
        return fc.constant(null);
      case 'boolean':
        return fc.boolean();
      case 'integer':
      case 'number':
        return this.#number(schema);
      case 'string':
        return this.#string(schema);
      case 'array':
        return fc.array(isSchema(schema.items) ? this.#valid(schema.items) : anyJson, {
          minLength: typeof schema.minItems === 'number' ? schema.minItems : 0,
          maxLength: typeof schema.maxItems === 'number' ? schema.maxItems : 4,
        });
      case 'object':
        return this.#object(schema);
      default:
        return anyJson;
    }
  }

  #number(schema: Schema): fc.Arbitrary<number> {
    const min = typeof schema.minimum === 'number' ? schema.minimum : -(2 ** 40);
    const max = typeof schema.maximum === 'number' ? schema.maximum : 2 ** 40;
    const integers = fc.integer({
      min: Math.max(min, Number.MIN_SAFE_INTEGER),
      max: Math.min(max, Number.MAX_SAFE_INTEGER),
    });
    if (schema.type === 'integer') return integers;
    return fc.oneof(integers, fc.double({ min, max, noNaN: true, noDefaultInfinity: true }));
  }

  #string(schema: Schema): fc.Arbitrary<string> {
    const minLength = typeof schema.minLength === 'number' ? schema.minLength : 0;
    const maxLength = typeof schema.maxLength === 'number' ? schema.maxLength : 24;
    if (schema.format === 'date-time')
      return fc.date({ noInvalidDate: true }).map((date) => date.toISOString());
    if (schema.format === 'uri') return fc.webUrl();
    if (typeof schema.pattern === 'string') {
      return fc.oneof(
        fc.stringMatching(new RegExp(schema.pattern, 'u')),
        // Strings of any shape, which the pattern may happen to accept (kept only when it does).
        anyString(minLength, Math.min(maxLength, 24)),
      );
    }
    return anyString(minLength, Math.min(maxLength, minLength + 24)).chain((text) =>
      // Now and then one at the longest length allowed.
      fc.oneof(
        { weight: 9, arbitrary: fc.constant(text) },
        { weight: 1, arbitrary: fc.constant('x'.repeat(maxLength)) },
      ),
    );
  }

  #object(schema: Schema): fc.Arbitrary<Record<string, unknown>> {
    const properties = isSchema(schema.properties) ? (schema.properties as Record<string, Schema>) : {};
    const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
    const known = fc.record(
      Object.fromEntries(Object.entries(properties).map(([name, property]) => [name, this.#valid(property)])),
      { requiredKeys: required.filter((name) => name in properties) },
    );
    const extra = schema.additionalProperties;
    if (extra === false) return known;
    // Keys the schema does not name: ignored by the server when it allows them.
    const extraKey = fc
      .string({ minLength: 1, maxLength: 6, unit: 'grapheme-ascii' })
      .filter((key) => !(key in properties));
    const extras = fc.dictionary(extraKey, isSchema(extra) ? this.#valid(extra) : anyJson, { maxKeys: 2 });
    return fc.tuple(known, extras).map(([own, more]) => ({ ...more, ...own }));
  }
}
