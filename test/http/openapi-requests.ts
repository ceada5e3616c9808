// Test support for the property-based run: sending a generated request to the live API, and
// checking its answer against what the OpenAPI document says of the operation.
import assert from 'node:assert/strict';
import type { SchemaArbitraries } from './openapi-arbitraries.js';
import { object, type DocumentedOperation } from './openapi-support.js';

/** An Accept header nothing satisfies (406). */
export const UNACCEPTABLE = 'application/xml';

/** A username whose failed logins from this address reached the limit in the set-up. */
export const THROTTLED_USERNAME = 'throttled-user';

/** The credentials a request carries. */
export type Auth =
  | 'token'
  | 'none'
  | 'unknown-token'
  | 'malformed-token'
  | 'basic'
  | 'basic-throttled'
  | 'session'
  | 'session-csrf';

/** What a request body is, relative to the documented schema. */
export type BodyKind = 'valid' | 'mutated' | 'junk' | 'wrong-media-type' | 'too-large';

/** A request body, before it is encoded. */
export interface CaseBody {
  readonly kind: BodyKind;
  readonly mediaType: string;
  readonly value: unknown;
  /** Whether `value` is valid under the documented schema (ajv's verdict). */
  readonly valid: boolean;
}

/** One generated request, before it is sent. */
export interface Case {
  readonly auth: Auth;
  readonly accept: string | undefined;
  /** Path parameter values: 'existing' (a product made for the request) or a raw path segment. */
  readonly params: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string | undefined>>;
  readonly body?: CaseBody;
  /**
   * For the token endpoints: the generated credentials, the real user's (which log in), or a
   * username that has used up its failures from this address (its login is not even checked).
   */
  readonly credentials: 'generated' | 'real' | 'throttled';
}

/** The running server and the credentials of its one user. */
export interface LiveApi {
  readonly base: string;
  readonly key: string;
  readonly username: string;
  readonly password: string;
  /** The Cookie header of a browser logged in as the user, and the CSRF token of its pages. */
  readonly sessionCookie: string;
  readonly csrfToken: string;
}

/** What a request got back, and a line saying what it was (for failure messages). */
export interface Exchange {
  readonly response: Response;
  readonly text: string;
  readonly sent: string;
}

/** A form or multipart value, as a browser would send it. */
function formValue(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** A fresh product, made with the token, for a request on an existing object. */
async function existingProduct(api: LiveApi): Promise<number> {
  const response = await fetch(`${api.base}/product_api/`, {
    method: 'POST',
    headers: { authorization: `Token ${api.key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Property', description: 'Made for one request.', price: '1.00', stock: 1 }),
  });
  assert.equal(response.status, 201, await response.clone().text());
  return ((await response.json()) as { id: number }).id;
}

/** The credential headers of a case. */
function authHeaders(api: LiveApi, auth: Auth): Record<string, string> {
  switch (auth) {
    case 'token':
      return { authorization: `Token ${api.key}` };
    case 'unknown-token':
      return { authorization: 'Token 0123456789abcdef0123456789abcdef01234567' };
    case 'malformed-token':
      return { authorization: 'Token a b' };
    case 'basic':
      // Not the user's own name: its failures would soon keep the user from logging in at all.
      return { authorization: `Basic ${Buffer.from('nobody:wrong').toString('base64')}` };
    case 'basic-throttled':
      // Basic checks a password: the same login limits apply, and this username is past them.
      return { authorization: `Basic ${Buffer.from(`${THROTTLED_USERNAME}:wrong`).toString('base64')}` };
    case 'session':
      // A logged-in browser's cookies, without the CSRF token its pages would send.
      return { cookie: api.sessionCookie };
    case 'session-csrf':
      return { cookie: api.sessionCookie, 'x-csrftoken': api.csrfToken };
    default:
      return {};
  }
}

/** The request's URL path, with 'existing' path parameters replaced by a fresh product's id. */
async function pathOf(api: LiveApi, op: DocumentedOperation, params: Case['params']): Promise<string> {
  let path = op.path;
  for (const [name, value] of Object.entries(params)) {
    const segment = value === 'existing' ? String(await existingProduct(api)) : value;
    path = path.replace(`{${name}}`, segment);
  }
  return path;
}

/** The body's bytes (or form) and Content-Type, as a client would send it. */
function encodeBody(body: NonNullable<Case['body']>): {
  headers: Record<string, string>;
  payload?: RequestInit['body'];
} {
  if (body.kind === 'too-large') {
    // Past the 1 MiB limit, in the media type's own shape.
    const big = 'x'.repeat(1024 * 1024 + 1);
    return {
      headers: {
        'content-type': body.mediaType.startsWith('multipart')
          ? 'multipart/form-data; boundary=b'
          : body.mediaType,
      },
      payload: big,
    };
  }
  if (body.kind === 'junk' || body.kind === 'wrong-media-type') {
    return { headers: { 'content-type': body.mediaType }, payload: String(body.value) };
  }
  const value = body.value as Record<string, unknown>;
  if (body.mediaType === 'application/json') {
    return { headers: { 'content-type': 'application/json' }, payload: JSON.stringify(value) };
  }
  if (body.mediaType === 'application/x-www-form-urlencoded') {
    const form = new URLSearchParams();
    for (const [name, field] of Object.entries(value)) form.append(name, formValue(field));
    return { headers: { 'content-type': body.mediaType }, payload: form.toString() };
  }
  const form = new FormData();
  for (const [name, field] of Object.entries(value)) form.append(name, formValue(field));
  // fetch writes the multipart body and its Content-Type with the boundary.
  return { headers: {}, payload: form };
}

/** Sends one case; returns what came back and what was sent (for the failure message). */
export async function send(api: LiveApi, op: DocumentedOperation, testCase: Case): Promise<Exchange> {
  const path = await pathOf(api, op, testCase.params);
  const search = new URLSearchParams(
    Object.entries(testCase.query).filter((e): e is [string, string] => e[1] !== undefined),
  ).toString();
  const url = `${api.base}${path}${search === '' ? '' : `?${search}`}`;
  const headers: Record<string, string> = {};
  Object.assign(headers, authHeaders(api, testCase.auth));
  if (testCase.accept !== undefined) headers.accept = testCase.accept;
  let payload: RequestInit['body'] | undefined;
  let body = testCase.body;
  if (body?.kind === 'valid' && op.path.endsWith('token/') && testCase.credentials !== 'generated') {
    const login = testCase.credentials === 'real' ? api.username : THROTTLED_USERNAME;
    body = { ...body, value: { username: login, password: api.password } };
  }
  if (body !== undefined) {
    const encoded = encodeBody(body);
    Object.assign(headers, encoded.headers);
    payload = encoded.payload;
  }
  const response = await fetch(url, {
    method: op.method.toUpperCase(),
    headers,
    body: payload,
    redirect: 'manual',
  });
  const text = await response.text();
  const sent = `${op.method.toUpperCase()} ${path}${search === '' ? '' : `?${search}`} ${JSON.stringify(headers)} ${
    body === undefined ? '' : `${body.kind} ${JSON.stringify(body.value)?.slice(0, 300)}`
  }`;
  return { response, text, sent };
}

/** Checks one answer against the operation's documented responses. */
export function checkAnswer(
  schemas: SchemaArbitraries,
  op: DocumentedOperation,
  { response, text, sent }: Exchange,
): void {
  const where = `${sent}\n  -> ${response.status} ${response.headers.get('content-type')} ${text.slice(0, 300)}`;
  assert.ok(response.status < 500, `a server error: ${where}`);
  const responses = object(op.operation.responses, 'responses');
  const documented = responses[String(response.status)];
  assert.ok(documented !== undefined, `status ${response.status} is not documented: ${where}`);
  const answer = object(documented, 'response');
  if (answer.content === undefined) {
    assert.equal(text, '', `no body is documented: ${where}`);
  } else {
    const content = object(answer.content, 'content');
    const mediaType = (response.headers.get('content-type') ?? '').split(';')[0]!.trim();
    assert.ok(mediaType in content, `content type ${mediaType} is not documented: ${where}`);
    const schema = object(object(content[mediaType], mediaType).schema, 'schema');
    const validate = schemas.validator(schema);
    assert.ok(
      validate(JSON.parse(text)),
      `the body breaks its schema (${JSON.stringify(validate.errors)}): ${where}`,
    );
  }
  for (const [name, header] of Object.entries(object(answer.headers ?? {}, 'headers'))) {
    const spec = object(header, name);
    const value = response.headers.get(name);
    if (spec.required === true) assert.ok(value !== null, `header ${name} is missing: ${where}`);
    if (value === null) continue;
    const schema = object(spec.schema, `${name} schema`);
    const typed = schema.type === 'integer' ? Number(value) : value;
    assert.ok(schemas.isValid(schema, typed), `header ${name}: ${value} breaks its schema: ${where}`);
  }
}
