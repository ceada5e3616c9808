// keygate's response to a benchmarked request, captured once so the bare server can answer with the same bytes.
import type { HttpRequest } from './wrk.js';

/** One canned response, captured from keygate for the same method and URL. */
export interface CannedResponse {
  readonly method: string;
  readonly url: string;
  readonly status: number;
  /** keygate's response headers, without the ones node:http adds itself (Date, Connection, ...). */
  readonly headers: Readonly<Record<string, string>>;
  /** The body, base64. */
  readonly body: string;
}

/** Headers node:http writes on its own, or that describe this connection rather than the response. */
const CONNECTION_HEADERS = new Set([
  'date',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-length',
]);

/**
 * Sends `request` to `baseUrl` (127.0.0.1 only) once and records the answer. `keepLength` keeps
 * the Content-Length header (to compare two servers' answers; a replayed answer must not carry it).
 */
export async function captureResponse(
  baseUrl: string,
  request: HttpRequest,
  keepLength = false,
): Promise<CannedResponse> {
  if (!baseUrl.startsWith('http://127.0.0.1:')) throw new Error('benchmark traffic goes to 127.0.0.1 only');
  const response = await fetch(`${baseUrl}${request.path}`, {
    method: request.method,
    headers: request.headers,
    body: request.body,
    redirect: 'manual',
    signal: AbortSignal.timeout(30_000),
  });
  const body = Buffer.from(await response.arrayBuffer());
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    if (!CONNECTION_HEADERS.has(name) || (keepLength && name === 'content-length')) headers[name] = value;
  });
  return {
    method: request.method,
    url: request.path,
    status: response.status,
    headers,
    body: body.toString('base64'),
  };
}

/** The body of a captured response as text. */
export function bodyText(canned: CannedResponse): string {
  return Buffer.from(canned.body, 'base64').toString('utf8');
}
