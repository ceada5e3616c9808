// Deleting from the admin: the confirmation page that lists what else goes, for one object (its
// delete page) and for the "delete selected" action of every list.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { NotFound } from '../errors.js';
import type { User } from '../users/user.js';
import {
  adminUser,
  fieldValues,
  field,
  formData,
  objectId,
  redirectTo,
  sendAdminPage,
  type Crumb,
} from './admin-page.js';
import { selectedIds } from './change-list.js';
import { flash } from './flash.js';

/** An object about to be deleted, with the related objects that go with it. */
export interface Doomed {
  readonly id: number;
  readonly label: string;
  readonly href: string;
  readonly related: readonly string[];
}

/** How a section deletes. */
export interface Deleter {
  /** Singular and plural nouns: "product", "products". */
  readonly noun: string;
  readonly plural: string;
  /** The list page. */
  readonly listPath: string;
  /**
   * The objects with these ids that exist, with what goes with them. Refuses (throws
   * PermissionDenied) to even list what `actor` may not delete, so the confirmation is never shown.
   */
  load(ids: readonly number[], actor: User): Promise<Doomed[]>;
  /**
   * Deletes them all in one transaction with a log entry each; returns how many went. Refuses
   * (throws PermissionDenied) what `actor` may not delete.
   */
  deleteAll(actor: User, doomed: readonly Doomed[]): Promise<number>;
}

/** Django's action names, the only action every list has. */
export const DELETE_SELECTED = 'delete_selected';

function plural(deleter: Deleter, n: number): string {
  return n === 1 ? deleter.noun : deleter.plural;
}

function confirmation(
  request: FastifyRequest,
  reply: FastifyReply,
  deleter: Deleter,
  doomed: readonly Doomed[],
  bulk: boolean,
  crumbs: readonly Crumb[],
): FastifyReply {
  const title = 'Are you sure?';
  return sendAdminPage(
    request,
    reply,
    'delete-confirmation',
    { title, breadcrumbs: [...crumbs, { label: bulk ? `Delete multiple ${deleter.plural}` : 'Delete' }] },
    {
      noun: deleter.noun,
      nouns: plural(deleter, doomed.length),
      doomed,
      bulk,
      action: bulk ? DELETE_SELECTED : null,
      formAction: request.url,
      cancelHref: bulk ? request.url : (doomed[0]?.href ?? deleter.listPath),
    },
  );
}

/** The list page's POST: the "delete selected" action, confirmed on a second page. */
export async function handleListAction(
  request: FastifyRequest,
  reply: FastifyReply,
  deleter: Deleter,
  crumbs: readonly Crumb[],
): Promise<FastifyReply> {
  const data = formData(request);
  if (field(data, 'action') !== DELETE_SELECTED) {
    flash(reply, { level: 'warning', text: 'No action selected.' });
    return redirectTo(reply, request.url);
  }
  // One object the actor may not delete refuses the whole action (403), before anything is deleted:
  // Django's delete_selected raises PermissionDenied when the deletion needs a permission they lack.
  const doomed = await deleter.load(selectedIds(fieldValues(data, '_selected_action')), adminUser(request));
  if (doomed.length === 0) {
    flash(reply, {
      level: 'warning',
      text: 'Items must be selected in order to perform actions on them. No items have been changed.',
    });
    return redirectTo(reply, request.url);
  }
  if (field(data, 'post') !== 'yes') return confirmation(request, reply, deleter, doomed, true, crumbs);
  const deleted = await deleter.deleteAll(adminUser(request), doomed);
  flash(reply, { level: 'success', text: `Successfully deleted ${deleted} ${plural(deleter, deleted)}.` });
  return redirectTo(reply, request.url);
}

/** An object's delete page: GET asks, POST deletes and returns to the list. */
export async function handleDeletePage(
  request: FastifyRequest,
  reply: FastifyReply,
  deleter: Deleter,
  id: number,
  crumbs: readonly Crumb[],
): Promise<FastifyReply | null> {
  const doomed = await deleter.load([id], adminUser(request));
  if (doomed.length === 0) return null;
  if (request.method !== 'POST') return confirmation(request, reply, deleter, doomed, false, crumbs);
  await deleter.deleteAll(adminUser(request), doomed);
  flash(reply, {
    level: 'success',
    text: `The ${deleter.noun} “${doomed[0]!.label}” was deleted successfully.`,
  });
  return redirectTo(reply, deleter.listPath);
}

/** Registers `/<section>/:id/delete/`, the delete page of one object; 404 when the id names nothing. */
export function registerDeletePage(
  admin: FastifyInstance,
  section: string,
  deleter: Deleter,
  crumbs: readonly Crumb[],
): void {
  admin.route({
    method: ['GET', 'HEAD', 'POST'],
    url: `/${section}/:id/delete/`,
    schema: { hide: true },
    async handler(request, reply) {
      const id = objectId((request.params as { id?: string }).id);
      const answered = id === null ? null : await handleDeletePage(request, reply, deleter, id, crumbs);
      if (answered === null) throw new NotFound();
      return answered;
    },
  });
}
