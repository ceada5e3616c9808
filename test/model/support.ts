// Test support for the model suites: a field context with a fake relation lookup, and one-field validation.
import {
  validateData,
  type AnyModelField,
  type FieldContext,
  type ValidationMode,
} from '../../src/model/index.js';

/** Rows that exist, by table: `user` 1 and 2, `categories` 5. */
const ROWS: Readonly<Record<string, readonly number[]>> = { user: [1, 2], categories: [5] };

/** A context for a JSON (or form) body, user 1 unless given. */
export function contextFor(
  form = false,
  user: { id: number } | null = { id: 1 },
): FieldContext & { looked: string[] } {
  const looked: string[] = [];
  return {
    form,
    user,
    looked,
    exists(table: string, id: number) {
      looked.push(`${table}:${id}`);
      return Promise.resolve((ROWS[table] ?? []).includes(id));
    },
  };
}

/** validateData over one field `f`, with `raw` given (or absent when `raw` is undefined). */
export function one(field: AnyModelField, raw: unknown, mode: ValidationMode = 'create', form = false) {
  return validateData({ f: field }, raw === undefined ? {} : { f: raw }, mode, contextFor(form));
}

/** The value `raw` gives for `field`, or throws with the errors. */
export async function valueOf(field: AnyModelField, raw: unknown, form = false): Promise<unknown> {
  const result = await one(field, raw, 'create', form);
  if (!result.ok)
    throw new Error(`expected ${JSON.stringify(raw)} to pass: ${JSON.stringify(result.errors)}`);
  return result.value.f;
}

/** The messages `raw` gives for `field` (create mode). */
export async function messagesOf(field: AnyModelField, raw: unknown, form = false): Promise<string[]> {
  const result = await one(field, raw, 'create', form);
  if (result.ok)
    throw new Error(`expected ${JSON.stringify(raw)} to fail, got ${JSON.stringify(result.value)}`);
  return result.errors.f ?? [];
}
