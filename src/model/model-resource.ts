// A model's API resource: the generic table repository, the ModelSerializer's validation and
// representation, OPTIONS metadata and schemas, all from the model's fields.
import { sql, type Kysely } from 'kysely';
import { IsAuthenticated } from '../auth/permissions.js';
import { TokenAuthentication } from '../auth/authentication.js';
import { SessionAuthentication } from '../auth/session-authentication.js';
import { NotAuthenticated } from '../errors.js';
import type { KeygateDatabase } from '../db/keygate-database.js';
import type { ResourceDefinition } from '../http/resource-definition.js';
import { tableRepository } from '../http/table-repository.js';
import type { Keygate } from '../keygate.js';
import type { Authenticator } from '../auth/authentication.js';
import { BasicAuthentication } from '../auth/basic-authentication.js';
import type { AuthenticationClass, ModelDefinition, ModelItem } from './model-definition.js';
import type { FieldContext } from './field.js';
import {
  columnOf,
  fieldSchemas,
  fieldsMetadata,
  savedValues,
  representValues,
  toColumns,
  validateData,
  valuesOf,
  type ModelFields,
} from './serializer.js';

type Values = Readonly<Record<string, unknown>>;

/** `Stock movement` -> `StockMovement`. */
export function pascalCase(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word !== '')
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join('');
}

/** Builds the engine's authenticator for each class the model lists. */
export function authenticators(classes: readonly AuthenticationClass[], keygate: Keygate): Authenticator[] {
  return classes.map((entry) => {
    if (entry === TokenAuthentication) return new TokenAuthentication(keygate.tokens);
    if (entry === SessionAuthentication) return new SessionAuthentication();
    if (entry === BasicAuthentication) return new BasicAuthentication(keygate.users, keygate.throttle);
    if (typeof entry === 'function')
      throw new TypeError('authentication: an unknown class; pass an instance');
    return entry;
  });
}

/** `exists(table, id)` for foreign keys: one indexed lookup (`user` is keygate's users table). */
export function rowExists(database: KeygateDatabase): FieldContext['exists'] {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const db = database.db as unknown as Kysely<any>;
  return async (table, id) => {
    const row = await db
      .selectFrom(table === 'user' ? 'users' : table)
      .select(sql<number>`1`.as('found'))
      .where(sql.ref('id'), '=', id)
      .executeTakeFirst();
    return row !== undefined;
  };
}

/** The model's resource on `keygate`. */
export function modelResource<Fields extends ModelFields>(
  definition: ModelDefinition<Fields>,
  keygate: Keygate,
): ResourceDefinition<ModelItem<Fields>, Values> {
  const { fields } = definition;
  const exists = rowExists(keygate.database);
  const hasOwner = Object.values(fields).some((field) => field.kind === 'owner');
  const columns = Object.fromEntries(
    Object.entries(fields).map(([name, field]) => [name, columnOf(name, field)]),
  );
  const repository =
    definition.repository?.(keygate) ??
    tableRepository<ModelItem<Fields>, Values>({
      database: keygate.database,
      table: definition.table,
      columns,
      toItem: (row) => valuesOf(fields, row) as ModelItem<Fields>,
      toRow: (values) => toColumns(fields, values),
    });
  const typeName = pascalCase(definition.name);
  const schemas = fieldSchemas(typeName, fields);
  return {
    prefix: definition.prefix,
    name: definition.name,
    viewset: definition.viewset ?? `${typeName}ViewSet`,
    access: {
      authentication: authenticators(
        definition.authentication ?? [TokenAuthentication, SessionAuthentication],
        keygate,
      ),
      permissions: definition.permissions ?? [IsAuthenticated],
    },
    repository,
    ...(definition.pagination !== undefined && { pagination: definition.pagination }),
    ...(definition.ownedBy !== undefined && { ownedBy: definition.ownedBy }),
    ...(definition.search !== undefined && { search: { fields: definition.search } }),
    ...(definition.ordering !== undefined && { ordering: definition.ordering }),
    async validate(data, mode, source) {
      const context: FieldContext = { form: source.form, user: source.user, exists };
      // An owner comes from the request: an anonymous create (a model that allows one) is refused.
      if (mode === 'create' && source.user === null && hasOwner) throw new NotAuthenticated();
      const result = await validateData(fields, data, mode, context);
      if (!result.ok) return result;
      return { ok: true, value: savedValues(fields, result.value, mode, context) };
    },
    represent: (item) => representValues(fields, item),
    fields: fieldsMetadata(fields),
    schemas,
  };
}
