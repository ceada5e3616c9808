// The baseline: a bare node:http server answering each benchmarked request with keygate's own bytes.
// Run as its own process: node --import tsx bench/bare-server.ts <port> <responses.json>
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readFileSync } from 'node:fs';
import type { CannedResponse } from './canned-response.js';

interface Prepared {
  readonly status: number;
  readonly headers: Record<string, string | number>;
  readonly body: Buffer;
}

function prepare(canned: CannedResponse): Prepared {
  const body = Buffer.from(canned.body, 'base64');
  return { status: canned.status, headers: { ...canned.headers, 'content-length': body.length }, body };
}

const NOT_FOUND: Prepared = {
  status: 404,
  headers: { 'content-type': 'application/json', 'content-length': 23 },
  body: Buffer.from('{"detail":"Not found."}'),
};

function main(): void {
  const [portText, responsesFile] = process.argv.slice(2);
  if (portText === undefined || responsesFile === undefined) {
    process.stderr.write('usage: bare-server.ts <port> <responses.json>\n');
    process.exit(2);
  }
  const canned = JSON.parse(readFileSync(responsesFile, 'utf8')) as CannedResponse[];
  const routes = new Map(canned.map((c) => [`${c.method} ${c.url}`, prepare(c)]));

  const send = (res: ServerResponse, response: Prepared): void => {
    res.writeHead(response.status, response.headers);
    res.end(response.body);
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const response = routes.get(`${req.method} ${req.url}`) ?? NOT_FOUND;
    if (req.method === 'GET' || req.method === 'HEAD') {
      send(res, response);
      return;
    }
    // Read the whole body first, as any server that parses it must.
    req.on('data', () => undefined);
    req.on('end', () => send(res, response));
  });
  server.listen(Number(portText), '127.0.0.1', () => {
    process.stdout.write(`bare node:http listening on 127.0.0.1:${portText}\n`);
  });
  const stop = (): void => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main();
