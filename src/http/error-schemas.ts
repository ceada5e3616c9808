// The bodies of keygate's error answers (src/errors.ts) as TypeBox schemas, for the OpenAPI document.
import { Type, type TSchema } from 'typebox';

/**
 * DRF's `{"detail": "..."}`: the body of every DetailError (401, 403, 404, 405, 406, 413, 415,
 * 429, 503), of a malformed body's 400 (ParseError) and of the 500 that reveals nothing.
 */
export const ErrorSchema = Type.Object(
  { detail: Type.String({ examples: ['Authentication credentials were not provided.'] }) },
  {
    $id: 'Error',
    description: "Django REST framework's error body: one message under `detail`.",
    additionalProperties: false,
  },
);

/** The key of the messages about the input as a whole (DRF's `NON_FIELD_ERRORS_KEY`). */
export const NON_FIELD_ERRORS = 'non_field_errors';

const MESSAGES = Type.Array(Type.String(), { minItems: 1 });

/**
 * The body of a ValidationError (FieldErrors) for an input with `fields`: messages per field, in
 * field order, and under `non_field_errors` those about the input as a whole (not an object, no
 * data, wrong credentials). Only the fields that failed are present; no other key ever is.
 */
export function validationErrorSchema($id: string, fields: readonly string[]): TSchema {
  const properties = Object.fromEntries(
    [...fields, NON_FIELD_ERRORS].map((field) => [field, Type.Optional(MESSAGES)]),
  );
  return Type.Object(properties, {
    $id,
    description: `Input refused: the messages for each field that failed, and under \`${NON_FIELD_ERRORS}\` those about the input as a whole.`,
    additionalProperties: false,
    minProperties: 1,
  });
}
