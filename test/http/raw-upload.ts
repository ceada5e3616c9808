// Test support: requests whose bodies are written lazily over a raw socket, to see how much a server reads.
import { connect } from 'node:net';

/** What came back for an upload, and how much of the body had been handed to the socket by then. */
export interface UploadResult {
  /** 0 when the connection ended without a response. */
  readonly status: number;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** Body bytes the client had written when the response's first byte arrived (or the connection ended). */
  readonly sentBeforeResponse: number;
  /** Whether the client wrote the whole body. */
  readonly sentAll: boolean;
  /** Milliseconds from connecting to the response's first byte. */
  readonly elapsedMs: number;
  /** Whether the server closed the connection (within `closeWithinMs` of the response). */
  readonly closedByServer: boolean;
}

/** An HTTP/1.1 request with a body produced piece by piece. */
export interface UploadOptions {
  readonly port: number;
  readonly method?: string;
  readonly path: string;
  /** Headers besides Host; give `content-length` yourself, or set `chunked`. */
  readonly headers: Readonly<Record<string, string>>;
  /** The body, produced lazily: nothing past what the server lets through is ever built. */
  readonly body: Iterable<Buffer>;
  /** Send the body with Transfer-Encoding: chunked (no Content-Length). */
  readonly chunked?: boolean;
  /** How long to wait, after the response, for the server to close the connection. */
  readonly closeWithinMs?: number;
  /** Whole-request deadline. */
  readonly timeoutMs?: number;
}

/** Total byte length of a lazily produced body (for its Content-Length). */
export function byteLength(body: Iterable<Buffer>): number {
  let length = 0;
  for (const chunk of body) length += chunk.length;
  return length;
}

/**
 * A multipart body of `count` fields of `size` bytes each (files when `filename` is given), built
 * lazily from one shared value buffer.
 */
export function* multipartBody(
  boundary: string,
  count: number,
  size: number,
  filename?: string,
): Generator<Buffer> {
  const value = Buffer.alloc(size, 'a');
  for (let i = 0; i < count; i++) {
    const file = filename === undefined ? '' : `; filename="${filename}"\r\nContent-Type: text/plain`;
    yield Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="field${i}"${file}\r\n\r\n`);
    yield value;
    yield Buffer.from('\r\n');
  }
  yield Buffer.from(`--${boundary}--\r\n`);
}

/** A multipart body of the given text fields. */
export function multipartFields(boundary: string, fields: readonly (readonly [string, string])[]): Buffer {
  const parts = fields.map(
    ([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
  );
  return Buffer.from(`${parts.join('')}--${boundary}--\r\n`);
}

interface Head {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly bodyStart: number;
}

function parseHead(data: Buffer): Head | null {
  const end = data.indexOf('\r\n\r\n');
  if (end === -1) return null;
  const [statusLine = '', ...lines] = data.subarray(0, end).toString('latin1').split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status: Number(statusLine.split(' ')[1]), headers, bodyStart: end + 4 };
}

/**
 * Writes the request head, then the body as fast as the socket takes it, and stops writing as soon as
 * the response begins (a server that answers early has not read the rest). Resolves with the
 * response, how much had been sent, and whether the server then closed the connection.
 */
export function upload(options: UploadOptions): Promise<UploadResult> {
  const started = performance.now();
  const socket = connect(options.port, '127.0.0.1');
  let received = Buffer.alloc(0);
  let sent = 0;
  let sentAll = false;
  let responded: { sent: number; elapsedMs: number } | null = null;
  let ended = false;
  // Wakes the writer when it waits for 'drain' and the response (or the end) comes first.
  let wake: (() => void) | null = null;

  const closed = new Promise<void>((resolve) => {
    socket.on('close', () => {
      ended = true;
      wake?.();
      resolve();
    });
  });
  // A server that closes while we write gives EPIPE/ECONNRESET: that is an answer, not a test failure.
  socket.on('error', () => socket.destroy());
  socket.on('data', (data: Buffer) => {
    responded ??= { sent, elapsedMs: performance.now() - started };
    received = Buffer.concat([received, data]);
    wake?.();
  });

  const write = async (): Promise<void> => {
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    const head = [
      `${options.method ?? 'POST'} ${options.path} HTTP/1.1`,
      `Host: 127.0.0.1:${options.port}`,
      ...Object.entries(options.headers).map(([name, value]) => `${name}: ${value}`),
      ...(options.chunked ? ['Transfer-Encoding: chunked'] : []),
    ];
    socket.write(`${head.join('\r\n')}\r\n\r\n`);
    for (const chunk of options.body) {
      // Let pending reads run first, as a client watching for an early answer does: a server that
      // answers and closes resets the connection, and a write that fails destroys the socket
      // before its answer is read.
      await new Promise((resolve) => setImmediate(resolve));
      if (responded !== null || ended) return;
      const framed = options.chunked
        ? Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')])
        : chunk;
      sent += chunk.length;
      if (!socket.write(framed)) {
        await new Promise<void>((resolve) => {
          const done = (): void => {
            socket.off('drain', done);
            wake = null;
            resolve();
          };
          socket.on('drain', done);
          wake = done;
        });
      }
    }
    if (options.chunked && responded === null && !ended) socket.write('0\r\n\r\n');
    sentAll = responded === null && !ended;
  };

  const complete = async (): Promise<UploadResult> => {
    await write();
    // Wait for the whole response (its Content-Length), or the end of the connection.
    const deadline = performance.now() + (options.timeoutMs ?? 30_000);
    for (;;) {
      const head = parseHead(received);
      const length = head === null ? NaN : Number(head.headers['content-length'] ?? 0);
      if (head !== null && received.length - head.bodyStart >= length) break;
      if (ended) break;
      if (performance.now() > deadline) throw new Error('no complete response before the deadline');
      await new Promise<void>((resolve) => {
        wake = () => {
          wake = null;
          resolve();
        };
        setTimeout(() => wake?.(), 50);
      });
    }
    const closedByServer = await Promise.race([
      closed.then(() => true),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), options.closeWithinMs ?? 2000)),
    ]);
    socket.destroy();
    const head = parseHead(received);
    return {
      status: head?.status ?? 0,
      headers: head?.headers ?? {},
      body: head === null ? '' : received.subarray(head.bodyStart).toString('utf8'),
      sentBeforeResponse: responded?.sent ?? sent,
      sentAll,
      elapsedMs: responded?.elapsedMs ?? performance.now() - started,
      closedByServer,
    };
  };
  return complete();
}
