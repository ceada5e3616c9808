// A project's keygate.config: its resources, its own migrations and its settings, checked field by field.
import { ConfigError, SETTING_KEYS, type ConfigOptions } from '../config/index.js';
import { definitionOf, type SettingKey } from '../config/settings.js';
import type { AppMigrations } from '../db/migrate.js';
import type { ResourceDefinition } from '../http/resource.js';
import type { OpenApiOptions } from '../http/openapi.js';
import type { Keygate } from '../keygate.js';
import { isModel, type Model } from '../model/define-model.js';

/** What a project's `keygate.config.ts` (or `.js`/`.mjs`) exports as its default. */
export interface ProjectConfig {
  /**
   * The project's API resources, served by `keygate serve` instead of the seed's Product API (and
   * its admin section). Called once per server process with the opened keygate.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly resources?: (keygate: Keygate) => readonly ResourceDefinition<any, any>[];
  /**
   * The project's models (`defineModel`): each one's API resource, served like `resources`, and
   * its admin section. Their tables come from `migrations`.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly models?: readonly Model<any>[];
  /**
   * The project's own Kysely migrations by name, applied in name order after keygate's by
   * `keygate migrate` (and by SQLite's automatic migration), recorded as `app:<name>`.
   */
  readonly migrations?: AppMigrations;
  /**
   * The OpenAPI document's `info` (`title`, `version`, optional `description` and `license`) and
   * the /docs page's title; default keygate's own.
   */
  readonly docs?: OpenApiOptions;
  /** Settings' defaults for this project; the environment and `.env` still win. */
  readonly settings?: ConfigOptions;
}

/**
 * Types a project's configuration; returns it unchanged.
 *
 * @example
 * // keygate.config.mjs
 * import { defineConfig } from 'keygate';
 * export default defineConfig({
 *   migrations: { '0001-notes': { up: (db) => db.schema.createTable('notes')...execute() } },
 *   resources: (keygate) => [notesResource(keygate)],
 *   settings: { tokenPolicy: 'hashed' },
 * });
 */
export function defineConfig(config: ProjectConfig): ProjectConfig {
  return config;
}

/** A project's configuration file is wrong; the message names the file and the field. */
export class ProjectConfigError extends ConfigError {
  constructor(
    /** The file as found or given (`keygate.config.mjs`). */
    readonly file: string,
    /** The field at fault (`migrations.0001-notes`), or null for the file as a whole. */
    readonly field: string | null,
    message: string,
  ) {
    super(field === null ? file : `${file}: ${field}`, message);
    this.name = 'ProjectConfigError';
  }
}

const KEYS: ReadonlySet<string> = new Set(['models', 'resources', 'migrations', 'settings', 'docs']);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkMigrations(value: unknown, file: string): void {
  if (!isPlainObject(value)) {
    throw new ProjectConfigError(file, 'migrations', 'must be an object of migrations by name');
  }
  for (const [name, migration] of Object.entries(value)) {
    const field = `migrations.${name}`;
    if (!/^[A-Za-z0-9][\w.-]*$/.test(name)) {
      throw new ProjectConfigError(file, field, 'a name is letters, digits, ".", "-" and "_"');
    }
    if (!isPlainObject(migration)) throw new ProjectConfigError(file, field, 'must be an object with up()');
    if (typeof migration.up !== 'function')
      throw new ProjectConfigError(file, field, 'up must be a function');
    if (migration.down !== undefined && typeof migration.down !== 'function') {
      throw new ProjectConfigError(file, field, 'down must be a function');
    }
  }
}

const DOCS_TEXT = ['title', 'version', 'description', 'license', 'pageTitle', 'prefix'] as const;

function checkDocs(value: unknown, file: string): void {
  if (!isPlainObject(value))
    throw new ProjectConfigError(file, 'docs', 'must be an object ({ title, version })');
  for (const key of Object.keys(value)) {
    if (!(DOCS_TEXT as readonly string[]).includes(key)) {
      throw new ProjectConfigError(
        file,
        `docs.${key}`,
        `unknown key; expected one of ${DOCS_TEXT.join(', ')}`,
      );
    }
    if (typeof value[key] !== 'string') throw new ProjectConfigError(file, `docs.${key}`, 'must be a string');
  }
  for (const key of ['title', 'version']) {
    if (value[key] === undefined) throw new ProjectConfigError(file, `docs.${key}`, 'is required');
  }
}

function checkModels(value: unknown, file: string): void {
  if (!Array.isArray(value))
    throw new ProjectConfigError(file, 'models', 'must be an array of models (defineModel)');
  const prefixes = new Set<string>();
  value.forEach((model: unknown, index) => {
    const field = `models.${index}`;
    if (!isModel(model)) throw new ProjectConfigError(file, field, 'is not a model (use defineModel({...}))');
    const { prefix } = model.definition;
    if (prefixes.has(prefix))
      throw new ProjectConfigError(file, field, `a second model with the prefix '${prefix}'`);
    prefixes.add(prefix);
  });
}

/** Each setting checked as resolveConfig checks it; returns the values as Config holds them. */
function checkSettings(value: unknown, file: string): ConfigOptions {
  if (!isPlainObject(value)) throw new ProjectConfigError(file, 'settings', 'must be an object of settings');
  const settings: Record<string, unknown> = {};
  for (const [key, setting] of Object.entries(value)) {
    const field = `settings.${key}`;
    if (!(SETTING_KEYS as readonly string[]).includes(key)) {
      throw new ProjectConfigError(
        file,
        field,
        `not a keygate setting; expected one of ${SETTING_KEYS.join(', ')}`,
      );
    }
    if (setting === undefined) continue;
    try {
      settings[key] = definitionOf(key as SettingKey).parser.fromValue(setting, key);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      // The parser's message starts with the option's name; the field says it already.
      throw new ProjectConfigError(file, field, error.message.replace(`${key}: `, ''));
    }
  }
  return settings;
}

/** Checks what a configuration file exported; throws a ProjectConfigError naming `file` and the field. */
export function checkProjectConfig(value: unknown, file: string): ProjectConfig {
  if (!isPlainObject(value)) {
    throw new ProjectConfigError(
      file,
      null,
      'the default export must be an object (use defineConfig({...}))',
    );
  }
  for (const key of Object.keys(value)) {
    if (!KEYS.has(key)) {
      throw new ProjectConfigError(file, key, `unknown key; expected one of ${[...KEYS].join(', ')}`);
    }
  }
  if (value.resources !== undefined && typeof value.resources !== 'function') {
    throw new ProjectConfigError(file, 'resources', 'must be a function (keygate) => [resources]');
  }
  if (value.migrations !== undefined) checkMigrations(value.migrations, file);
  if (value.models !== undefined) checkModels(value.models, file);
  if (value.docs !== undefined) checkDocs(value.docs, file);
  return Object.freeze({
    ...(value.docs !== undefined && { docs: value.docs as OpenApiOptions }),
    ...(value.models !== undefined && { models: value.models as ProjectConfig['models'] }),
    ...(value.resources !== undefined && { resources: value.resources as ProjectConfig['resources'] }),
    ...(value.migrations !== undefined && { migrations: value.migrations as ProjectConfig['migrations'] }),
    ...(value.settings !== undefined && { settings: checkSettings(value.settings, file) }),
  });
}

/** What a project serves: its models, then its resources. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ProjectResources = readonly (ResourceDefinition<any, any> | Model<any>)[];

/**
 * The project's API for one server process: its models, then `config.resources(keygate)`, checked
 * to be an array (a throw or a wrong value is a ProjectConfigError naming `file` and `resources`).
 * Undefined when the project defines neither (keygate then serves the seed's products).
 */
export function projectResources(
  config: ProjectConfig,
  file: string | null,
  keygate: Keygate,
): ProjectResources | undefined {
  if ((config.resources === undefined && config.models === undefined) || file === null) return undefined;
  let resources: unknown = [];
  try {
    if (config.resources !== undefined) resources = config.resources(keygate);
  } catch (error) {
    throw new ProjectConfigError(file, 'resources', `threw: ${(error as Error).message ?? String(error)}`);
  }
  if (!Array.isArray(resources)) {
    throw new ProjectConfigError(file, 'resources', 'must return an array of resources (defineResource)');
  }
  return [...(config.models ?? []), ...(resources as ProjectResources)];
}
