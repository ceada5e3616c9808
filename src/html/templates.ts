// The HTML templates (eta, every `<%= %>` escaped) and where they and the static files live.
import { fileURLToPath } from 'node:url';
import { Eta } from 'eta';

// This file is src/html/templates.ts under tsx and dist/html/templates.js after `tsc`: two levels
// below the package root either way, and the templates stay in src/ (the package ships it).
const PACKAGE_ROOT = new URL('../../', import.meta.url);

/** The folder of the `.eta` templates. */
export const TEMPLATES_DIR = fileURLToPath(new URL('src/html/templates/', PACKAGE_ROOT));
/** The folder of the files served under `/static/`. */
export const STATIC_DIR = fileURLToPath(new URL('src/html/static/', PACKAGE_ROOT));

/**
 * The template engine. Interpolations are XML-escaped (`<%= %>`); the only raw output (`<%~ %>`)
 * is a layout's `it.body`, itself a rendered template. Compiled templates are cached.
 */
const eta = new Eta({ views: TEMPLATES_DIR, autoEscape: true, cache: true });

/** Renders the template `name` (without `.eta`) with `data` as `it`. */
export function renderTemplate(name: string, data: object): string {
  return eta.render(name, data);
}
