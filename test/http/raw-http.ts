// Test support: HTTP/1.1 over a raw TCP socket, to see the exact status line, headers and body.
import assert from 'node:assert/strict';
import { connect } from 'node:net';

/** A response as it came off the wire. */
export interface RawResponse {
  /** The whole status line, e.g. `HTTP/1.1 302 Found`. */
  readonly statusLine: string;
  readonly status: number;
  /** Header names lower-cased; a repeated header's values joined with `, ` (Set-Cookie: with `\n`). */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** Everything received, as latin1 text (one character per byte). */
  readonly raw: string;
}

/** Sends `request` exactly as given (latin1: one byte per character) and reads until the server closes. */
export function rawExchange(port: number, request: string, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(
        new Error(
          `no close within ${timeoutMs} ms; received ${JSON.stringify(Buffer.concat(chunks).toString('latin1'))}`,
        ),
      );
    }, timeoutMs);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    // A reset after the answer (the server destroying a connection it gave up on) still ends the exchange.
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('latin1'));
    });
    socket.write(Buffer.from(request, 'latin1'));
  });
}

/** Parses one HTTP/1.1 response (the first, when several came). */
export function parseResponse(raw: string): RawResponse {
  const end = raw.indexOf('\r\n\r\n');
  assert.notEqual(end, -1, `a complete response head: ${JSON.stringify(raw)}`);
  const [statusLine, ...lines] = raw.slice(0, end).split('\r\n');
  const match = /^HTTP\/1\.1 (\d{3}) /.exec(statusLine!);
  assert.ok(match, `a status line: ${JSON.stringify(statusLine)}`);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[name] =
      name in headers ? `${headers[name]}${name === 'set-cookie' ? '\n' : ', '}${value}` : value;
  }
  let body = raw.slice(end + 4);
  if (headers['content-length'] !== undefined) body = body.slice(0, Number(headers['content-length']));
  return { statusLine: statusLine!, status: Number(match[1]), headers, body, raw };
}

/** One request on its own connection (`Connection: close` is added to the head). */
export async function rawRequest(
  port: number,
  head: string,
  options: { headers?: Readonly<Record<string, string>>; body?: string } = {},
): Promise<RawResponse> {
  const fields = Object.entries(options.headers ?? {}).map(([name, value]) => `${name}: ${value}\r\n`);
  if (options.body !== undefined)
    fields.push(`Content-Length: ${Buffer.byteLength(options.body, 'latin1')}\r\n`);
  const request = `${head}\r\n${fields.join('')}Connection: close\r\n\r\n${options.body ?? ''}`;
  return parseResponse(await rawExchange(port, request));
}

/** The port of a base URL from `DialectContext.listen()`. */
export function portOf(baseUrl: string): number {
  return Number(new URL(baseUrl).port);
}

/**
 * Asserts the headers keygate puts on every answer (Django's security headers and the request id),
 * which a framework's own error page would lack.
 */
export function assertKeygateHeaders(response: RawResponse, what = response.statusLine): void {
  assert.equal(response.headers['x-frame-options'], 'DENY', what);
  assert.equal(response.headers['x-content-type-options'], 'nosniff', what);
  assert.equal(response.headers['referrer-policy'], 'same-origin', what);
  assert.equal(response.headers['cross-origin-opener-policy'], 'same-origin', what);
  assert.match(response.headers['x-request-id'] ?? '', /^[A-Za-z0-9._-]{1,64}$/, what);
}
