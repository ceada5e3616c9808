// DRF's parsers: JSON, form and multipart bodies; every other media type is a 415.
import { parse as parseQueryString } from 'node:querystring';
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import secureJson from 'secure-json-parse';
import { ParseError } from '../errors.js';
import { parseMediaType } from './media-type.js';

/** The media types API views parse, in DRF's default order. */
export const PARSED_MEDIA_TYPES = [
  'application/json',
  'application/x-www-form-urlencoded',
  'multipart/form-data',
] as const;

/** Django's QueryDict gives the last value of a repeated form field. */
function lastValues<T>(fields: Readonly<Record<string, T | T[] | undefined>>): Record<string, T | string> {
  const out: Record<string, T | string> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    out[key] = Array.isArray(value) ? (value.at(-1) ?? '') : value;
  }
  return out;
}

// Python's json.load of a UTF-8 stream: invalid bytes and a byte order mark are errors, not U+FFFD.
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Installs the body parsers: JSON (an empty body is `{}`, as DRF; malformed JSON is DRF's
 * `JSON parse error - ...`), urlencoded and multipart forms (fields only; a repeated field gives
 * its last value). Fastify's text/plain parser is removed so that media type is a 415 like any other.
 */
export function registerBodyParsers(app: FastifyInstance): void {
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer' },
    (_request: FastifyRequest, body, done) => {
      let text: string;
      try {
        text = UTF8.decode(body as Buffer);
      } catch {
        done(new ParseError("JSON parse error - 'utf-8' codec can't decode the body"), undefined);
        return;
      }
      // DRF skips parsing an empty body (data is {}); whitespace alone is malformed JSON.
      if (text === '') {
        done(null, {});
        return;
      }
      try {
        // secure-json-parse refuses `__proto__` keys, which could otherwise poison merged objects.
        done(null, secureJson.parse(text, undefined, { protoAction: 'error', constructorAction: 'ignore' }));
      } catch (error) {
        done(new ParseError(`JSON parse error - ${(error as Error).message}`), undefined);
      }
    },
  );
  void app.register(formbody, { parser: (text) => lastValues(parseQueryString(text)) });
  // Busboy throws a plain Error (a 500) when the boundary is missing; Django answers with a parse error.
  // Added here, before the multipart plugin loads, so it runs before the plugin's own preValidation hook.
  app.addHook('preValidation', (request, _reply, done) => {
    if (request.isMultipart()) {
      const boundary = parseMediaType(request.headers['content-type'] ?? '').params.get('boundary');
      if (!boundary) {
        done(
          new ParseError(`Multipart form parse error - Invalid boundary in multipart: ${boundary ?? 'None'}`),
        );
        return;
      }
    }
    done();
  });
  void app.register(multipart, {
    attachFieldsToBody: 'keyValues',
    limits: { fields: 100, fileSize: 1_048_576, files: 5, parts: 110 },
  });
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
