// A small resource over a table the test creates with raw SQL, served by keygate's plugin in a host
// app: what a project defining its own model gets from the resource engine.
import Fastify, { type FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { Type } from 'typebox';
import {
  AllowAny,
  defineResource,
  keygatePlugin,
  openKeygate,
  TokenAuthentication,
  type Keygate,
  type KeygatePluginOptions,
  type ResourceDefinition,
  type Validated,
} from '../../src/index.js';
import { tableRepository } from '../../src/http/table-repository.js';
import { createTestDatabase, type TestDatabase } from '../helpers.js';

/** A note as the API shows it. */
export interface Note {
  readonly id: number;
  readonly title: string;
  readonly body: string;
  readonly owner: number | null;
}

/** A note's validated input; `owner` is set from the request's user on create. */
export interface NoteInput {
  readonly title: string;
  readonly body?: string;
  readonly owner?: number | null;
}

/** A migrated keygate on a fresh database of `dialect`. */
export async function openTestKeygate(dialect: 'sqlite' | 'postgres'): Promise<{
  keygate: Keygate;
  database: TestDatabase;
}> {
  const database = await createTestDatabase(dialect);
  const keygate = openKeygate({ database: database.url, logLevel: 'silent' });
  await keygate.migrate();
  return { keygate, database };
}

/** Creates the table `name` (id, title, body, owner) with raw SQL of the dialect. */
export async function createNotesTable(keygate: Keygate, name: string): Promise<void> {
  const id =
    keygate.database.dialect === 'sqlite' ? sql`integer primary key autoincrement` : sql`serial primary key`;
  await sql`create table ${sql.table(name)} (id ${id}, title text not null, body text not null default '', owner integer)`.execute(
    keygate.database.db,
  );
}

/** Inserts notes (titles and bodies) in order, so their ids ascend with the array. */
export async function insertNotes(
  keygate: Keygate,
  table: string,
  notes: readonly { title: string; body?: string; owner?: number | null }[],
): Promise<void> {
  for (const note of notes) {
    await sql`insert into ${sql.table(table)} (title, body, owner) values (${note.title}, ${note.body ?? ''}, ${note.owner ?? null})`.execute(
      keygate.database.db,
    );
  }
}

/** The notes resource over `table`, with `extra` overriding the definition's members. */
export function notesResource(
  keygate: Keygate,
  table: string,
  extra: Partial<ResourceDefinition<Note, NoteInput>> = {},
): ResourceDefinition<Note, NoteInput> {
  return defineResource<Note, NoteInput>({
    prefix: table,
    name: 'Note',
    viewset: 'NoteModelViewSet',
    access: { authentication: [new TokenAuthentication(keygate.tokens)], permissions: [AllowAny] },
    repository: tableRepository<Note, NoteInput>({
      database: keygate.database,
      table,
      columns: { id: 'id', title: 'title', body: 'body' },
      toItem: (row) => ({
        id: Number(row.id),
        title: String(row.title),
        body: String(row.body),
        owner: row.owner === null ? null : Number(row.owner),
      }),
      toRow: (input) => ({ title: input.title, body: input.body ?? '', owner: input.owner ?? null }),
      toChanges: (input) => ({ title: input.title, body: input.body }),
    }),
    // Async, as a validation that looks a foreign key up would be.
    async validate(data, mode, source): Promise<Validated<NoteInput | Partial<NoteInput>>> {
      await Promise.resolve();
      const { title, body } = data;
      if (mode !== 'partial' && title === undefined) {
        return { ok: false, errors: { title: ['This field is required.'] } };
      }
      if (title !== undefined && typeof title !== 'string')
        return { ok: false, errors: { title: ['Not a valid string.'] } };
      if (body !== undefined && typeof body !== 'string')
        return { ok: false, errors: { body: ['Not a valid string.'] } };
      // perform_create(serializer.save(owner=request.user)): the owner is the server's to set.
      const owner = mode === 'create' ? (source.user?.id ?? null) : undefined;
      return { ok: true, value: { title: title as string, body, owner } };
    },
    represent: (note) => ({ id: note.id, title: note.title, body: note.body, owner: note.owner }),
    fields: {
      id: { type: 'integer', required: false, read_only: true, label: 'ID' },
      title: { type: 'string', required: true, read_only: false, label: 'Title' },
      body: { type: 'string', required: false, read_only: false, label: 'Body' },
    },
    schemas: {
      item: Type.Object(
        {
          id: Type.Integer(),
          title: Type.String(),
          body: Type.String(),
          owner: Type.Union([Type.Integer(), Type.Null()]),
        },
        { $id: 'Note' },
      ),
      input: Type.Object({ title: Type.String(), body: Type.Optional(Type.String()) }, { $id: 'NoteInput' }),
    },
    ...extra,
  });
}

/** A host app serving `resource` (and its OpenAPI document) through keygate's plugin, plus `options`. */
export async function notesApp(
  keygate: Keygate,
  resource: ResourceDefinition<Note, NoteInput>,
  options: Partial<KeygatePluginOptions> = {},
): Promise<FastifyInstance> {
  const app = Fastify();
  await app.register(keygatePlugin, {
    keygate,
    api: { resources: [resource as unknown as ResourceDefinition<unknown, unknown>] },
    docs: { title: 'Notes', version: '1.0.0' },
    ...options,
  });
  await app.ready();
  return app;
}
