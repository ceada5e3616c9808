// DRF's parsers: JSON, form and multipart bodies; every other media type is a 415.
import { parse as parseQueryString } from 'node:querystring';
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import secureJson from 'secure-json-parse';
import { ParseError } from '../errors.js';

/** The media types API views parse, in DRF's default order. */
export const PARSED_MEDIA_TYPES = [
  'application/json',
  'application/x-www-form-urlencoded',
  'multipart/form-data',
] as const;

/** Django's QueryDict gives the last value of a repeated form field. */
function lastValues(fields: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    out[key] = Array.isArray(value) ? (value.at(-1) ?? '') : value;
  }
  return out;
}

/**
 * Installs the body parsers: JSON (an empty body is `{}`, as DRF; malformed JSON is DRF's
 * `JSON parse error - ...`), urlencoded and multipart forms (fields only; a repeated field gives
 * its last value). Fastify's text/plain parser is removed so that media type is a 415 like any other.
 */
export function registerBodyParsers(app: FastifyInstance): void {
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'string' },
    (_request: FastifyRequest, body, done) => {
      const text = body as string;
      if (text.trim() === '') {
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
  void app.register(multipart, {
    attachFieldsToBody: 'keyValues',
    limits: { fields: 100, fileSize: 1_048_576, files: 5, parts: 110 },
  });
}

/** The parsed request body as DRF's `request.data`: always a value, `{}` when there was none. */
export function requestData(request: FastifyRequest): unknown {
  return request.body === undefined ? {} : request.body;
}
