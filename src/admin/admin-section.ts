// The contract between the admin engine and the sections that plug into it (Django's ModelAdmin
// registered on an AdminSite): what a section declares, and what the engine hands it.
import type { FastifyInstance } from 'fastify';
import type { AdminLog } from './admin-log.js';

/** What every admin section gets when it registers. */
export interface AdminContext {
  /** The admin log, to record each change inside the change's own transaction. */
  readonly log: AdminLog;
  /** The site's root path, with both slashes: `/admin/` unless the host mounted it elsewhere. */
  readonly root: string;
}

/** The group a section is listed under on the admin home page (Django's app). */
export interface AdminApp {
  /** The group's id, unique on the page, e.g. `auth`. */
  readonly label: string;
  /** Its heading, e.g. "Authentication and authorization". */
  readonly name: string;
}

/**
 * An admin section: one kind of object the admin manages. The engine lists it on the home page,
 * links its log entries to `<root><slug>/<id>/change/`, and lets it add its routes under `<root>`.
 */
export interface AdminSection {
  /** The section's URL segment under the admin root, e.g. `products`. */
  readonly slug: string;
  /** Its name on the home page, e.g. "Products". */
  readonly name: string;
  /** The content type its log entries carry, e.g. `product`. */
  readonly contentType: string;
  /** The home page group it is listed in; sections of the same `label` share one. */
  readonly app: AdminApp;
  /**
   * Adds the section's routes to `scope` (the admin's own plugin, under the root, behind the
   * staff guard), with paths starting `/<slug>/`.
   */
  register(scope: FastifyInstance, context: AdminContext): void;
}

/** The URLs of a section's pages. */
export interface SectionUrls {
  /** The change list, e.g. `/admin/products/`. */
  readonly list: string;
  readonly add: string;
  readonly change: (id: number | string) => string;
  readonly delete: (id: number | string) => string;
}

/** The URLs of the section `slug` of the admin at `root`. */
export function sectionUrls(root: string, slug: string): SectionUrls {
  const list = `${root}${slug}/`;
  return {
    list,
    add: `${list}add/`,
    change: (id) => `${list}${encodeURIComponent(id)}/change/`,
    delete: (id) => `${list}${encodeURIComponent(id)}/delete/`,
  };
}
