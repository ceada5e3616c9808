// The browsable API's forms, built from OPTIONS' field metadata (DRF's HTMLFormRenderer, simplified).
import type { FastifyRequest } from 'fastify';
import { requestData } from '../http/body-parsers.js';

/** One input of the HTML form. */
export interface FormField {
  readonly name: string;
  readonly label: string;
  /** A textarea for unbounded text, else an input. */
  readonly control: 'input' | 'textarea';
  readonly type: 'text' | 'number' | 'email' | 'checkbox';
  /** A checkbox's state (DRF renders BooleanField as one; unticked, a form sends nothing: false). */
  readonly checked: boolean;
  readonly inputMode: 'text' | 'decimal' | 'numeric';
  readonly value: string;
  readonly required: boolean;
  readonly maxLength: number | null;
  readonly min: number | null;
  readonly max: number | null;
  /** Validation messages from the last submission. */
  readonly errors: readonly string[];
}

/** The HTML form of a view: POST on a list, PUT on an instance. */
export interface HtmlForm {
  readonly method: 'POST' | 'PUT';
  readonly fields: readonly FieldGroup[];
  readonly nonFieldErrors: readonly string[];
}

/** A field with the id its label points at. */
export interface FieldGroup extends FormField {
  readonly id: string;
}

/** The raw-content form: a media type and a body, sent with one of `methods`. */
export interface RawForm {
  readonly methods: readonly string[];
  readonly mediaTypes: readonly string[];
  readonly content: string;
}

type Metadata = Readonly<Record<string, unknown>>;
type Values = Readonly<Record<string, unknown>>;

const RAW_MEDIA_TYPES = ['application/json', 'application/x-www-form-urlencoded'];

function asRecord(value: unknown): Values | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Values) : null;
}

function numberOrNull(value: unknown): number | null {
  return typeof value === 'number' ? value : null;
}

/** Field errors of a 400 body (`{"price": ["A valid number is required."]}`), or null. */
function fieldErrors(status: number, data: unknown): Readonly<Record<string, readonly string[]>> | null {
  const record = status === 400 ? asRecord(data) : null;
  if (record === null) return null;
  const errors: Record<string, string[]> = {};
  for (const [key, value] of Object.entries(record)) {
    if (Array.isArray(value)) errors[key] = value.map(String);
  }
  return errors;
}

function display(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The writable fields' metadata, in field order. */
function writable(metadata: Metadata): [string, Values][] {
  return Object.entries(metadata)
    .map(([name, info]) => [name, asRecord(info) ?? {}] as [string, Values])
    .filter(([, info]) => info.read_only !== true);
}

const INPUT_TYPES: Readonly<Record<string, FormField['type']>> = {
  integer: 'number',
  field: 'number',
  email: 'email',
};

function toField(name: string, info: Values, value: unknown, errors: readonly string[]): FieldGroup {
  const type = typeof info.type === 'string' ? info.type : 'string';
  const maxLength = numberOrNull(info.max_length);
  const checkbox = type === 'boolean';
  return {
    id: `field-${name}`,
    name,
    label: typeof info.label === 'string' ? info.label : name,
    control: type === 'string' && maxLength === null ? 'textarea' : 'input',
    // A related object's primary key (SimpleMetadata's `field`) is typed as a number.
    type: checkbox ? 'checkbox' : (INPUT_TYPES[type] ?? 'text'),
    inputMode: type === 'integer' || type === 'field' ? 'numeric' : type === 'decimal' ? 'decimal' : 'text',
    value: checkbox ? 'on' : display(value),
    checked: checkbox && (value === true || value === 'true' || value === 'on'),
    // An unticked box is a valid false: never required.
    required: info.required === true && !checkbox,
    maxLength,
    min: numberOrNull(info.min_value),
    max: numberOrNull(info.max_value),
    errors,
  };
}

/** Whether this response answers a submission of the form (its values and errors are shown again). */
function answersForm(request: FastifyRequest, method: string, status: number): boolean {
  return status === 400 && (request.method === method || (method === 'PUT' && request.method === 'PATCH'));
}

/** What a form starts from: the submission that failed, else the object shown, else nothing. */
function initialValues(request: FastifyRequest, method: string, status: number, data: unknown): Values {
  if (answersForm(request, method, status)) return asRecord(requestData(request)) ?? {};
  if (status < 300 && method === 'PUT') return asRecord(data) ?? {};
  return {};
}

/** The forms a page shows, given the view's OPTIONS actions for this user and the response. */
export function buildForms(
  request: FastifyRequest,
  actions: Readonly<Record<string, unknown>> | undefined,
  status: number,
  data: unknown,
): { readonly html: HtmlForm | null; readonly raw: RawForm | null } {
  // Forms belong on pages about something that exists: a success, or a submission to correct.
  if (actions === undefined || !(status < 300 || status === 400)) return { html: null, raw: null };
  const method = actions.POST !== undefined ? 'POST' : actions.PUT !== undefined ? 'PUT' : null;
  if (method === null) return { html: null, raw: null };
  const metadata = writable(asRecord(actions[method]) ?? {});
  const errors = answersForm(request, method, status) ? fieldErrors(status, data) : null;
  const values = initialValues(request, method, status, data);
  const fields = metadata.map(([name, info]) => toField(name, info, values[name], errors?.[name] ?? []));
  // DRF's raw data form starts from the same values: "" for text, null for the rest.
  const content = Object.fromEntries(
    metadata.map(([name, info]) => [name, values[name] ?? (info.type === 'string' ? '' : null)]),
  );
  return {
    html: { method, fields, nonFieldErrors: errors?.non_field_errors ?? [] },
    raw: {
      methods: method === 'POST' ? ['POST'] : ['PUT', 'PATCH'],
      mediaTypes: RAW_MEDIA_TYPES,
      content: JSON.stringify(content, null, 4),
    },
  };
}
