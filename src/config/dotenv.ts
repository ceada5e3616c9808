// `.env` in the working directory, read by the CLI before the environment is turned into a Config.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/** Loads `.env` from the working directory into process.env (variables already set win). */
export function loadDotEnv(path = resolve('.env')): void {
  if (existsSync(path)) process.loadEnvFile(path);
}
