// keygate's own API as its OpenAPI document introduces it: title, how to authenticate, version, licence.
import { readFileSync } from 'node:fs';
import type { OpenApiOptions } from './http/openapi.js';

const DESCRIPTION = [
  "Django REST framework's token authentication, rebuilt in TypeScript.",
  '',
  'Exchange a username and password for a key at `POST /gettoken/` (or `POST /customtoken/`), then send',
  'it with every request as `Authorization: Token <key>`. In **Authorize**, enter that whole value,',
  'e.g. `Token 9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b`.',
  '',
  'Every answer an operation can give is listed with its body, in JSON. (A browser, whose `Accept`',
  'asks for `text/html`, gets the same answers as pages of the browsable API instead.)',
].join('\n');

/** The package's version and licence (an SPDX identifier), as the document's `info` gives them. */
function packageInfo(): { readonly version: string; readonly license: string } {
  // src/ (tsx) and dist/ (build) are both one level below the package root.
  const pkg: unknown = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  const { version, license } = pkg as { version?: unknown; license?: unknown };
  if (typeof version !== 'string') throw new Error('package.json has no version');
  if (typeof license !== 'string') throw new Error('package.json has no license');
  return { version, license };
}

/** keygate's version, as package.json gives it. */
export function keygateVersion(): string {
  return packageInfo().version;
}

/** The `info` of keygate's own document (/openapi.json) and the title of its /docs page. */
export function keygateApiInfo(): OpenApiOptions {
  return { title: 'keygate', description: DESCRIPTION, ...packageInfo(), pageTitle: 'keygate API' };
}
