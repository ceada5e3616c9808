// Finding and importing a project's keygate.config.{ts,js,mjs}: the first in the working directory, or --config.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { checkProjectConfig, ProjectConfigError, type ProjectConfig } from './project-config.js';

/** The names looked for in the working directory, in this order. */
export const CONFIG_FILE_NAMES = ['keygate.config.ts', 'keygate.config.js', 'keygate.config.mjs'] as const;

/** A project's configuration and where it came from. */
export interface LoadedProjectConfig {
  /** The file as found or given, or null when there is none (keygate serves the seed's products). */
  readonly file: string | null;
  readonly config: ProjectConfig;
}

/** The configuration file to use: `override` (which must exist), else the first name found in `cwd`. */
export function findProjectConfig(cwd: string, override?: string): string | null {
  if (override !== undefined) {
    if (!existsSync(resolve(cwd, override))) throw new ProjectConfigError(override, null, 'no such file');
    return override;
  }
  return CONFIG_FILE_NAMES.find((name) => existsSync(join(cwd, name))) ?? null;
}

/**
 * The file of tsx's `tsx/esm/api` for `import` as the project installed it (keygate does not ship
 * a TypeScript loader): read from tsx's exports map, since Node 20 resolves only for `require`
 * from another directory and tsx's CommonJS build cannot import a file.
 */
function projectTsxApi(cwd: string, file: string): string {
  try {
    const manifest = createRequire(join(cwd, 'package.json')).resolve('tsx/package.json');
    const { exports } = JSON.parse(readFileSync(manifest, 'utf8')) as {
      exports: Record<string, { import?: { default?: string } }>;
    };
    const entry = exports['./esm/api']?.import?.default;
    if (entry === undefined) throw new Error('tsx has no tsx/esm/api');
    return join(dirname(manifest), entry);
  } catch {
    throw new ProjectConfigError(
      file,
      null,
      'a TypeScript configuration needs tsx installed in the project (npm install --save-dev tsx), or write keygate.config.mjs',
    );
  }
}

/** Whether the nearest package.json above `dir` says `"type": "module"`. */
function isModuleProject(dir: string): boolean {
  for (let at = dir; ; at = dirname(at)) {
    const manifest = join(at, 'package.json');
    if (existsSync(manifest)) {
      try {
        return (JSON.parse(readFileSync(manifest, 'utf8')) as { type?: unknown }).type === 'module';
      } catch {
        return false;
      }
    }
    if (dirname(at) === at) return false;
  }
}

/**
 * Registers the project's tsx as this process's loader of TypeScript (its `register()`, not its
 * namespaced `tsImport`, which would load a second copy of keygate whose errors and classes the
 * running server does not recognise).
 */
async function registerProjectTsx(cwd: string, file: string): Promise<void> {
  if (!isModuleProject(dirname(resolve(cwd, file)))) {
    // tsx would load it as CommonJS, which Node 20 cannot combine with keygate's ES modules.
    throw new ProjectConfigError(
      file,
      null,
      'a TypeScript configuration needs "type": "module" in the project\'s package.json',
    );
  }
  const { register } = (await import(pathToFileURL(projectTsxApi(cwd, file)).href)) as {
    register: () => unknown;
  };
  register();
}

/** Imports the file's default export (for `.ts`, through the project's tsx). */
async function importConfig(cwd: string, file: string): Promise<unknown> {
  const url = pathToFileURL(resolve(cwd, file)).href;
  let module: { default?: unknown };
  try {
    if (/\.[cm]?ts$/.test(file)) await registerProjectTsx(cwd, file);
    module = (await import(url)) as { default?: unknown };
  } catch (error) {
    if (error instanceof ProjectConfigError) throw error;
    throw new ProjectConfigError(
      file,
      null,
      `could not be loaded: ${(error as Error).message ?? String(error)}`,
    );
  }
  if (!('default' in module)) {
    throw new ProjectConfigError(file, null, 'has no default export (export default defineConfig({...}))');
  }
  const exported = module.default;
  // tsx compiles a .ts file of a project without "type": "module" to CommonJS: its default export
  // is then `module.exports.default`.
  if (
    typeof exported === 'object' &&
    exported !== null &&
    (exported as { __esModule?: unknown }).__esModule === true &&
    'default' in exported
  ) {
    return exported.default;
  }
  return exported;
}

/**
 * Loads and checks the project's configuration for a command run in `cwd`; `override` is
 * `--config PATH`. Throws a ProjectConfigError naming the file and the field.
 */
export async function loadProjectConfig(cwd: string, override?: string): Promise<LoadedProjectConfig> {
  const file = findProjectConfig(cwd, override);
  if (file === null) return { file: null, config: {} };
  return { file, config: checkProjectConfig(await importConfig(cwd, file), file) };
}
