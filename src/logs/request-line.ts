// The `request completed` line, written straight to keygate's own log destination.
import { hostname } from 'node:os';
import { redactUrl, type RequestLineWriter } from '../http/logging.js';
import type { LineFormat } from './log-format.js';

/**
 * The line every request writes, byte for byte as pino writes it with keygate's logger options
 * (`loggerOptions(config, format)`: pino's default `pid` and `hostname`, Fastify's `reqId`, the
 * request and reply serializers, `userId` when someone authenticated), built here in one template:
 * pino's generic path (serializers, a copy-on-write censor walk, a stable stringify of each nested
 * object) cost about three times as much, on every request. Only for keygate's own logger, whose
 * options these are; `text` adds what the short request line shows (HTTP version, length).
 */
export function requestLineWriter(
  destination: { write(line: string): void },
  format: LineFormat,
): RequestLineWriter {
  const bindings = `,"pid":${process.pid},"hostname":${JSON.stringify(hostname())}`;
  const text = format === 'text';
  return (request, reply, userId) => {
    const address = request.ip;
    let line = `{"level":30,"time":${Date.now()}${bindings},"reqId":${JSON.stringify(request.id)},"req":{"method":${JSON.stringify(request.method)},"url":${JSON.stringify(redactUrl(request.url))}`;
    if (address !== undefined) line += `,"remoteAddress":${JSON.stringify(address)}`;
    if (text) line += `,"httpVersion":${JSON.stringify(request.raw.httpVersion)}`;
    line += `},"res":{"statusCode":${reply.statusCode}`;
    if (text) {
      const length = reply.getHeader('content-length');
      if (length !== undefined) line += `,"contentLength":${JSON.stringify(length)}`;
    }
    line += `},"responseTime":${finite(reply.elapsedTime)}`;
    if (userId !== undefined) line += `,"userId":${JSON.stringify(userId)}`;
    destination.write(`${line},"msg":"request completed"}\n`);
  };
}

/** A number as pino writes one: a non-finite one is null. */
function finite(value: number): string {
  return Number.isFinite(value) ? String(value) : 'null';
}
