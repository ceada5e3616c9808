// The generic admin engine (Django's ModelAdmin): a section's definition in, its change list, add
// and change forms, delete pages and log entries out. Sections declare; this file acts.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { NotFound } from '../errors.js';
import type { User } from '../users/user.js';
import { adminUser, allowOnly, objectId } from './admin-page.js';
import { sectionUrls, type AdminContext, type AdminSection } from './admin-section.js';
import { handleDeletePage, type Deleter } from './deletion.js';
import { registerModelForms } from './model-admin-form.js';
import { registerModelList } from './model-admin-list.js';
import type { AnyDatabase, ModelAdminDefinition, ModelAdminEngine } from './model-admin-types.js';

/**
 * Turns a section's definition into the section the admin site registers. `configure`, when given,
 * completes the definition when the section is registered, from the app (its services and
 * settings: hooks that need them, columns a setting adds) and the site's root.
 */
export function modelAdmin<Row extends object>(
  definition: ModelAdminDefinition<Row>,
  configure?: (scope: FastifyInstance, context: AdminContext) => Partial<ModelAdminDefinition<Row>>,
): AdminSection {
  return {
    slug: definition.slug,
    name: definition.name,
    contentType: definition.contentType,
    app: definition.app,
    register(scope, context) {
      registerModelAdmin(scope, context, { ...definition, ...configure?.(scope, context) });
    },
  };
}

function registerModelAdmin<Row extends object>(
  scope: FastifyInstance,
  { log, root }: AdminContext,
  definition: ModelAdminDefinition<Row>,
): void {
  const db = scope.keygate.database.db as AnyDatabase;
  const idColumn = definition.idColumn ?? 'id';
  const idReference = definition.idReference ?? idColumn;
  const idOf = definition.idOf ?? ((row: Row) => Number((row as Record<string, unknown>)[idColumn]));
  const label = definition.label ?? definition.objectRepr;
  const urls = sectionUrls(root, definition.slug);
  const crumbs = [{ label: definition.name, href: urls.list }];
  const plural = definition.plural ?? definition.name.toLowerCase();
  const may = {
    view: (user: User, row?: Row) => definition.hasViewPermission?.(user, row) ?? true,
    delete: (user: User, row?: Row) => definition.hasDeletePermission?.(user, row) ?? true,
  };

  const engine: ModelAdminEngine<Row> = {
    urls,
    crumbs,
    db,
    async find(ids) {
      if (ids.length === 0) return [];
      const from = definition.from?.(db) ?? db.selectFrom(definition.table);
      const rows = await from
        .select(definition.columns as string[])
        .where(idReference, 'in', ids)
        .orderBy(idReference)
        .execute();
      return rows as Row[];
    },
    async rowOf(request: FastifyRequest) {
      const id = objectId((request.params as { id?: string }).id);
      const [row] = id === null ? [] : await engine.find([id]);
      if (row === undefined) throw new NotFound();
      allowOnly(may.view(adminUser(request), row), definition.permissionDeniedMessage);
      return row;
    },
    async record(trx, actor, row, action, message) {
      await log.record(trx, {
        actor,
        contentType: definition.contentType,
        objectId: idOf(row),
        objectRepr: definition.objectRepr(row),
        action,
        message,
      });
    },
  };

  const deleter: Deleter = {
    noun: definition.singular,
    plural,
    listPath: urls.list,
    async load(ids, actor) {
      const rows = await engine.find(ids);
      allowOnly(
        rows.every((row) => may.delete(actor, row)),
        definition.permissionDeniedMessage,
      );
      const related = rows.length === 0 ? undefined : await definition.deleteRelated?.(rows.map(idOf));
      return rows.map((row) => ({
        id: idOf(row),
        label: label(row),
        href: urls.change(idOf(row)),
        related: related?.get(idOf(row)) ?? [],
      }));
    },
    async deleteAll(actor, doomed) {
      // Checked again on fresh rows: a row may have changed since the confirmation page.
      const rows = await engine.find(doomed.map((item) => item.id));
      allowOnly(
        rows.every((row) => may.delete(actor, row)),
        definition.permissionDeniedMessage,
      );
      return db.transaction().execute(async (trx) => {
        const deleted = definition.delete
          ? await definition.delete(rows, trx)
          : await deleteRows(trx, definition.table, idColumn, rows.map(idOf), rows, idOf);
        for (const row of deleted) await engine.record(trx, actor, row, 'deleted');
        return deleted.length;
      });
    },
  };

  registerModelList(scope, definition, engine, deleter, { idOf, label, may: may.view });
  registerModelForms(scope, definition, engine, idOf);
  scope.route({
    method: ['GET', 'HEAD', 'POST'],
    url: `/${definition.slug}/:id/delete/`,
    schema: { hide: true },
    async handler(request, reply) {
      const id = objectId((request.params as { id?: string }).id);
      if (id === null) throw new NotFound();
      const answered =
        definition.beforeDelete?.(request, reply, [id]) ??
        (await handleDeletePage(request, reply, deleter, id, crumbs));
      if (answered === null) throw new NotFound();
      return answered;
    },
  });
  definition.extraRoutes?.(scope, engine);
}

/** Deletes the rows with these ids; answers the rows that were still there. */
async function deleteRows<Row>(
  trx: Parameters<Parameters<ReturnType<AnyDatabase['transaction']>['execute']>[0]>[0],
  table: string,
  idColumn: string,
  ids: readonly number[],
  rows: readonly Row[],
  idOf: (row: Row) => number,
): Promise<Row[]> {
  if (ids.length === 0) return [];
  const gone = await trx.deleteFrom(table).where(idColumn, 'in', ids).returning(idColumn).execute();
  const goneIds = new Set(gone.map((g) => Number((g as Record<string, unknown>)[idColumn])));
  return rows.filter((row) => goneIds.has(idOf(row)));
}
