// Requests whose method Node's HTTP parser does not know (FOO): read here, then answered by the app like any other.
import { IncomingMessage, ServerResponse, type Server } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * A method as gunicorn takes one (22.0, `permit_unconventional_http_method` off): a token of 3 to
 * 20 characters without lower-case letters or `#`. Django then upper-cases nothing more.
 */
const METHOD = /^[!$%&'*+.^_`|~0-9A-Z-]{3,20}$/;
/** The request line: a method, a target of visible ASCII (as Node's parser takes), HTTP/1.0 or 1.1. */
const REQUEST_LINE = /^([\x21-\x7e]+) ([\x21-\x7e]+) HTTP\/1\.([01])$/;
/** RFC 9110 field names and values (no CR, LF or NUL; obs-text allowed). */
const FIELD_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
/** Node's default maxHeaderSize: the request line and the header fields together. */
const HEAD_LIMIT = 16_384;

/**
 * The method such a request is routed under. Fastify's router takes only the methods Node knows,
 * so the request goes in as this one, which no keygate route takes (Fastify's not-found handling
 * sees it), and gets its own method back before anything answers it: see `restoreUnknownMethod`.
 */
const ROUTED_AS = 'ACL';

// Deliberate per-request mark (an entry goes with its request): the requests dispatched here, with
// their real method. Only this module creates them, so a client cannot forge the mark.
const realMethods = new WeakMap<IncomingMessage, string>();

/**
 * An onRequest hook, the app's first: a request dispatched by `dispatchUnknownMethod` gets its own
 * method (`FOO`) back once routing is done, before anything reads or logs it.
 */
export function restoreUnknownMethod(request: FastifyRequest, _reply: FastifyReply, done: () => void): void {
  const method = realMethods.get(request.raw);
  if (method !== undefined) request.raw.method = method;
  done();
}

/** The head of a request with a method Node's parser refused. */
export interface UnknownMethodHead {
  readonly method: string;
  readonly url: string;
  readonly minor: 0 | 1;
  /** Lower-case names, as Node gives them. */
  readonly headers: Readonly<Record<string, string>>;
  readonly rawHeaders: readonly string[];
}

function trimOws(value: string): string {
  return value.replace(/^[ \t]+|[ \t]+$/g, '');
}

/**
 * Reads the head of the request Node's parser refused for its method, from the chunk it was
 * parsing (`rawPacket`) and the offset where it stopped (`bytesParsed`), or null when the chunk
 * is not exactly one such head, whole, at its start. Strict where Node is strict: any doubt (a
 * folded or repeated field, a bare LF, a head split over two chunks, an earlier request's bytes
 * before it) leaves the request to the plain 400, since this head is read by hand.
 */
export function parseUnknownMethodHead(packet: Buffer, errorOffset: number): UnknownMethodHead | null {
  const text = packet.toString('latin1', 0, Math.min(packet.length, HEAD_LIMIT + 4));
  // Node skips empty lines before a request; anything else before it belongs to another request.
  let start = 0;
  while (text[start] === '\r' || text[start] === '\n') start += 1;
  const end = text.indexOf('\r\n\r\n', start);
  if (end === -1) return null;
  const [line = '', ...fields] = text.slice(start, end).split('\r\n');
  const requestLine = REQUEST_LINE.exec(line);
  if (requestLine === null) return null;
  const [, method = '', url = '', minor] = requestLine;
  // The parser stopped inside this method: the chunk starts with the request it refused.
  if (!METHOD.test(method) || errorOffset < start || errorOffset > start + method.length) return null;

  const headers: Record<string, string> = {};
  const rawHeaders: string[] = [];
  for (const field of fields) {
    const colon = field.indexOf(':');
    if (colon <= 0) return null;
    const name = field.slice(0, colon);
    const value = trimOws(field.slice(colon + 1));
    if (!FIELD_NAME.test(name) || !FIELD_VALUE.test(value)) return null;
    const key = name.toLowerCase();
    if (key in headers) return null;
    headers[key] = value;
    rawHeaders.push(name, value);
  }
  // Node requires a Host on HTTP/1.1 requests (requireHostHeader).
  if (minor === '1' && headers.host === undefined) return null;
  return { method, url, minor: minor === '1' ? 1 : 0, headers, rawHeaders };
}

/**
 * Hands a request Node's parser refused for its method to the server's request handler, as Node
 * does with the ones it parses: a request whose body is not read (no view reads the body of a
 * method it does not implement), and a response on the same socket that closes the connection
 * (the parser has given up on it, so nothing after this request can be read). `done` runs once
 * the answer is written.
 */
export function dispatchUnknownMethod(
  server: Server,
  socket: Socket,
  head: UnknownMethodHead,
  done: () => void,
): void {
  const request = new IncomingMessage(socket);
  request.method = ROUTED_AS;
  realMethods.set(request, head.method);
  request.url = head.url;
  request.httpVersionMajor = 1;
  request.httpVersionMinor = head.minor;
  request.httpVersion = `1.${head.minor}`;
  request.rawHeaders = [...head.rawHeaders];
  request.headers = { ...head.headers };
  request.complete = true;
  request.push(null);
  const response = new ServerResponse(request);
  response.shouldKeepAlive = false;
  response.assignSocket(socket);
  response.once('finish', () => {
    response.detachSocket(socket);
    done();
  });
  server.emit('request', request, response);
}
