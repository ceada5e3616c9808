// The engine's write of a form's values: the section's beforeSave hook, then the INSERT or UPDATE
// (or the section's own insert), then the row read back inside the same transaction.
import { DoesNotExist, NotFound, ValidationError, type FieldErrors } from '../errors.js';
import type { AnyDatabase, AnyTransaction, ModelAdminDefinition, SaveContext } from './model-admin-types.js';

/** What a write answers: the row written (and what the section's insert returned), errors, or nothing (gone). */
export type Written<Row> = { row: Row; extra?: unknown } | { errors: FieldErrors } | undefined;

/** The write of `definition`'s rows, for the add and change forms. */
export function rowWriter<Row extends object>(
  definition: ModelAdminDefinition<Row>,
  idOf: (row: Row) => number,
): (
  trx: AnyTransaction,
  values: Readonly<Record<string, unknown>>,
  context: SaveContext<Row>,
) => Promise<Written<Row>> {
  const idColumn = definition.idColumn ?? 'id';

  async function write(
    trx: AnyTransaction,
    values: Readonly<Record<string, unknown>>,
    context: SaveContext<Row>,
  ): Promise<Written<Row>> {
    const checked = await definition.beforeSave?.(values, context);
    if (checked && 'errors' in checked) return checked;
    const final = checked?.values ?? values;
    if (context.row === undefined) {
      if (definition.insert) {
        const { id, extra } = await definition.insert(final, context);
        const [row] = await findIn(trx, [id]);
        return row && { row, extra };
      }
      const inserted = await trx
        .insertInto(definition.table)
        .values(final)
        .returning(idColumn)
        .executeTakeFirstOrThrow();
      const [row] = await findIn(trx, [Number((inserted as Record<string, unknown>)[idColumn])]);
      return row && { row };
    }
    const id = idOf(context.row);
    if (definition.update) {
      await definition.update(final, context);
    } else if (Object.keys(final).length > 0) {
      const updated = await trx
        .updateTable(definition.table)
        .set(final)
        .where(idColumn, '=', id)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 0) return undefined;
    }
    const [row] = await findIn(trx, [id]);
    return row && { row };
  }

  /** The rows with these ids, read inside `trx` (what a write made, before it commits). */
  async function findIn(trx: AnyTransaction, ids: readonly number[]): Promise<Row[]> {
    const from = definition.from?.(trx) ?? trx.selectFrom(definition.table);
    return (await from
      .select(definition.columns as string[])
      .where(definition.idReference ?? idColumn, 'in', ids)
      .execute()) as Row[];
  }

  return write;
}

/**
 * Runs `work` in a transaction of `db`; a ValidationError it throws is answered, for the form to
 * show, and DoesNotExist (the row went meanwhile) is a 404.
 */
export async function inTransaction<T>(
  db: AnyDatabase,
  work: (trx: AnyTransaction) => Promise<T>,
): Promise<T | ValidationError> {
  try {
    return await db.transaction().execute(work);
  } catch (error) {
    if (error instanceof ValidationError) return error;
    if (error instanceof DoesNotExist) throw new NotFound();
    throw error;
  }
}
