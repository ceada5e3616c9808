// The request body limit for every media type: a declared length past it is refused unread, a body is counted as it streams.
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { RequestTooLarge } from '../errors.js';

/** Fastify's `bodyLimit` for this app (its default is 1 MiB): the limit every body is held to. */
export function bodyLimitOf(app: FastifyInstance): number {
  return app.initialConfig.bodyLimit ?? 1_048_576;
}

/** Whether the request announced a body (a length above zero, or chunks). */
function announcesBody(raw: IncomingMessage): boolean {
  const length = raw.headers['content-length'];
  return raw.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * Installs the limit that holds whatever parses a body (Fastify's `bodyLimit`, which Fastify itself
 * enforces only for the bodies it reads, JSON and forms):
 * - a `Content-Length` past it is a 413 before a byte of the body is read. The check runs in
 *   preParsing, after the route's authentication (onRequest), so an unauthenticated request is
 *   still a 401 first, as in DRF, which authenticates before it parses. A client that sent
 *   `Expect: 100-continue` is told to send its body only past this point, so a refused one never does;
 * - any request answered before its body was read (a 401, a 413, a 415, a 404, a parse error) gets
 *   `Connection: close`, so the socket is closed after the answer. Node would otherwise read and
 *   discard whatever the client keeps sending, however long, to reuse the connection.
 * Bodies sent in chunks are counted as they are read: by Fastify for JSON and forms, by
 * `countBody` for multipart, which the multipart plugin reads itself.
 */
export function registerBodyLimit(app: FastifyInstance): void {
  const limit = bodyLimitOf(app);
  // `Expect: 100-continue`: Node would ask for the body before keygate has looked at the request.
  // Let it through unasked; the 100 goes out below, only once the body is going to be read.
  app.server.on('checkContinue', (request, response) => app.server.emit('request', request, response));
  app.addHook('preParsing', (request, reply, payload, done) => {
    // Node's parser has already refused a Content-Length that is not a number.
    if (Number(request.headers['content-length']) > limit) {
      done(new RequestTooLarge());
      return;
    }
    if (request.headers.expect?.toLowerCase() === '100-continue' && !reply.raw.headersSent) {
      reply.raw.writeContinue();
    }
    done(null, payload);
  });
  app.addHook('onSend', (request, reply, payload, done) => {
    // `complete` is false until the whole message has come off the wire (undefined under inject).
    if (request.raw.complete === false && announcesBody(request.raw)) {
      void reply.header('connection', 'close');
      // Registered after Node's own 'finish' listener, which has just begun closing the socket.
      reply.raw.once('finish', () => lingerBeforeClose(request.raw));
    }
    done(null, payload);
  });
}

/**
 * How long a socket answered before its body was read stays half-closed (the answer and a FIN
 * sent, nothing read) before it is closed: Go's net/http waits as long, for the same reason.
 */
export const LINGER_MS = 500;

/**
 * Node closes a `Connection: close` socket as soon as the answer is written. With the unread body
 * still arriving, the kernel then sends a reset instead of a plain close, and a client that is still
 * writing gets "connection reset" (the reset can overtake the answer it has not read yet) instead
 * of the 413. So the close waits LINGER_MS after the FIN, and the body is still not read: the
 * request stays paused (Node would otherwise read and discard it), so the client's writes stall
 * in the socket buffers while it reads the answer. A change in Node's internals only loses the wait.
 */
function lingerBeforeClose(raw: IncomingMessage): void {
  const socket = raw.socket;
  raw.pause();
  if (socket.destroyed || socket.listeners('finish').length === 0) return;
  // Node's Socket.destroySoon: `end()`, then `once('finish', this.destroy)`; only compared, never called.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  socket.removeListener('finish', socket.destroy);
  // Not unref'd: a server closing meanwhile waits for this socket, and must see it closed (at most
  // LINGER_MS later) rather than have the process end with the close still pending.
  const close = (): void => {
    setTimeout(() => socket.destroy(), LINGER_MS);
  };
  if (socket.writableFinished) close();
  else socket.once('finish', close);
}

/**
 * Counts the body of `raw` as another consumer reads it (call in the same tick as that consumer
 * starts, so both see every chunk): past `limit` bytes it stops the stream from flowing to anyone
 * (unpipes and pauses it, leaving the rest unread) and rejects `exceeded` with a 413. `stop()`
 * detaches the counter.
 */
export function countBody(
  raw: IncomingMessage,
  limit: number,
): { readonly exceeded: Promise<never>; stop(): void } {
  let received = 0;
  let reject: (error: Error) => void = () => undefined;
  const exceeded = new Promise<never>((_resolve, rejectExceeded) => {
    reject = rejectExceeded;
  });
  // The caller races this promise; a body within the limit never settles it.
  exceeded.catch(() => undefined);
  const onData = (chunk: Buffer): void => {
    received += chunk.length;
    if (received <= limit) return;
    raw.off('data', onData);
    raw.unpipe();
    raw.pause();
    reject(new RequestTooLarge());
  };
  raw.on('data', onData);
  return { exceeded, stop: () => raw.off('data', onData) };
}
