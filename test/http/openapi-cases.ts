// Test support for the property-based run: the requests generated for an operation of the
// OpenAPI document (from its parameters and body schema), the examples run first, and when the
// document promises success.
import fc from 'fast-check';
import type { SchemaArbitraries } from './openapi-arbitraries.js';
import { UNACCEPTABLE, type Auth, type BodyKind, type Case, type CaseBody } from './openapi-requests.js';
import { object, type DocumentedOperation, type Json } from './openapi-support.js';

/** Accept headers a client of this JSON document sends. */
const ACCEPTS = [undefined, 'application/json', '*/*', 'application/json; indent=4', 'application/*'];

const MALFORMED_JSON = ['{', '{"name": }', '{"a" 1}', '[1, 2', 'nul', '{"a": NaN}', ' ', '{"a": "\u0001"}'];
/** Path segments that name no object, or are no id at all (Django's int() refuses them). */
const BAD_IDS = ['0', '-1', '1.5', 'abc', '%ff', '2147483648', '99999999999999999999', '1_', '+-1', '%20'];

/** The generator of requests for one operation, from its parameters and body schema. */
export function casesFor(schemas: SchemaArbitraries, op: DocumentedOperation): fc.Arbitrary<Case> {
  const parameters = (op.operation.parameters as Json[] | undefined) ?? [];
  const pathParams = parameters.filter((p) => p.in === 'path');
  const queryParams = parameters.filter((p) => p.in === 'query');
  const params = fc.record(
    Object.fromEntries(
      pathParams.map((p) => {
        const schema = object(p.schema, String(p.name));
        return [
          String(p.name),
          fc.oneof(
            { weight: 5, arbitrary: fc.constant('existing') },
            { weight: 2, arbitrary: schemas.valid(schema).map(String) },
            { weight: 2, arbitrary: fc.constantFrom(...BAD_IDS) },
            { weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z0-9_-]{1,12}$/) },
          ),
        ];
      }),
    ),
  );
  const query = fc.record(
    Object.fromEntries(
      queryParams.map((p) => {
        const schema = object(p.schema, String(p.name));
        return [
          String(p.name),
          fc.oneof(
            schemas.valid(schema).map(String),
            fc.string({ maxLength: 6 }),
            fc.constantFrom('0', '-5', '1e2'),
          ),
        ];
      }),
    ),
    { requiredKeys: [] },
  );
  const requestBody = op.operation.requestBody as Json | undefined;
  const content = requestBody === undefined ? {} : object(requestBody.content, 'content');
  const mediaTypes = Object.keys(content);
  const body: fc.Arbitrary<CaseBody | undefined> =
    mediaTypes.length === 0
      ? fc.constant(undefined)
      : bodies(schemas, mediaTypes, object(object(content[mediaTypes[0]!], 'media').schema, 'schema'));
  return fc.record({
    auth: fc.constantFrom<Auth>(
      'token',
      'token',
      'token',
      'none',
      'unknown-token',
      'malformed-token',
      'basic',
      'basic-throttled',
      'session',
      'session-csrf',
    ),
    accept: fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom(...ACCEPTS) },
      { weight: 1, arbitrary: fc.constant(UNACCEPTABLE) },
    ),
    params,
    query,
    body,
    credentials: fc.constantFrom('generated', 'generated', 'real'),
  });
}

/** Bodies for an operation: valid ones, valid ones with one field spoiled, junk, 415s and 413s. */
function bodies(schemas: SchemaArbitraries, mediaTypes: string[], schema: Json): fc.Arbitrary<CaseBody> {
  const valid = schemas.valid(schema) as fc.Arbitrary<Record<string, unknown>>;
  const fields = schemas.properties(schema).map(([name]) => name);
  const mutated = valid.chain((value) =>
    fc.oneof(
      // One field given a value its schema refuses.
      fc
        .constantFrom(...fields)
        .chain((name) =>
          schemas
            .invalid(schemas.properties(schema).find(([field]) => field === name)![1])
            .map((bad) => ({ ...value, [name]: bad })),
        ),
      // A required field left out.
      fc
        .constantFrom(...(schemas.required(schema).length > 0 ? schemas.required(schema) : fields))
        .map((name) => {
          const { [name]: _gone, ...rest } = value;
          return rest;
        }),
    ),
  );
  const mediaType = fc.constantFrom(...mediaTypes);
  const judged = (kind: BodyKind) => (value: unknown, type: string) => ({
    kind,
    mediaType: type,
    value,
    valid: schemas.isValid(schema, value),
  });
  return fc.oneof(
    { weight: 4, arbitrary: fc.tuple(valid, mediaType).map(([v, t]) => judged('valid')(v, t)) },
    { weight: 4, arbitrary: fc.tuple(mutated, mediaType).map(([v, t]) => judged('mutated')(v, t)) },
    {
      weight: 2,
      arbitrary: fc
        .oneof(
          fc.constantFrom(...MALFORMED_JSON),
          fc.constantFrom('[]', 'null', '"text"', '42', '[{"name": "x"}]', ''),
        )
        .map((text) => ({
          kind: 'junk' as const,
          mediaType: 'application/json',
          value: text,
          valid: false,
        })),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom('text/plain', 'application/xml', 'application/octet-stream').map((type) => ({
        kind: 'wrong-media-type' as const,
        mediaType: type,
        value: 'name=x',
        valid: false,
      })),
    },
    {
      weight: 1,
      arbitrary: mediaType.map((type) => ({
        kind: 'too-large' as const,
        mediaType: type,
        value: null,
        valid: false,
      })),
    },
  );
}

/**
 * Whether the document promises success for this case: an acceptable Accept, working
 * credentials where the operation names any, an existing object, and a body (in a documented
 * media type) that its schema accepts. (A Basic header is DRF's default authentication on the
 * views that name no credentials: a wrong one may be refused there.)
 */
export function promisesSuccess(op: DocumentedOperation, testCase: Case): boolean {
  if (testCase.accept === UNACCEPTABLE) return false;
  const unsafe = op.method !== 'get';
  const security = (op.operation.security as unknown[] | undefined) ?? [];
  const { auth } = testCase;
  if (security.length > 0) {
    if (!(auth === 'token' || auth === 'session-csrf' || (auth === 'session' && !unsafe))) return false;
  } else if (auth === 'basic' || auth === 'basic-throttled' || (auth === 'session' && unsafe)) {
    // DRF's default authentication (Session, then Basic), where the app has it, refuses these.
    return false;
  }
  if (Object.values(testCase.params).some((value) => value !== 'existing')) return false;
  if (testCase.body !== undefined && !(testCase.body.valid && testCase.body.kind === 'valid')) return false;
  // Credentials must also log somebody in: only the real ones do.
  if (op.path.endsWith('token/') && testCase.credentials !== 'real') return false;
  return true;
}

/**
 * Requests run before the generated ones, so that every documented status is reached whatever
 * the seed: a success, then one request for each way of being refused.
 */
export function examplesFor(schemas: SchemaArbitraries, op: DocumentedOperation, seed: number): Case[] {
  const parameters = (op.operation.parameters as Json[] | undefined) ?? [];
  const pathNames = parameters.filter((p) => p.in === 'path').map((p) => String(p.name));
  const requestBody = op.operation.requestBody as Json | undefined;
  const valid: Case = {
    auth: 'token',
    accept: undefined,
    params: Object.fromEntries(pathNames.map((name) => [name, 'existing'])),
    query: {},
    credentials: 'real',
  };
  if (requestBody === undefined) {
    const cases = [valid, { ...valid, accept: UNACCEPTABLE }, { ...valid, auth: 'none' as const }];
    cases.push(
      { ...valid, auth: 'basic' },
      { ...valid, auth: 'basic-throttled' },
      { ...valid, auth: 'session' },
    );
    if (pathNames.length > 0) cases.push({ ...valid, params: { [pathNames[0]!]: 'abc' } });
    return cases;
  }
  const [mediaType, media] = Object.entries(object(requestBody.content, 'content'))[0]!;
  const schema = object(object(media, mediaType).schema, 'schema');
  const value = fc.sample(schemas.valid(schema), { numRuns: 1, seed })[0];
  const body = (kind: BodyKind, type: string, content: unknown) => ({
    kind,
    mediaType: type,
    value: content,
    valid: kind === 'valid' && schemas.isValid(schema, content),
  });
  const withBody = { ...valid, body: body('valid', mediaType, value) };
  const firstField = schemas.properties(schema)[0]![0];
  const cases: Case[] = [
    withBody,
    { ...withBody, accept: UNACCEPTABLE },
    { ...withBody, auth: 'none' },
    { ...withBody, auth: 'basic' },
    { ...withBody, auth: 'basic-throttled' },
    { ...withBody, auth: 'session' },
    { ...withBody, body: body('mutated', mediaType, { ...(value as object), [firstField]: null }) },
    { ...withBody, body: body('junk', 'application/json', '{') },
    { ...withBody, body: body('wrong-media-type', 'text/plain', 'name=x') },
    { ...withBody, body: body('too-large', mediaType, null) },
  ];
  if (pathNames.length > 0) cases.push({ ...withBody, params: { [pathNames[0]!]: 'abc' } });
  if (op.path.endsWith('token/')) cases.push({ ...withBody, credentials: 'throttled' });
  return cases;
}

/** The success status an operation documents (its one 2xx). */
export function successOf(op: DocumentedOperation): number {
  return Number(
    Object.keys(object(op.operation.responses, 'responses')).find((status) => status.startsWith('2')),
  );
}
