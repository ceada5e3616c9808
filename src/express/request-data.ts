// DRF's `request.data` for the token endpoints on Express: JSON and form bodies read as keygate reads them.
import express, { type Request, type Response } from 'express';
import { DetailError, RequestTooLarge, UnsupportedMediaType } from '../errors.js';
import { parseForm } from '../http/form-body.js';
import { parseJsonBody } from '../http/json-body.js';
import { parseMediaType } from '../http/media-type.js';

/** The largest body read (Fastify's default `bodyLimit`, which keygate's server uses): 1 MiB. */
export const BODY_LIMIT = 1_048_576;

const JSON_TYPE = 'application/json';
const FORM_TYPE = 'application/x-www-form-urlencoded';

// The bytes as they came: keygate parses them itself, with DRF's messages. A compressed body is
// refused (415) rather than inflated past the limit's meaning.
const readBytes = express.raw({ type: () => true, limit: BODY_LIMIT, inflate: false });

/** Whether the request announced a body (a length above zero, or chunks). */
function announcesBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** body-parser's refusals (http-errors with a `type`) in DRF's shape; anything else as it is. */
function bodyParserError(error: unknown): Error {
  const { type, status, message } = error as { type?: unknown; status?: unknown; message?: unknown };
  if (type === 'entity.too.large') return new RequestTooLarge();
  if (typeof type === 'string' && typeof status === 'number' && status >= 400 && status < 500) {
    // body-parser's own words ("content encoding unsupported", "request aborted"): none carries the body.
    return new DetailError(status, type, String(message));
  }
  return error instanceof Error ? error : new Error(String(error));
}

function read(req: Request, res: Response): Promise<void> {
  return new Promise((resolve, reject) => {
    void readBytes(req, res, (error?: unknown) =>
      error === undefined ? resolve() : reject(bodyParserError(error)),
    );
  });
}

/**
 * The parsed body of a token request, as keygate's Fastify server reads it: JSON with DRF's
 * parser (Python's `JSON parse error - ...` messages; an empty body is `{}`), urlencoded forms as
 * Django's QueryDict (the last of a repeated field), at most {@link BODY_LIMIT} bytes (413). Any
 * other Content-Type, multipart included, is DRF's 415; no Content-Type and no body is `{}`.
 * A body the host app's own parser already read (`express.json()` before this route) is used as
 * that parser left it.
 */
export async function requestData(req: Request, res: Response): Promise<unknown> {
  const header = req.headers['content-type'];
  if (header === undefined) {
    if (announcesBody(req)) throw new UnsupportedMediaType('');
    return {};
  }
  const media = parseMediaType(header);
  const type = `${media.mainType}/${media.subType}`;
  if (type !== JSON_TYPE && type !== FORM_TYPE) throw new UnsupportedMediaType(header);
  // Refused unread: a declared length past the limit.
  if (Number(req.headers['content-length']) > BODY_LIMIT) throw new RequestTooLarge();
  await read(req, res);
  const body: unknown = req.body;
  if (body === undefined) return {};
  if (!Buffer.isBuffer(body)) return body;
  if (type === FORM_TYPE) return parseForm(body.toString('utf8'));
  // DRF skips parsing an empty body (data is {}); whitespace alone is malformed JSON.
  return body.length === 0 ? {} : parseJsonBody(body);
}
