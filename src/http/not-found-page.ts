// Django's 404 page, for URLs that no route matches (an API view's own 404 is DRF's JSON instead).
import type { FastifyReply } from 'fastify';
import { HTML_CSP } from '../html/html-headers.js';

/**
 * django/views/defaults.py: ERROR_PAGE_TEMPLATE with page_not_found's title and details, as Django
 * renders it when the project has no 404.html template (DEBUG off).
 */
export const NOT_FOUND_PAGE =
  '\n<!doctype html>\n<html lang="en">\n<head>\n  <title>Not Found</title>\n</head>\n<body>\n' +
  '  <h1>Not Found</h1><p>The requested resource was not found on this server.</p>\n</body>\n</html>\n';

/** page_not_found's `content_type='text/html'`: without a charset, as Django sends this page. */
export const NOT_FOUND_TYPE = 'text/html';

const PAGE_BYTES = Buffer.from(NOT_FOUND_PAGE);

/**
 * Answers with Django's 404 page: a fresh response, as Django's is, so nothing a route or hook set
 * before the URL turned out to match nothing (an API view's Allow or Vary) carries over. The page
 * is constant and holds no script; it still gets keygate's page policy, as every HTML page does.
 */
export function sendNotFoundPage(reply: FastifyReply): FastifyReply {
  for (const name of Object.keys(reply.getHeaders())) reply.removeHeader(name);
  // A Buffer keeps the Content-Type exactly (Fastify adds a charset to strings).
  return reply.code(404).header('content-security-policy', HTML_CSP).type(NOT_FOUND_TYPE).send(PAGE_BYTES);
}

/** The page's headers and body, for an answer written past Fastify's reply (see error-handler.ts). */
export const NOT_FOUND_ANSWER = Object.freeze({
  headers: Object.freeze({ 'content-security-policy': HTML_CSP, 'content-type': NOT_FOUND_TYPE }),
  body: PAGE_BYTES,
});
