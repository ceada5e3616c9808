// Finding and importing a project's keygate.config.{ts,js,mjs}: the first in the working directory, or --config.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
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

type TsImport = (specifier: string, parentURL: string) => Promise<unknown>;

/** tsx's `tsImport`, resolved from the project (keygate does not ship a TypeScript loader). */
async function projectTsImport(cwd: string, file: string): Promise<TsImport> {
  let api: string;
  try {
    api = createRequire(join(cwd, 'package.json')).resolve('tsx/esm/api');
  } catch {
    throw new ProjectConfigError(
      file,
      null,
      'a TypeScript configuration needs tsx installed in the project (npm install --save-dev tsx), or write keygate.config.mjs',
    );
  }
  const { tsImport } = (await import(pathToFileURL(api).href)) as { tsImport: TsImport };
  return tsImport;
}

/** Imports the file's default export (for `.ts`, through the project's tsx). */
async function importConfig(cwd: string, file: string): Promise<unknown> {
  const url = pathToFileURL(resolve(cwd, file)).href;
  let module: { default?: unknown };
  try {
    module = (
      /\.[cm]?ts$/.test(file)
        ? await (
            await projectTsImport(cwd, file)
          )(url, import.meta.url)
        : await import(url)
    ) as { default?: unknown };
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
  return module.default;
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
