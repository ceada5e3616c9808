// The operations of the OpenAPI document, one by one: DRF's operationIds, every status each one
// can send with its body and headers, credentials, request bodies (the TypeBox schemas the code
// uses), the PATCH schema and the field-error maps. test/http/openapi-properties.test.ts checks
// the same document against the live API.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import {
  AuthenticationFailed,
  CsrfFailed,
  MethodNotAllowed,
  NotAcceptable,
  NotAuthenticated,
  NotFound,
  ParseError,
  PermissionDenied,
  RequestTooLarge,
  ServiceUnavailable,
  Throttled,
  UnsupportedMediaType,
  ValidationError,
  type FieldErrors,
} from '../../src/errors.js';
import { ErrorSchema, validationErrorSchema } from '../../src/http/error-schemas.js';
import { ProductInputSchema } from '../../src/products/product-schemas.js';
import { describeEachDialect } from '../helpers.js';
import { object, operationsOf, type Json } from './openapi-support.js';

/** Products: Token authentication first (so 401 + WWW-Authenticate: Token), or a logged-in session. */
const PROTECTED = [{ TokenAuth: [] }, { SessionAuth: [] }];
/** The token endpoints: documented whenever they are registered. */
const TOKEN_ENDPOINTS = ['/gettoken/', '/customtoken/'] as const;

/** DRF's AutoSchema names (get_operation_id) for the products; the views' names for the others. */
const OPERATION_IDS: Record<string, string> = {
  'get /product_api/': 'listProducts',
  'post /product_api/': 'createProduct',
  'get /product_api/{pk}/': 'retrieveProduct',
  'put /product_api/{pk}/': 'updateProduct',
  'patch /product_api/{pk}/': 'partialUpdateProduct',
  'delete /product_api/{pk}/': 'destroyProduct',
  'get /': 'apiRoot',
  'post /gettoken/': 'obtainAuthToken',
  'post /customtoken/': 'customAuthToken',
};

/**
 * Every status each operation can answer with (keygate's pipeline and handlers): 401 from Token
 * authentication, 403 from the CSRF check of session-authenticated writes and from a wrong Basic
 * header where DRF's default authentication (Session, then Basic) runs, 404 for an id that names
 * nothing, 406 from negotiation, 400/413/415 from body parsing, 429 from the login limits (a Basic
 * header checks a password too), 503 while the database is unreachable. 405 is not among them: a
 * documented operation's method is always allowed.
 */
const STATUSES: Record<string, readonly number[]> = {
  'get /product_api/': [200, 401, 406, 503],
  'post /product_api/': [201, 400, 401, 403, 406, 413, 415, 503],
  'get /product_api/{pk}/': [200, 401, 404, 406, 503],
  'put /product_api/{pk}/': [200, 400, 401, 403, 404, 406, 413, 415, 503],
  'patch /product_api/{pk}/': [200, 400, 401, 403, 404, 406, 413, 415, 503],
  'delete /product_api/{pk}/': [204, 401, 403, 404, 406, 503],
  'get /': [200, 403, 406, 429, 503],
  'post /gettoken/': [200, 400, 403, 406, 413, 415, 429, 503],
  'post /customtoken/': [200, 400, 403, 406, 413, 415, 429, 503],
};

describeEachDialect('OpenAPI operations', (ctx) => {
  let document: Json;
  let paths: Json;

  before(async () => {
    const response = await ctx().app.inject({ method: 'GET', url: '/openapi.json' });
    assert.equal(response.statusCode, 200);
    document = object(JSON.parse(response.body), 'the document');
    paths = object(document.paths, 'paths');
  });

  /** The request body's media types of an operation, with their schemas. */
  const requestContent = (path: string, method: string): Json =>
    object(
      object(object(object(paths[path], path)[method], method).requestBody, 'requestBody').content,
      'content',
    );

  it("gives every operation DRF's stable operationId, all unique", () => {
    const ids = Object.fromEntries(
      operationsOf(document).map(({ path, method, operation }) => [
        `${method} ${path}`,
        operation.operationId,
      ]),
    );
    const expected = Object.fromEntries(
      Object.entries(OPERATION_IDS).filter(([key]) => key in ids || !/(gettoken|customtoken)/.test(key)),
    );
    assert.deepEqual(ids, expected);
    assert.equal(new Set(Object.values(ids)).size, Object.values(ids).length);
  });

  it('lists every status each operation can send, each with a description', () => {
    for (const { path, method, operation } of operationsOf(document)) {
      const key = `${method} ${path}`;
      const responses = object(operation.responses, `${key} responses`);
      assert.deepEqual(Object.keys(responses).map(Number), STATUSES[key], key);
      for (const [status, response] of Object.entries(responses)) {
        assert.ok(String(object(response, `${key} ${status}`).description).length > 0, `${key} ${status}`);
      }
    }
  });

  it('documents JSON bodies only (the browsable API is for browsers), none for a 204', () => {
    for (const { path, method, operation } of operationsOf(document)) {
      for (const [status, response] of Object.entries(object(operation.responses, 'responses'))) {
        const content = object(response, status).content;
        if (status === '204') assert.equal(content, undefined);
        else
          assert.deepEqual(Object.keys(object(content, `${method} ${path} ${status}`)), ['application/json']);
      }
    }
  });

  it('documents WWW-Authenticate on the 401s and Retry-After on the 429s and 503s, always sent', () => {
    const header = (operation: Json, status: string, name: string): Json =>
      object(
        object(object(object(operation.responses, 'responses')[status], status).headers, 'headers')[name],
        name,
      );
    for (const { operation } of operationsOf(document)) {
      const responses = object(operation.responses, 'responses');
      if ('401' in responses) {
        assert.deepEqual(header(operation, '401', 'WWW-Authenticate'), {
          schema: { type: 'string', const: 'Token' },
          description: 'The scheme to authenticate with.',
          required: true,
        });
      }
      if ('429' in responses) assert.equal(header(operation, '429', 'Retry-After').required, true);
      if ('503' in responses)
        assert.deepEqual(object(header(operation, '503', 'Retry-After').schema, 'schema').const, 1);
    }
  });

  it("describes a 400 as the operation's field-error map or a parse error's detail", () => {
    const schemaOf = (path: string, method: string) =>
      object(
        object(
          object(
            object(object(object(paths[path], path)[method], method).responses, 'responses')['400'],
            '400',
          ).content,
          'content',
        )['application/json'],
        'json',
      ).schema;
    for (const method of ['put', 'patch']) {
      assert.deepEqual(schemaOf('/product_api/{pk}/', method), {
        oneOf: [
          { $ref: '#/components/schemas/ProductValidationError' },
          { $ref: '#/components/schemas/Error' },
        ],
      });
    }
    assert.deepEqual(schemaOf('/product_api/', 'post'), {
      oneOf: [
        { $ref: '#/components/schemas/ProductValidationError' },
        { $ref: '#/components/schemas/Error' },
      ],
    });
  });

  it('names Token (or a session) on the product operations, and no credentials on the others', () => {
    for (const path of ['/product_api/', '/product_api/{pk}/']) {
      for (const [method, operation] of Object.entries(object(paths[path], path))) {
        assert.deepEqual(object(operation, method).security, PROTECTED, `${method} ${path}`);
      }
    }
    assert.deepEqual(object(object(paths['/'], '/').get, 'GET /').security, []);
    for (const url of TOKEN_ENDPOINTS) {
      if (url in paths) assert.deepEqual(object(object(paths[url], url).post, url).security, []);
    }
    const schemes = object(object(document.components, 'components').securitySchemes, 'securitySchemes');
    assert.deepEqual(object(schemes.SessionAuth, 'SessionAuth'), {
      type: 'apiKey',
      in: 'cookie',
      name: 'sessionid',
      description: String(object(schemes.SessionAuth, 'SessionAuth').description),
    });
  });

  it('takes request bodies in every media type the views parse', () => {
    const mediaTypes = (path: string, method: string) =>
      Object.keys(
        object(
          object(object(object(paths[path], path)[method], method).requestBody, 'requestBody').content,
          'content',
        ),
      );
    const parsed = ['application/json', 'application/x-www-form-urlencoded', 'multipart/form-data'];
    assert.deepEqual(mediaTypes('/product_api/', 'post'), parsed);
    for (const method of ['put', 'patch']) assert.deepEqual(mediaTypes('/product_api/{pk}/', method), parsed);
  });

  it('writes request bodies out in full: the TypeBox schemas the code uses, in every media type', () => {
    // Not references: openapi-typescript would make a field with a default required (see openapi.ts).
    const { $id: _id, ...input } = JSON.parse(JSON.stringify(ProductInputSchema)) as Json;
    for (const [path, method] of [
      ['/product_api/', 'post'],
      ['/product_api/{pk}/', 'put'],
    ] as const) {
      for (const media of Object.values(requestContent(path, method))) {
        assert.deepEqual(object(media, 'media').schema, input, `${method} ${path}`);
      }
    }
  });

  it("describes PATCH's body as the input with nothing required and no defaults", () => {
    const input = object(
      object(requestContent('/product_api/', 'post')['application/json'], 'json').schema,
      'POST',
    );
    const patched = object(
      object(requestContent('/product_api/{pk}/', 'patch')['application/json'], 'json').schema,
      'PATCH',
    );
    assert.equal(patched.required, undefined);
    assert.deepEqual(
      Object.keys(object(patched.properties, 'properties')),
      Object.keys(object(input.properties, 'properties')),
    );
    for (const [name, property] of Object.entries(object(patched.properties, 'properties'))) {
      assert.ok(!('default' in object(property, name)), `${name} has no default on PATCH`);
    }
  });

  it("describes a field-error map with exactly the input's fields and non_field_errors", () => {
    const schemas = object(object(document.components, 'components').schemas, 'schemas');
    const errors = object(schemas.ProductValidationError, 'ProductValidationError');
    assert.deepEqual(Object.keys(object(errors.properties, 'properties')), [
      ...Object.keys(object(ProductInputSchema.properties, 'properties')),
      'non_field_errors',
    ]);
    assert.equal(errors.additionalProperties, false);
  });

  it("documents the detail lookup as the path parameter {pk}, an id in the id column's range", () => {
    const parameters = object(object(paths['/product_api/{pk}/'], 'detail').get, 'GET').parameters;
    assert.deepEqual(parameters, [
      {
        schema: { type: 'integer', minimum: 1, maximum: 2147483647 },
        in: 'path',
        name: 'pk',
        required: true,
        description: 'A unique integer value identifying this product.',
      },
    ]);
  });
});

it('the Error and field-error schemas describe the bodies every error class of src/errors.ts sends', () => {
  const ajv = new Ajv2020({ strict: true });
  const isError = ajv.compile(ErrorSchema);
  const isFieldErrors = ajv.compile(validationErrorSchema('Fields', ['name']));
  for (const error of [
    new NotAuthenticated(),
    new AuthenticationFailed('Invalid token.'),
    new PermissionDenied(),
    new CsrfFailed('CSRF token missing.'),
    new NotFound(),
    new MethodNotAllowed('PUT'),
    new NotAcceptable(),
    new UnsupportedMediaType('text/plain'),
    new ParseError('JSON parse error - Expecting value: line 1 column 1 (char 0)'),
    new RequestTooLarge(),
    new Throttled(5),
    new ServiceUnavailable(),
  ]) {
    assert.ok(isError(error.body), `${error.name}: ${JSON.stringify(isError.errors)}`);
  }
  // The headers documented with them: Retry-After is 1 on a 503 and whole seconds on a 429.
  assert.equal(new ServiceUnavailable().headers['retry-after'], '1');
  assert.equal(new Throttled(5).headers['retry-after'], '5');
  // The 500's body, written by the error handler.
  assert.ok(isError({ detail: 'A server error occurred.' }));
  const maps: FieldErrors[] = [
    { name: ['This field is required.'] },
    { non_field_errors: ['No data provided'] },
  ];
  for (const fields of maps) {
    assert.ok(isFieldErrors(new ValidationError(fields).body), JSON.stringify(fields));
  }
  assert.ok(!isFieldErrors({}), 'an empty map is never sent');
  assert.ok(!isFieldErrors({ other: ['x'] }), 'only the fields of the input');
});
