// ForeignKey as DRF's PrimaryKeyRelatedField, and the owner field the engine fills from the request's user.
import { Type } from 'typebox';
import * as pythonText from '../../fields/index.js';
import {
  accept,
  refuse,
  type Checked,
  type CommonFieldOptions,
  type FieldContext,
  type ModelField,
} from '../field.js';
import { makeField, storedNumber } from './common.js';
import { pythonInt } from './integer.js';

/** A model a foreign key may point at: what `defineModel` returns has this shape. */
export interface RelatedModel {
  /** The model's definition. */
  readonly definition: {
    /** The related table. */
    readonly table: string;
  };
}

/** Options of `fields.foreignKey`. */
export interface ForeignKeyOptions extends CommonFieldOptions<number> {
  /**
   * The related model (`defineModel`), `'user'` for keygate's users, or a table's name. The column
   * is `<field>_id` unless `column` says otherwise, as Django names it.
   */
  readonly to: string | RelatedModel;
}

/** PrimaryKeyRelatedField's messages. */
export const RELATION_MESSAGES = Object.freeze({
  doesNotExist: (pk: string) => `Invalid pk "${pk}" - object does not exist.`,
  incorrectType: (type: string) => `Incorrect type. Expected pk value, received ${type}.`,
});

/** Python's `type(data).__name__` for what `json.loads` (or a form) gives. */
function pythonTypeName(value: unknown): string {
  if (typeof value === 'string') return 'str';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (Array.isArray(value)) return 'list';
  if (value === null) return 'NoneType';
  return 'dict';
}

/**
 * PrimaryKeyRelatedField.to_internal_value: a bool is refused (TypeError), then `queryset.get(pk=data)`
 * where Django's AutoField runs `int(data)`: `5`, `"5"`, `" 5 "` and `5.7` (`int()` truncates a float)
 * look up row 5; `"5.0"`, `"abc"`, lists and objects are the wrong type. A pk that is no row, or
 * beyond the 64-bit id range, does not exist; the message shows `str(data)`.
 */
export async function parsePrimaryKey(
  raw: unknown,
  table: string,
  context: FieldContext,
): Promise<Checked<number>> {
  let pk: bigint | undefined;
  if (typeof raw === 'number' && Number.isFinite(raw)) pk = BigInt(Math.trunc(raw));
  else if (typeof raw === 'string') pk = pythonInt(raw);
  if (pk === undefined) return refuse(RELATION_MESSAGES.incorrectType(pythonTypeName(raw)));
  const shown = typeof raw === 'number' ? pythonText.pythonNumberText(raw) : (raw as string);
  const found =
    pk >= 1n && pk <= BigInt(Number.MAX_SAFE_INTEGER) && (await context.exists(table, Number(pk)));
  return found ? accept(Number(pk)) : refuse(RELATION_MESSAGES.doesNotExist(shown));
}

/** Django ForeignKey -> DRF PrimaryKeyRelatedField: the related row's id in and out (OPTIONS type `field`). */
export function foreignKey(options: ForeignKeyOptions): ModelField<number, ForeignKeyOptions> {
  return makeField<number, ForeignKeyOptions>({
    kind: 'foreignKey',
    options,
    type: 'field',
    parse: (raw, context) =>
      parsePrimaryKey(
        raw,
        typeof options.to === 'string' ? options.to : options.to.definition.table,
        context,
      ),
    toColumn: (value) => value,
    fromColumn: storedNumber,
    represent: (value) => value,
    output: () => Type.Integer({ minimum: 1 }),
  });
}

/** An owner field's options as the field holds them: what was given, and the related table. */
export interface OwnerFieldOptions extends OwnerOptions {
  /** Always keygate's users. */
  readonly to: 'user';
}

/** Options of `fields.owner`. */
export type OwnerOptions = Omit<CommonFieldOptions<number>, 'default' | 'readOnly' | 'null'>;

/**
 * A ForeignKey to the user that the engine sets from the request's user on create (DRF's
 * `perform_create(serializer.save(owner=request.user))` with a `ReadOnlyField(source='owner.id')`
 * style field): read-only, represented as the user's id.
 */
export function owner(options: OwnerOptions = {}): ModelField<number, OwnerFieldOptions> {
  return makeField<number, OwnerFieldOptions>({
    kind: 'owner',
    options: { ...options, to: 'user' },
    type: 'field',
    readOnly: true,
    parse: () => refuse('This field is read only.'),
    toColumn: (value) => value,
    fromColumn: storedNumber,
    represent: (value) => value,
    output: () => Type.Integer({ minimum: 1 }),
  });
}
