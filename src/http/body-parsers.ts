// DRF's parsers: JSON, form and multipart bodies; every other media type is a 415.
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ParseError, RequestTooLarge } from '../errors.js';
import { bodyLimitOf, countBody, registerBodyLimit } from './body-limit.js';
import { lastValues, parseForm } from './form-body.js';
import { parseJsonBody } from './json-body.js';
import { parseMediaType } from './media-type.js';

/** The media types API views parse, in DRF's default order. */
export const PARSED_MEDIA_TYPES = [
  'application/json',
  'application/x-www-form-urlencoded',
  'multipart/form-data',
] as const;

/** Multipart bodies: at most this many fields and files (the API's forms have a handful of fields). */
export const MAX_MULTIPART_FIELDS = 100;
export const MAX_MULTIPART_FILES = 5;

/**
 * Installs the body parsers: JSON (an empty body is `{}`, as DRF; malformed JSON is DRF's
 * `JSON parse error - ...` in Python's words), urlencoded and multipart forms (fields only; a
 * repeated field gives its last value). Fastify's text/plain parser is removed so that media type
 * is a 415 like any other. Every body, whatever its type, is held to Fastify's `bodyLimit` before it is read whole (413),
 * and forms to a number of fields (400).
 */
export function registerBodyParsers(app: FastifyInstance): void {
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer' },
    (_request: FastifyRequest, body, done) => {
      // DRF skips parsing an empty body (data is {}); whitespace alone is malformed JSON.
      if ((body as Buffer).length === 0) {
        done(null, {});
        return;
      }
      try {
        done(null, parseJsonBody(body as Buffer));
      } catch (error) {
        done(error as Error, undefined);
      }
    },
  );
  void app.register(formbody, { parser: parseForm });
  const limit = bodyLimitOf(app);
  // One synchronous hook, which returns at once for every request that is not multipart.
  app.addHook('preValidation', (request, _reply, done) => {
    if (!request.isMultipart()) {
      done();
      return;
    }
    // Busboy throws a plain Error (a 500) when the boundary is missing; Django answers with a parse error.
    const boundary = parseMediaType(request.headers['content-type'] ?? '').params.get('boundary');
    if (!boundary) {
      done(
        new ParseError(`Multipart form parse error - Invalid boundary in multipart: ${boundary ?? 'None'}`),
      );
      return;
    }
    // The plugin reads the request stream itself, so Fastify's bodyLimit does not reach it: its
    // fields are read here, counted against the same limit as every other body.
    readMultipart(request, limit).then(
      (body) => {
        request.body = body;
        done();
      },
      (error: unknown) => done(error as Error),
    );
  });
  void app.register(multipart, {
    // No single part may be larger than the whole body; the whole body is limited by readMultipart.
    limits: {
      fields: MAX_MULTIPART_FIELDS,
      files: MAX_MULTIPART_FILES,
      parts: MAX_MULTIPART_FIELDS + MAX_MULTIPART_FILES,
      fieldSize: limit,
      fileSize: limit,
    },
  });
  registerBodyLimit(app);
}

/** The multipart plugin's limit errors (413s in its own words) as clear answers in DRF's. */
function multipartError(error: unknown): unknown {
  switch ((error as { code?: unknown }).code) {
    case 'FST_FIELDS_LIMIT':
      return new ParseError(
        `Multipart form parse error - Too many fields (at most ${MAX_MULTIPART_FIELDS}).`,
      );
    case 'FST_FILES_LIMIT':
      return new ParseError(`Multipart form parse error - Too many files (at most ${MAX_MULTIPART_FILES}).`);
    case 'FST_PARTS_LIMIT':
      return new ParseError(
        `Multipart form parse error - Too many parts (at most ${MAX_MULTIPART_FIELDS + MAX_MULTIPART_FILES}).`,
      );
    case 'FST_REQ_FILE_TOO_LARGE':
      return new RequestTooLarge();
    default:
      return error;
  }
}

/**
 * The fields of a multipart body, shaped as the plugin's `keyValues` mode shapes them: a field's
 * text (an upload's bytes), an array for a repeated name. The body is counted as busboy reads it
 * and refused with a 413 past `limit` bytes, the rest left unread.
 */
async function readMultipart(request: FastifyRequest, limit: number): Promise<Record<string, unknown>> {
  // `parts()` pipes the request into busboy before its first await, in this same tick as the
  // counter's listener: both see every chunk.
  const counter = countBody(request.raw, limit);
  const reading = collectParts(request);
  // After a 413 the abandoned read ends when the connection closes; its outcome no longer matters.
  reading.catch(() => undefined);
  try {
    return await Promise.race([reading, counter.exceeded]);
  } catch (error) {
    throw multipartError(error);
  } finally {
    counter.stop();
  }
}

async function collectParts(request: FastifyRequest): Promise<Record<string, unknown>> {
  const values = new Map<string, unknown[]>();
  for await (const part of request.parts()) {
    let value: unknown;
    if (part.type === 'file') {
      value = await part.toBuffer();
    } else {
      // Cannot happen while fieldSize is the whole body's limit; a cut value must never pass as sent.
      if (part.valueTruncated || part.fieldnameTruncated) throw new RequestTooLarge();
      value = part.value;
    }
    const sent = values.get(part.fieldname);
    if (sent === undefined) values.set(part.fieldname, [value]);
    else sent.push(value);
  }
  // The plugin refuses names that are Object.prototype's (400), so no key here can be `__proto__`.
  const body: Record<string, unknown> = {};
  for (const [name, sent] of values) body[name] = sent.length === 1 ? sent[0] : sent;
  return body;
}

/** The parsed request body as DRF's `request.data`: always a value, `{}` when there was none. */
export function requestData(request: FastifyRequest): unknown {
  if (request.body === undefined) return {};
  // The multipart plugin gives a repeated field as an array of its values; keep the last, as forms do.
  if (request.isMultipart() && typeof request.body === 'object' && request.body !== null) {
    return lastValues(request.body as Record<string, unknown>);
  }
  return request.body;
}
