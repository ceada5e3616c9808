// One API-view operation in the OpenAPI document: what the view declares, plus every answer its
// pipeline (negotiation, authentication, parsing, the database) can give, as route schema.
import type { FastifySchema } from 'fastify';
import type { TSchema } from 'typebox';
import type { AccessPolicy } from '../../auth/access.js';
import {
  NotAcceptable,
  ParseError,
  RequestTooLarge,
  ServiceUnavailable,
  UnsupportedMediaType,
} from '../../errors.js';
import { ErrorSchema } from '../error-schemas.js';
import type { Renderer } from '../render.js';
import { accessDoc } from './access-doc.js';
import type { HeaderDoc, ResponseDoc } from './response-doc.js';

/** What a view declares about one of its operations; the rest is derived from the view itself. */
export interface OperationDoc {
  /** Stable and unique; see operation-id.ts for how views name theirs. */
  readonly operationId: string;
  readonly summary: string;
  readonly description?: string;
  readonly tags: readonly string[];
  /** Path parameters: an object schema with one property per parameter. */
  readonly params?: TSchema;
  /** Query parameters: an object schema with one property per parameter. */
  readonly query?: TSchema;
  /** The request body, accepted in every media type the view parses. */
  readonly body?: TSchema;
  /** The handler's own answers: its success, and the errors it raises itself (404, its 400, 429). */
  readonly responses: Readonly<Record<number, ResponseDoc>>;
  /** Whether the handler uses the database (a 503 while it cannot be reached). */
  readonly usesDatabase?: boolean;
}

/** The parts of a view that decide the answers its pipeline can give. */
export interface DocumentedView {
  readonly access: AccessPolicy;
  readonly parses: readonly string[];
  readonly renderers: readonly Renderer[];
}

const RETRY_AFTER_ONE: HeaderDoc = {
  description: 'Seconds to wait before trying again.',
  schema: { type: 'integer', const: 1 },
};

/** Every answer the pipeline of `view` can give to `method` (api-view.ts, body-parsers.ts, error-handler.ts). */
function pipelineResponses(
  view: DocumentedView,
  method: string,
  doc: OperationDoc,
): Record<number, ResponseDoc> {
  const access = accessDoc(view.access, method);
  const responses: Record<number, ResponseDoc> = { ...access.responses };
  if (doc.body !== undefined) {
    responses[400] = {
      description: 'A body that cannot be parsed (`JSON parse error - ...`).',
      schema: ErrorSchema,
      example: new ParseError("JSON parse error - Expecting ',' delimiter: line 1 column 17 (char 16)").body,
    };
    responses[413] = {
      description: 'A body larger than 1 MiB.',
      schema: ErrorSchema,
      example: new RequestTooLarge().body,
    };
    responses[415] = {
      description: `A body in a media type the operation does not parse (it parses ${view.parses.join(', ')}).`,
      schema: ErrorSchema,
      example: new UnsupportedMediaType('text/plain').body,
    };
  }
  responses[406] = {
    description: 'Nothing the `Accept` header allows can be sent.',
    schema: ErrorSchema,
    example: new NotAcceptable().body,
  };
  if (doc.usesDatabase === true || view.access.authentication.length > 0) {
    responses[503] = {
      description: 'The database (or another store keygate uses) cannot be reached right now.',
      schema: ErrorSchema,
      example: new ServiceUnavailable().body,
      headers: { 'Retry-After': RETRY_AFTER_ONE },
    };
  }
  return responses;
}

/** The handler's and the pipeline's answers; where both give a status, its body is either one. */
function mergeResponses(
  own: Readonly<Record<number, ResponseDoc>>,
  pipeline: Readonly<Record<number, ResponseDoc>>,
): Record<number, ResponseDoc> {
  const merged: Record<number, ResponseDoc> = { ...pipeline, ...own };
  for (const [status, theirs] of Object.entries(pipeline)) {
    const mine = own[Number(status)];
    if (mine === undefined) continue;
    const schemas = [...new Set([mine.schema, theirs.schema])].filter((schema) => schema !== undefined);
    const headers = { ...theirs.headers, ...mine.headers };
    merged[Number(status)] = {
      description: `${mine.description} Or: ${theirs.description.charAt(0).toLowerCase()}${theirs.description.slice(1)}`,
      ...(schemas.length > 0 && { schema: schemas.length === 1 ? schemas[0] : { oneOf: schemas } }),
      example: mine.example ?? theirs.example,
      ...(Object.keys(headers).length > 0 && { headers }),
    };
  }
  return merged;
}

/**
 * The route schema documenting `method` of `view` (in @fastify/swagger's dialect). Responses are
 * documented in the media types of the view's renderers, but for the browsable API's HTML, which
 * only browsers ask for (DRF's own schema generator leaves BrowsableAPIRenderer out too).
 */
export function operationSchema(view: DocumentedView, method: string, doc: OperationDoc): FastifySchema {
  const mediaTypes = view.renderers.filter((renderer) => renderer.format !== 'api').map((r) => r.mediaType);
  const responses = mergeResponses(doc.responses, pipelineResponses(view, method, doc));
  const response = Object.fromEntries(
    Object.entries(responses)
      .sort(([a], [b]) => Number(a) - Number(b))
      .map(([status, answer]) => {
        const headers =
          answer.headers &&
          Object.fromEntries(
            Object.entries(answer.headers).map(([name, header]) => [
              name,
              { ...header.schema, description: header.description },
            ]),
          );
        const body =
          answer.schema === undefined
            ? { type: 'null' }
            : {
                content: Object.fromEntries(
                  mediaTypes.map((type) => [
                    type,
                    {
                      schema: answer.schema,
                      ...(answer.example !== undefined && { example: answer.example }),
                    },
                  ]),
                ),
              };
        return [status, { description: answer.description, ...(headers && { headers }), ...body }];
      }),
  );
  return {
    operationId: doc.operationId,
    summary: doc.summary,
    ...(doc.description !== undefined && { description: doc.description }),
    tags: [...doc.tags],
    security: accessDoc(view.access, method).security,
    ...(doc.params !== undefined && { params: doc.params }),
    ...(doc.query !== undefined && { querystring: doc.query }),
    ...(doc.body !== undefined && { body: doc.body, consumes: [...view.parses] }),
    response,
  };
}
