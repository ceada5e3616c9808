// keygate's answers on an Express response: DRF's JSON bytes and headers, and its errors as DRF shapes them.
import type { NextFunction, Request, Response } from 'express';
import { ApiError, AuthenticationFailed, NotAuthenticated, ServiceUnavailable } from '../errors.js';
import { jsonRenderer, renderJson } from '../http/render.js';

/** How an answer is sent. */
export interface AnswerOptions {
  /** Headers added to the answer (lower-case names). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Add `Accept` to `Vary`, as DRF's API views do (their renderers are chosen by `Accept`). */
  readonly varyAccept?: boolean;
}

/**
 * Sends `data` as DRF's JSONRenderer writes it: compact UTF-8, `Content-Type: application/json`
 * with no charset (so Node's own headers, not Express's `res.type`/`res.send`, which add a charset
 * and an ETag).
 */
export function sendJson(res: Response, status: number, data: unknown, options: AnswerOptions = {}): void {
  const body = Buffer.from(renderJson(data));
  res.statusCode = status;
  for (const [name, value] of Object.entries(options.headers ?? {})) res.setHeader(name, value);
  if (options.varyAccept === true) res.vary('Accept');
  res.setHeader('content-type', jsonRenderer.mediaType);
  res.setHeader('content-length', body.length);
  res.end(body);
}

/** What shapes an error answer. */
export interface ErrorAnswer extends AnswerOptions {
  /** Whether an error means the database cannot answer now (a 503); by default none does. */
  readonly unavailable?: (error: unknown) => boolean;
  /**
   * The WWW-Authenticate challenge of a 401 (DRF: the first authentication class's); undefined
   * turns authentication errors into 403s, as DRF does for a class without one.
   */
  readonly challenge?: string;
}

/**
 * Answers `error` as DRF's exception handler would: an ApiError with its status, body and headers
 * (a 401 with the challenge), a database that cannot answer as DRF's 503. Anything else is the
 * host's: it goes to `next`, to the app's error handler. A request answered before its body was
 * read is closed after the answer, so Node does not read whatever the client keeps sending.
 */
export function sendError(
  req: Request,
  res: Response,
  next: NextFunction,
  error: unknown,
  answer: ErrorAnswer,
): void {
  let apiError: ApiError | null = error instanceof ApiError ? error : null;
  if (apiError === null && answer.unavailable?.(error) === true) apiError = new ServiceUnavailable();
  if (apiError === null || res.headersSent) {
    next(error);
    return;
  }
  let status = apiError.statusCode;
  const headers: Record<string, string> = { ...answer.headers, ...apiError.headers };
  if (apiError instanceof NotAuthenticated || apiError instanceof AuthenticationFailed) {
    if (answer.challenge === undefined) status = 403;
    else headers['www-authenticate'] = answer.challenge;
  }
  if (!req.complete) headers.connection = 'close';
  sendJson(res, status, apiError.body, { ...answer, headers });
}
