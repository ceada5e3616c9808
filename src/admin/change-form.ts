// The model of `admin/change-form.eta` (Django's admin form: fields, errors beside each field,
// Save / Save and continue editing / Save and add another) and where each button goes afterwards.
import type { FastifyReply } from 'fastify';
import type { FieldErrors } from '../errors.js';
import { redirectTo } from './admin-page.js';
import { flash } from './flash.js';

/** How a field is shown. */
export type FieldKind = 'text' | 'email' | 'password' | 'textarea' | 'checkbox' | 'number';

/** One form field as the template shows it. */
export interface FormField {
  readonly name: string;
  readonly label: string;
  readonly kind: FieldKind;
  readonly value?: string;
  readonly checked?: boolean;
  readonly help?: string;
  readonly required?: boolean;
  readonly autocomplete?: string;
  readonly maxlength?: number;
  /** Extra attributes the browser checks (inputmode, step); the server validates regardless. */
  readonly inputmode?: string;
  /** Shown but not editable (and not read back: e.g. staff flags for a non-superuser). */
  readonly disabled?: boolean;
  readonly errors?: readonly string[];
}

/** The whole form page. */
export interface FormModel {
  readonly action: string;
  readonly fields: readonly FormField[];
  readonly nonFieldErrors: readonly string[];
  /** Links shown above the form (e.g. "change password", "history"). */
  readonly links?: readonly { readonly label: string; readonly href: string }[];
  /** The delete page's URL, on change forms. */
  readonly deleteHref?: string | null;
  /** Whether "Save and add another" / "Save and continue editing" are offered. */
  readonly moreButtons?: boolean;
  readonly submitLabel?: string;
}

/** `fields` with each one's errors and the values sent back, after a failed save. */
export function withErrors(fields: readonly FormField[], errors: FieldErrors): FormField[] {
  return fields.map((f) => (errors[f.name] === undefined ? f : { ...f, errors: errors[f.name] }));
}

/** The errors that belong to no field of the form. */
export function nonFieldErrors(fields: readonly FormField[], errors: FieldErrors): string[] {
  const names = new Set(fields.map((f) => f.name));
  return Object.entries(errors)
    .filter(([name]) => !names.has(name))
    .flatMap(([, messages]) => messages);
}

/** Where a successful save goes: Django's three buttons, with its messages. */
export function afterSave(
  reply: FastifyReply,
  data: Readonly<Record<string, unknown>>,
  urls: { readonly list: string; readonly change: string; readonly add: string },
  message: string,
): FastifyReply {
  if (data._continue !== undefined) {
    flash(reply, { level: 'success', text: `${message} You may edit it again below.` });
    return redirectTo(reply, urls.change);
  }
  if (data._addanother !== undefined) {
    flash(reply, { level: 'success', text: `${message} You may add another below.` });
    return redirectTo(reply, urls.add);
  }
  flash(reply, { level: 'success', text: message });
  return redirectTo(reply, urls.list);
}
