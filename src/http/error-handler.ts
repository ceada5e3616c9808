// The one place errors become responses: DRF's exception handler, and the last resort behind it.
import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import {
  ApiError,
  AuthenticationFailed,
  CsrfFailed,
  NoRouteMatches,
  NotAuthenticated,
  NotFound,
  ParseError,
  ServiceUnavailable,
  UnsupportedMediaType,
} from '../errors.js';
import { alwaysHeaders } from './always-headers.js';
import { renderInto } from './send-rendered.js';
import { NOT_FOUND_ANSWER, sendNotFoundPage } from './not-found-page.js';

/** DRF's JSON media type: no charset parameter (bodies go out as Buffers so Fastify keeps it so). */
export const JSON_TYPE = 'application/json';

/** The body of every 500: nothing about the fault reaches the client. */
const SERVER_ERROR = Object.freeze({ detail: 'A server error occurred.' });

// Deliberate per-reply mark (an entry goes with its reply): the replies whose error answer is on
// its way. Fastify hands an error raised while that answer is sent (an onSend hook failing again,
// a header Node refuses) to the next error handler of its chain; when that is keygate's again,
// the mark says the normal way has failed once already.
const answering = new WeakSet<FastifyReply>();

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
    // The router's refusal of a path segment past maxParamLength, which buildApp sets above
    // anything a request line can hold; were it reached, the lookup would name nothing.
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return new NotFound();
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
 * Writes an answer straight to the socket, past Fastify's reply and every hook, with the headers
 * the hooks would have added. For answers the normal way cannot give. `body` is sent as JSON,
 * unless it is a Buffer, whose Content-Type is among `headers`.
 */
function writeBareAnswer(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  const raw = reply.raw;
  void reply.hijack();
  for (const name of raw.getHeaderNames()) raw.removeHeader(name);
  const payload = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
  const { production } = request.server.keygate.config;
  raw.writeHead(status, STATUS_CODES[status] ?? 'Unknown', {
    'content-type': JSON_TYPE,
    ...headers,
    ...alwaysHeaders({ production, https: request.protocol === 'https', requestId: request.id }),
    'content-length': String(payload.length),
  });
  raw.end(payload);
}

/**
 * Shapes every error: ApiErrors as DRF would answer them (401 carries the first authentication
 * class's WWW-Authenticate, or becomes 403 when it has none), client errors from Fastify as 4xx,
 * anything else as a logged 500 that reveals nothing. When that answer itself fails on its way
 * out, a bare 500 is written to the socket: a framework's own error body never reaches a client.
 */
export function errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const raw = reply.raw;
  if (raw.headersSent) {
    // Part of an answer is on the wire already; another status line would corrupt it.
    request.log.error({ err: error }, 'error after the response started');
    raw.destroy();
    return;
  }
  if (answering.has(reply)) {
    request.log.error({ err: error }, 'error answer failed');
    writeBareAnswer(request, reply, 500, SERVER_ERROR);
    return;
  }
  answering.add(reply);
  // A writeHead that threw keeps the reason phrase it chose (a 500 went out as "500 Found").
  raw.statusMessage = '';

  if (error instanceof NoRouteMatches) {
    sendNotFoundPage(reply);
    return;
  }
  let apiError = error instanceof ApiError ? error : fastifyErrorToApiError(error, request);
  if (apiError === null && request.server.keygate.database.isUnavailable(error)) {
    request.log.warn({ err: error }, 'database unavailable');
    apiError = new ServiceUnavailable();
  }
  if (apiError === null) {
    request.log.error({ err: error }, 'unhandled error');
    // A new answer, as Django's 500 is: nothing the failed one set carries over (such as a header
    // value Node refused, which would fail this answer too).
    for (const name of Object.keys(reply.getHeaders())) reply.removeHeader(name);
    void reply
      .code(500)
      .type(JSON_TYPE)
      .send(Buffer.from(JSON.stringify(SERVER_ERROR)));
    return;
  }
  answerApiError(apiError, request, reply);
}

/**
 * Answers an ApiError as DRF does (401 carries the first authentication class's WWW-Authenticate,
 * or becomes 403 when it has none). The API views answer the refusals of their own hooks with it
 * directly; {@link errorHandler} with it for everything else.
 */
export function answerApiError(apiError: ApiError, request: FastifyRequest, reply: FastifyReply): void {
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

/**
 * Fastify's `frameworkErrors`: errors Fastify raises before any route is chosen (a parameter past
 * `maxParamLength`, a failing constraint, broken percent-encoding in the path, which the app's
 * rewriteUrl leaves none of: see repercent.ts). No hook runs for these requests, so the answer is
 * written with the hooks' headers here, and logged.
 */
export function frameworkErrorHandler(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  reply.raw.once('finish', () => request.log.info({ req: request, res: reply }, 'request completed'));
  if (error.code === 'FST_ERR_BAD_URL') {
    // A path the router cannot decode matches none of its routes: Django's page.
    writeBareAnswer(request, reply, 404, NOT_FOUND_ANSWER.body, NOT_FOUND_ANSWER.headers);
    return;
  }
  const apiError = fastifyErrorToApiError(error, request);
  if (apiError === null) {
    request.log.error({ err: error }, 'unhandled error');
    writeBareAnswer(request, reply, 500, SERVER_ERROR);
    return;
  }
  writeBareAnswer(request, reply, apiError.statusCode, apiError.body, apiError.headers);
}
