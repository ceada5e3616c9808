// The one place errors become responses: DRF's exception handler.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import {
  ApiError,
  AuthenticationFailed,
  CsrfFailed,
  NotAuthenticated,
  ParseError,
  ServiceUnavailable,
  UnsupportedMediaType,
} from '../errors.js';
import { renderInto } from './api-view.js';

/** DRF's JSON media type: no charset parameter (bodies go out as Buffers so Fastify keeps it so). */
export const JSON_TYPE = 'application/json';

function fastifyErrorToApiError(error: FastifyError, request: FastifyRequest): ApiError | null {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new UnsupportedMediaType(request.headers['content-type'] ?? '');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return null;
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new ParseError(`JSON parse error - ${error.message}`);
    // @fastify/csrf-protection's refusals, in Django's words.
    case 'FST_CSRF_MISSING_SECRET':
      return new CsrfFailed('CSRF cookie not set.');
    case 'FST_CSRF_INVALID_TOKEN':
      return new CsrfFailed('CSRF token incorrect.');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ApiError(413, 'too_large', { detail: 'Request body is too large.' });
    default:
      break;
  }
  if (error instanceof SyntaxError && error.statusCode === 400) {
    return new ParseError(`JSON parse error - ${error.message}`);
  }
  if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
    return new ApiError(error.statusCode, error.code ?? 'bad_request', { detail: error.message });
  }
  return null;
}

/**
 * Shapes every error: ApiErrors as DRF would answer them (401 carries the first authentication
 * class's WWW-Authenticate, or becomes 403 when it has none), client errors from Fastify as 4xx,
 * anything else as a logged 500 that reveals nothing.
 */
export function errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  let apiError = error instanceof ApiError ? error : fastifyErrorToApiError(error, request);
  if (apiError === null && request.server.keygate.database.isUnavailable(error)) {
    request.log.warn({ err: error }, 'database unavailable');
    apiError = new ServiceUnavailable();
  }
  if (apiError === null) {
    request.log.error({ err: error }, 'unhandled error');
    void reply
      .code(500)
      .type(JSON_TYPE)
      .send(Buffer.from(JSON.stringify({ detail: 'A server error occurred.' })));
    return;
  }
  let status = apiError.statusCode;
  if (apiError instanceof NotAuthenticated || apiError instanceof AuthenticationFailed) {
    const header = request.authenticators?.[0]?.authenticateHeader();
    if (header === undefined) status = 403;
    else void reply.header('www-authenticate', header);
  }
  void reply.code(status).headers(apiError.headers);
  const negotiated = request.negotiated;
  if (negotiated) {
    renderInto(request, reply, negotiated, status, apiError.body);
  } else {
    void reply.type(JSON_TYPE).send(Buffer.from(JSON.stringify(apiError.body)));
  }
}
