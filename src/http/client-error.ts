// Requests Node's HTTP parser refuses before Fastify sees them: keygate's minimal JSON answer, then close.
import { randomUUID } from 'node:crypto';
import { STATUS_CODES, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { FastifyInstance } from 'fastify';
import { alwaysHeaders } from './always-headers.js';
import { dispatchUnknownMethod, parseUnknownMethodHead } from './unknown-method.js';

/** How long a refused connection may still send before it is cut (see `lingeringClose`). */
const LINGER_MS = 2000;

/** How long a request with a method Node's parser refused may take when no request deadline is set. */
const UNKNOWN_METHOD_DEADLINE_MS = 30_000;

/** The answers that are not a plain 400, by Node's error code. */
const ANSWERS: Readonly<Record<string, { readonly status: number; readonly detail: string }>> = {
  // requestTimeout or headersTimeout passed (Node's onRequestTimeout).
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, detail: 'Request timeout.' },
  // The request line and headers are larger than maxHeaderSize.
  HPE_HEADER_OVERFLOW: { status: 431, detail: 'Request header fields too large.' },
};
const BAD_REQUEST = { status: 400, detail: 'Bad request.' };

// Deliberate per-socket mark (an entry goes with its socket): connections already answered. Node's
// parser reports its error again for every later chunk the client sends; those are dropped.
const answered = new WeakSet<Socket>();

/** Node's parse error, with the chunk it was parsing and where in it it stopped. */
type ParserError = NodeJS.ErrnoException & { readonly rawPacket?: Buffer; readonly bytesParsed?: number };

/** A socket with Node's in-flight response, which `clientError` listeners must not write over. */
type HttpSocket = Socket & { readonly _httpMessage?: ServerResponse | null };

/**
 * Ends the connection after the answer, but keeps reading (and dropping) what the client still
 * sends for a moment: closing a socket with unread data makes the kernel send a reset, which can
 * destroy the answer before the client reads it.
 */
function lingeringClose(socket: Socket, answer = ''): void {
  const cut = setTimeout(() => socket.destroy(), LINGER_MS).unref();
  socket.once('close', () => clearTimeout(cut));
  socket.on('data', () => undefined);
  socket.end(answer, 'latin1');
  socket.resume();
}

/**
 * A method Node's parser does not know (`FOO`): Django answers it as any other (an API view's 405,
 * the 404 page elsewhere), so the request is read here and handed to the app, on a connection
 * that closes after it. False when it cannot be (see parseUnknownMethodHead): a plain 400 then.
 */
function answerUnknownMethod(app: FastifyInstance, error: ParserError, socket: Socket): boolean {
  const inFlight = (socket as HttpSocket)._httpMessage;
  if (inFlight !== null && inFlight !== undefined) return false;
  if (!socket.writable || error.rawPacket === undefined || error.bytesParsed === undefined) return false;
  const head = parseUnknownMethodHead(error.rawPacket, error.bytesParsed);
  if (head === null) return false;
  // The parser no longer watches this connection's deadlines: the answer gets the request's.
  const cut = setTimeout(
    () => socket.destroy(),
    app.server.requestTimeout || UNKNOWN_METHOD_DEADLINE_MS,
  ).unref();
  socket.once('close', () => clearTimeout(cut));
  dispatchUnknownMethod(app.server, socket, head, () => {
    clearTimeout(cut);
    lingeringClose(socket);
  });
  return true;
}

/**
 * Fastify's `clientErrorHandler`, for Node's `clientError` event: a malformed request line or
 * header, headers past the size limit, a request that timed out. Fastify's own answer is its JSON
 * without keygate's headers; this one is `{"detail": ...}` (400, 408 or 431) with the security
 * headers and a request id (logged with the error), and `Connection: close`. Nothing is written
 * when part of a response is already on the wire, as Node itself does.
 */
export function clientErrorHandler(production: boolean) {
  return function onClientError(this: FastifyInstance, error: NodeJS.ErrnoException, socket: Socket): void {
    // A reset connection, or one already gone: there is nobody to answer.
    if (error.code === 'ECONNRESET' || socket.destroyed || answered.has(socket)) return;
    answered.add(socket);
    if (error.code === 'HPE_INVALID_METHOD' && answerUnknownMethod(this, error, socket)) return;
    const { status, detail } = (error.code !== undefined && ANSWERS[error.code]) || BAD_REQUEST;
    const requestId = randomUUID();
    this.log.info({ reqId: requestId, code: error.code, statusCode: status }, 'client error');
    const inFlight = (socket as HttpSocket)._httpMessage;
    if (!socket.writable || inFlight?.headersSent === true) {
      socket.destroy();
      return;
    }
    const body = JSON.stringify({ detail });
    const headers = {
      ...alwaysHeaders({ production, https: (socket as TLSSocket).encrypted === true, requestId }),
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
      connection: 'close',
    };
    const head = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
    lingeringClose(socket, `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${head.join('')}\r\n${body}`);
  };
}
