// Who may manage or delete whom in the admin (Django's rules), and the refusals' messages.
import type { User } from '../users/user.js';

/** The refusal of a self-deletion. */
export const SELF_DELETE = 'You cannot delete your own account.';
/** The refusal of anything done to a superuser by a staff user who is not one. */
export const SUPERUSER_ONLY = 'Only a superuser can change or delete a superuser’s account.';

/** Django's rule: a staff user who is not a superuser cannot touch a superuser's account. */
export function mayManage(actor: User, target: { readonly isSuperuser: boolean }): boolean {
  return actor.isSuperuser || !target.isSuperuser;
}
