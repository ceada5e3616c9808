// What every field constructor shares: DRF's required/allow_null rules, OPTIONS metadata order, nullable schemas.
import { Type, type TSchema } from 'typebox';
import type { Checked, CommonFieldOptions, FieldContext, FieldKind, ModelField } from '../field.js';

/** How a constructor describes its field to {@link makeField}. */
export interface FieldSpec<Value, Options extends CommonFieldOptions<Value>> {
  readonly kind: FieldKind;
  readonly options: Options;
  /** Forced read-only (autoNow datetimes, owner fields), whatever the options say. */
  readonly readOnly?: boolean;
  /** DRF `allow_blank` (char kinds only). */
  readonly allowBlank?: boolean;
  /** DRF's `default_empty_html` when it is not `empty` (BooleanField's False). */
  readonly formAbsentValue?: unknown;
  /** SimpleMetadata's `type` (its `label_lookup`). */
  readonly type: string;
  /** Metadata after `type`, `required`, `read_only`, `label`, `help_text`, in DRF's attribute order. */
  readonly limits?: Readonly<Record<string, string | number>>;
  readonly defaultValue?: () => Value | undefined;
  parse(raw: unknown, context: FieldContext): Checked<Value | null> | Promise<Checked<Value | null>>;
  toColumn(value: Value): unknown;
  fromColumn(stored: unknown): Value;
  represent(value: Value): unknown;
  /** The representation's schema, before nullability, readOnly and help text. */
  output(): TSchema;
  /** The input schema (defaults to `output()`). */
  input?(): TSchema;
  /** What the field accepts, in words: the input schema's description (after the help text). */
  readonly rules?: string;
}

/**
 * Builds a {@link ModelField} as DRF's ModelSerializer builds a serializer field from a model field
 * (rest_framework/utils/field_mapping.py `get_field_kwargs`): read-only fields are never required;
 * others are not required when the model field has a default, `null=True` or `blank=True`.
 */
export function makeField<Value, Options extends CommonFieldOptions<Value>>(
  spec: FieldSpec<Value, Options>,
): ModelField<Value, Options> {
  const { options } = spec;
  const readOnly = spec.readOnly === true || options.readOnly === true;
  const allowNull = options.null === true;
  const hasDefault = options.default !== undefined || spec.defaultValue !== undefined;
  const required = !readOnly && !(hasDefault || allowNull || options.blank === true);
  const nullable = (schema: TSchema): TSchema => (allowNull ? Type.Union([schema, Type.Null()]) : schema);
  const exampled = (schema: TSchema): TSchema =>
    options.examples === undefined ? schema : { ...schema, examples: [...options.examples] };
  const described = (schema: TSchema, rules?: string): TSchema => {
    const description = [options.helpText, rules].filter((text) => text !== undefined && text !== '');
    return description.length === 0 ? schema : { ...schema, description: description.join(' ') };
  };
  return Object.freeze({
    kind: spec.kind,
    options: Object.freeze({ ...options }),
    readOnly,
    required,
    allowNull,
    allowBlank: spec.allowBlank === true,
    formAbsentValue: spec.formAbsentValue,
    defaultValue(): Value | undefined {
      if (spec.defaultValue !== undefined) return spec.defaultValue();
      const given = options.default;
      return typeof given === 'function' ? (given as () => Value)() : given;
    },
    parse: (raw: unknown, context: FieldContext) => spec.parse(raw, context),
    toColumn: (value: Value | null) => (value === null ? null : spec.toColumn(value)),
    fromColumn: (stored: unknown) =>
      stored === null || stored === undefined ? null : spec.fromColumn(stored),
    represent: (value: Value | null) => (value === null ? null : spec.represent(value)),
    metadata(label: string) {
      const info: Record<string, string | number | boolean> = {
        type: spec.type,
        required,
        read_only: readOnly,
      };
      info.label = label;
      if (options.helpText !== undefined && options.helpText !== '') info.help_text = options.helpText;
      return Object.assign(info, spec.limits);
    },
    schemas() {
      const output = exampled(described(nullable(spec.output())));
      const input = exampled(
        described(nullable(spec.input === undefined ? spec.output() : spec.input()), spec.rules),
      );
      return { output: readOnly ? { ...output, readOnly: true } : output, input };
    },
  });
}

/** Django's `capfirst(verbose_name)` for a field without a label: `unit_price` -> `Unit price`. */
export function defaultLabel(name: string): string {
  const spaced = name.replaceAll('_', ' ');
  const first = String.fromCodePoint(spaced.codePointAt(0) ?? 32);
  return spaced === '' ? '' : first.toUpperCase() + spaced.slice(first.length);
}

/** A JSON-number-or-numeric-string as Python's `int()` would see a stored value (pg int8 is a string). */
export function storedNumber(stored: unknown): number {
  if (typeof stored === 'number') return stored;
  if (typeof stored === 'bigint' || typeof stored === 'string') return Number(stored);
  throw new TypeError(`expected a stored number, got ${typeof stored}`);
}
