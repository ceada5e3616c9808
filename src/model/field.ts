// The model field contract: one definition gives DRF's ModelSerializer field (input, output, OPTIONS, schemas).
import type { TSchema } from 'typebox';

/** Outcome of parsing one value: the internal value, or DRF's messages for the field (all of them). */
export type Checked<T> =
  | {
      /** The value was accepted. */
      readonly ok: true;
      /** The internal value. */
      readonly value: T;
    }
  | {
      /** The value was refused. */
      readonly ok: false;
      /** DRF's messages for the field, in order. */
      readonly messages: string[];
    };

/** What a field may need to know about the request while it parses a value. */
export interface FieldContext {
  /** The body was urlencoded or multipart (DRF's `html.is_html_input`): absent and `''` mean other things. */
  readonly form: boolean;
  /** The request's user (owner fields take their value from it), or null when anonymous. */
  readonly user: {
    /** The user's id. */
    readonly id: number;
  } | null;
  /** True when a row with this id exists in `table` (`'user'` names keygate's users table). */
  exists(table: string, id: number): Promise<boolean>;
}

/** The kinds of field keygate models have, each one DRF serializer field class. */
export type FieldKind =
  'char' | 'text' | 'email' | 'integer' | 'decimal' | 'boolean' | 'datetime' | 'foreignKey' | 'owner';

/** What every field definition may say (Django model field options that DRF's ModelSerializer reads). */
export interface CommonFieldOptions<Value> {
  /** Model default used on create when the field is not given; makes the field not required. */
  readonly default?: Value | (() => Value);
  /** Django `null=True`: the column takes NULL, the API takes `null` (DRF `allow_null`); not required. */
  readonly null?: boolean;
  /** DRF `read_only`: shown, never taken from input. */
  readonly readOnly?: boolean;
  /** The column's name when it differs from the field's (`price` stored in `price_cents`). */
  readonly column?: string;
  /** Django `blank=True`: not required (and, for char kinds, `''` accepted). */
  readonly blank?: boolean;
  /** Django `verbose_name` as shown: the OPTIONS label (default: the name, `_` as spaces, first letter up). */
  readonly label?: string;
  /** Django `help_text`: OPTIONS `help_text` and the schema's description. */
  readonly helpText?: string;
  /** OpenAPI `examples` of the field's value, as the API shows it (`['20.48']` for a decimal). */
  readonly examples?: readonly unknown[];
}

/**
 * One field of a model, with DRF's semantics. Values are internal values (`Value`, or `null` for a
 * nullable field); the serializer (`validateData`) decides presence, null and blank before `parse`.
 */
export interface ModelField<Value, Options extends CommonFieldOptions<Value> = CommonFieldOptions<Value>> {
  /** Which constructor made the field. */
  readonly kind: FieldKind;
  /** The options the definition gave, as given. */
  readonly options: Readonly<Options>;
  /** Never taken from input (DRF `read_only`): also autoNow/autoNowAdd datetimes and owner fields. */
  readonly readOnly: boolean;
  /** DRF `required`: false when the model field has a default, is null or blank, or is read-only. */
  readonly required: boolean;
  /** DRF `allow_null` (Django `null=True`). */
  readonly allowNull: boolean;
  /** DRF `allow_blank` (Django `blank=True` on char, text and email fields). */
  readonly allowBlank: boolean;
  /**
   * DRF's `default_empty_html`: the value a form body means by leaving the key out (outside PATCH).
   * `undefined` for "missing"; `false` for a boolean (an unticked checkbox sends nothing).
   */
  readonly formAbsentValue: unknown;
  /** The model default for a create that did not give the field, or undefined when there is none. */
  defaultValue(): Value | undefined;
  /**
   * DRF `to_internal_value` then the field's validators, for a present, non-null value. Only a
   * nullable BooleanField gives null here (`"null"` and `''` are its NULL_VALUES).
   */
  parse(raw: unknown, context: FieldContext): Checked<Value | null> | Promise<Checked<Value | null>>;
  /** The stored column value (decimal: scaled integer; boolean: 0/1 on both databases; null stays null). */
  toColumn(value: Value | null): unknown;
  /** A row's column value as the internal value (PostgreSQL gives int8 as a string, and so on). */
  fromColumn(stored: unknown): Value | null;
  /** DRF `to_representation`: the internal value as JSON (decimal `"20.48"`, datetime as stored). */
  represent(value: Value | null): unknown;
  /** DRF SimpleMetadata's `get_field_info` for OPTIONS, given the field's label. */
  metadata(label: string): Record<string, string | number | boolean>;
  /** TypeBox schemas: `output` as responses show it, `input` as POST/PUT bodies send it (no default). */
  schemas(): {
    /** The value as responses show it. */
    readonly output: TSchema;
    /** The value as POST/PUT bodies send it. */
    readonly input: TSchema;
  };
}

/** Any field, as a model's ordered field map holds it. */
export type AnyModelField = ModelField<unknown, CommonFieldOptions<unknown>>;

/** A success. */
export const accept = <T>(value: T): Checked<T> => ({ ok: true, value });
/** A failure with DRF's messages. */
export const refuse = (...messages: string[]): Checked<never> => ({ ok: false, messages });
