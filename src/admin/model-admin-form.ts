// The engine's add and change forms: each field parsed from what was sent, errors beside it, then
// the write, the section's hooks and the log entry in one transaction, and Django's redirects.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { NotFound, ValidationError, type FieldErrors } from '../errors.js';
import type { User } from '../users/user.js';
import { adminUser, allowOnly, field, formData, sendAdminPage, ticked } from './admin-page.js';
import { afterSave, nonFieldErrors, withErrors, type FormField } from './change-form.js';
import { inTransaction, rowWriter } from './model-admin-save.js';
import type {
  AdminField,
  AdminFormField,
  ModelAdminDefinition,
  ModelAdminEngine,
  SaveContext,
} from './model-admin-types.js';

const REQUIRED = 'This field is required.';

/** Registers `/<slug>/add/` and `/<slug>/:id/change/`. */
export function registerModelForms<Row extends object>(
  scope: FastifyInstance,
  definition: ModelAdminDefinition<Row>,
  engine: ModelAdminEngine<Row>,
  idOf: (row: Row) => number,
): void {
  const { urls, crumbs, db } = engine;
  const { singular, objectRepr } = definition;
  const write = rowWriter(definition, idOf);
  const shownHere = <F extends { readonly when?: (scope: FastifyInstance) => boolean }>(f: F) =>
    f.when?.(scope) ?? true;
  const changeFields: readonly AdminField<Row>[] = definition.fields.filter(
    (f) => f.readonly === true || shownHere(f),
  );
  const addFields: readonly AdminFormField<Row>[] = (
    definition.addFields ?? definition.fields.filter((f): f is AdminFormField<Row> => f.readonly !== true)
  ).filter(shownHere);
  const stripped = new Set(
    [...addFields, ...changeFields].flatMap((f) => (f.readonly !== true && f.strip === true ? [f.name] : [])),
  );
  const may = {
    add: (user: User) => definition.hasAddPermission?.(user) ?? true,
    change: (user: User, row?: Row) => definition.hasChangePermission?.(user, row) ?? true,
    delete: (user: User, row?: Row) => definition.hasDeletePermission?.(user, row) ?? true,
  };
  /** The editable fields of the form for `row` (the add form's for null) that `user` may edit. */
  const editableFields = (user: User, row: Row | null): AdminFormField<Row>[] =>
    (row === null ? addFields : changeFields).filter(
      (f): f is AdminFormField<Row> => f.readonly !== true && (f.editable?.(user, row ?? undefined) ?? true),
    );

  /** The form's fields filled with `values` (what was sent, or the row's); disabled unless editable. */
  function formFields(
    values: Readonly<Record<string, string>>,
    row: Row | null,
    user: User,
    editable: boolean,
  ): FormField[] {
    return (row === null ? addFields : changeFields).map((f): FormField => {
      const help = f.help === undefined ? {} : { help: f.help };
      if (f.readonly === true) {
        return {
          name: f.name,
          label: f.label,
          kind: 'text',
          value: row === null ? '' : f.show(row),
          disabled: true,
          ...help,
        };
      }
      const open = editable && (f.editable?.(user, row ?? undefined) ?? true);
      const value = open || row === null ? (values[f.name] ?? '') : f.show(row);
      return {
        name: f.name,
        label: f.label,
        kind: f.kind,
        ...(f.kind === 'checkbox' ? { checked: ticked(value) } : { value }),
        ...(f.required === undefined ? {} : { required: f.required }),
        ...f.widget,
        ...help,
        ...(open ? {} : { disabled: true }),
      };
    });
  }

  /** The row's values as the change form shows them. */
  function valuesOf(row: Row): Record<string, string> {
    return Object.fromEntries(changeFields.map((f) => [f.name, f.show(row)]));
  }

  function formPage(
    request: FastifyRequest,
    reply: FastifyReply,
    row: Row | null,
    shown: readonly FormField[],
    errors: FieldErrors = {},
    status = 200,
  ): FastifyReply {
    const title = `${row === null ? 'Add' : 'Change'} ${singular}`;
    const name = row === null ? null : objectRepr(row);
    const deletable = row !== null && may.delete(adminUser(request), row);
    return sendAdminPage(
      request,
      reply,
      row === null ? (definition.addTemplate ?? 'change-form') : 'change-form',
      { title, status, breadcrumbs: [...crumbs, { label: name ?? title }] },
      {
        form: {
          action: request.url,
          fields: withErrors(shown, errors),
          nonFieldErrors: nonFieldErrors(shown, errors),
          ...(row !== null && definition.formLinks && { links: definition.formLinks(row) }),
          deleteHref: deletable ? urls.delete(idOf(row)) : null,
          moreButtons: true,
        },
        subtitle: name,
        ...definition.formExtra?.(row),
      },
    );
  }

  /** Each field parsed from the form, in order, then the form's `clean`: the values, or the errors. */
  async function parse(
    data: Readonly<Record<string, unknown>>,
    user: User,
    row: Row | null,
  ): Promise<{ values: Readonly<Record<string, unknown>>; errors: FieldErrors }> {
    const values: Record<string, unknown> = {};
    const errors: FieldErrors = {};
    const sent: Record<string, string | undefined> = {};
    const adding = row === null;
    for (const f of editableFields(user, row)) {
      const raw = sentValue(data, f.name);
      sent[f.name] = raw;
      const parsed =
        raw === undefined && f.required === true && f.kind !== 'checkbox'
          ? { errors: [REQUIRED] }
          : await f.parse(raw, { adding, user });
      if (parsed === null) {
        if (adding && f.default !== undefined) values[columnOf(f)] = f.default;
      } else if ('errors' in parsed) errors[f.name] = [...parsed.errors];
      else values[columnOf(f)] = parsed.value;
    }
    if (!definition.clean) return { values, errors };
    return definition.clean(sent, { values, errors }, { user, ...(row === null ? {} : { row }) });
  }

  /** The value sent for `name` (trimmed for a `strip` field), or undefined when it was not sent. */
  function sentValue(data: Readonly<Record<string, unknown>>, name: string): string | undefined {
    if (!Object.hasOwn(data, name)) return undefined;
    return stripped.has(name) ? field(data, name).trim() : field(data, name);
  }

  /** What was sent, as the form shows it again after an error. */
  function sentValues(data: Readonly<Record<string, unknown>>): Record<string, string> {
    return Object.fromEntries(
      Object.keys(data)
        .filter((name) => typeof data[name] === 'string' || Array.isArray(data[name]))
        .map((name) => [name, sentValue(data, name) ?? '']),
    );
  }

  async function save(
    request: FastifyRequest,
    reply: FastifyReply,
    before: Row | null,
  ): Promise<FastifyReply> {
    const data = formData(request);
    const user = adminUser(request);
    const adding = before === null;
    const failed = (found: FieldErrors) =>
      formPage(request, reply, before, formFields(sentValues(data), before, user, true), found);
    const { values, errors } = await parse(data, user, before);
    if (Object.keys(errors).length > 0) return failed(errors);
    const shownBefore = before === null ? {} : valuesOf(before);
    const outcome = await inTransaction(db, async (trx) => {
      const context: SaveContext<Row> = { user, trx, ...(before === null ? {} : { row: before }) };
      const written = await write(trx, values, context);
      if (written === undefined || 'errors' in written) return written;
      const { row } = written;
      let message: string | undefined;
      if (!adding) {
        const after = valuesOf(row);
        const changed = changeFields.map((f) => f.name).filter((name) => shownBefore[name] !== after[name]);
        message =
          changed.length === 0
            ? 'No fields changed.'
            : (definition.changeMessage?.(changed) ?? `Changed ${changed.join(', ')}.`);
      }
      await engine.record(trx, user, row, adding ? 'added' : 'changed', message);
      const extra = written.extra ?? (await definition.afterSave?.(row, context));
      return { row, extra };
    });
    if (outcome === undefined) throw new NotFound();
    if (outcome instanceof ValidationError) return failed(outcome.fields);
    if ('errors' in outcome) return failed(outcome.errors);
    const { row, extra } = outcome;
    const message = `The ${singular} “${objectRepr(row)}” was ${adding ? 'added' : 'changed'} successfully.`;
    const answered = definition.respondToSave?.(request, reply, { row, adding, message, extra });
    if (answered) return answered;
    return afterSave(
      reply,
      data,
      { list: urls.list, change: urls.change(idOf(row)), add: urls.add },
      message,
    );
  }

  scope.route({
    method: ['GET', 'HEAD', 'POST'],
    url: `/${definition.slug}/add/`,
    schema: { hide: true },
    async handler(request, reply) {
      const user = adminUser(request);
      allowOnly(may.add(user));
      if (request.method === 'POST') return save(request, reply, null);
      const initial = Object.fromEntries(
        addFields.flatMap((f) => (f.initial === undefined ? [] : [[f.name, f.initial]])),
      );
      return formPage(request, reply, null, formFields(initial, null, user, true));
    },
  });

  scope.route({
    method: ['GET', 'HEAD', 'POST'],
    url: `/${definition.slug}/:id/change/`,
    schema: { hide: true },
    async handler(request, reply) {
      const row = await engine.rowOf(request);
      const user = adminUser(request);
      const editable = may.change(user, row);
      // A section whose change page is a view of its own (read-only) takes no change POST.
      if (request.method === 'POST' && definition.changeView) throw new NotFound();
      if (request.method !== 'POST' && definition.changeView)
        return definition.changeView(request, reply, row);
      if (request.method !== 'POST')
        return formPage(request, reply, row, formFields(valuesOf(row), row, user, editable));
      allowOnly(editable);
      return save(request, reply, row);
    },
  });
}

function columnOf<Row>(f: AdminFormField<Row>): string {
  return f.column ?? f.name;
}
