// `keygate serve` logs for a person (LOG_FORMAT): a start-up banner and runserver's short request
// lines on a terminal in development, JSON everywhere else, and never text in production.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { CLI_ENTRY, runCli } from '../helpers.js';
import {
  childPids,
  exitWithin,
  freePort,
  PASSWORD,
  SECRET_KEY,
  send,
  serveProcess,
  sqliteWithToken,
  startServe,
  stopServe,
  waitFor,
  waitUntilAnswering,
  type ServeProcess,
} from '../production/support.js';

const BANNER =
  /^(January|February|March|April|May|June|July|August|September|October|November|December) \d{2}, \d{4} - \d{2}:\d{2}:\d{2}\nkeygate version \d+\.\d+\.\d+\S*, database SQLite file \S+keygate\.sqlite3, (\d+) workers?\nStarting development server at http:\/\/127\.0\.0\.1:(\d+)\/\nQuit the server with CONTROL-C\.\n\n/m;
const TIME = String.raw`\[\d{2}/(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)/\d{4} \d{2}:\d{2}:\d{2}\]`;

/** The runserver line of one request, as a pattern over the whole output. */
function requestLine(method: string, url: string, status: number): RegExp {
  const escaped = url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${TIME} "${method} ${escaped} HTTP/1\\.1" ${status} (\\d+|-)$`, 'm');
}

/** `keygate serve` on a pseudo-terminal (util-linux `script`): its stdout is a TTY. */
function startServeOnTerminal(env: NodeJS.ProcessEnv, port: number): ServeProcess {
  const quote = (word: string): string => `'${word.replace(/'/g, `'\\''`)}'`;
  const command = ['exec', process.execPath, ...CLI_ENTRY, 'serve', '--port', String(port)]
    .map(quote)
    .join(' ');
  const child = spawn('script', ['-qfc', command, '/dev/null'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  // A terminal ends lines with CR LF.
  return serveProcess(child, port, (stdout) => stdout.replace(/\r\n/g, '\n'));
}

/** Waits until the server answers anything on /healthz (production may redirect plain HTTP). */
async function answering(server: ServeProcess): Promise<void> {
  await waitFor('serve answering', 60_000, async () => {
    if (!server.running()) assert.fail(`serve exited:\n${server.output()}`);
    try {
      return (await send(`http://127.0.0.1:${server.port}/healthz`, { timeoutMs: 2000 })).status > 0
        ? true
        : undefined;
    } catch {
      return undefined;
    }
  });
}

/** Stops the server `script` runs (SIGTERM to it; `script` ends with it) and returns the output. */
async function stopOnTerminal(terminal: ServeProcess): Promise<string> {
  const [server] = await childPids(terminal.pid);
  assert.ok(server !== undefined, `no serve process under script:\n${terminal.output()}`);
  process.kill(server, 'SIGTERM');
  assert.ok((await exitWithin(terminal, 20_000)) !== null, terminal.output());
  return terminal.output();
}

describe('keygate serve: LOG_FORMAT', () => {
  let dir = '';
  let env: NodeJS.ProcessEnv = {};
  let token = '';
  let server: ServeProcess | null = null;
  let terminal: ServeProcess | null = null;

  before(async () => {
    ({ dir, env, token } = await sqliteWithToken('keygate-text-logs-', PASSWORD));
  });
  after(async () => {
    await stopServe(server);
    if (terminal?.running()) terminal.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('text: the banner once, then one runserver line per request, secrets redacted', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    server = startServe({ ...env, LOG_FORMAT: 'text' }, port);
    await waitUntilAnswering(server);
    const ok = await send(`${base}/product_api/?page=1`, { headers: { authorization: `Token ${token}` } });
    assert.equal(ok.status, 200);
    const refused = await send(`${base}/product_api/?token=${token}`);
    assert.equal(refused.status, 401);
    server.child.kill('SIGTERM');
    assert.deepEqual(await exitWithin(server, 20_000), { code: 0, signal: null });

    const output = server.output();
    const banner = BANNER.exec(output);
    assert.ok(banner, `no banner in:\n${output}`);
    assert.equal(banner.index, 0, 'the banner comes first');
    assert.equal(banner[2], '1');
    assert.equal(banner[3], String(port));
    assert.equal(output.split('Quit the server with CONTROL-C.').length, 2, 'one banner');
    assert.match(output, requestLine('GET', '/product_api/?page=1', 200));
    assert.match(output, requestLine('GET', '/product_api/?token=[redacted]', 401));
    assert.ok(!output.includes(token), 'the token is in the text logs');
    assert.ok(!output.includes('{"level"'), `a JSON line among the text:\n${output}`);
    assert.match(output, new RegExp(`^${TIME} stopped$`, 'm'));
  });

  it('text with --workers 2: one banner, printed by the primary', async () => {
    const port = await freePort();
    server = startServe({ ...env, LOG_FORMAT: 'text' }, port, ['--workers', '2']);
    await answering(server);
    await waitFor('the banner', 10_000, () => (BANNER.test(server!.output()) ? true : undefined));
    assert.equal((await send(`http://127.0.0.1:${port}/healthz`)).status, 200);
    server.child.kill('SIGTERM');
    assert.deepEqual(await exitWithin(server, 20_000), { code: 0, signal: null });
    const output = server.output();
    assert.equal(BANNER.exec(output)?.[2], '2', output);
    assert.equal(output.split('Quit the server with CONTROL-C.').length, 2, `one banner:\n${output}`);
    assert.match(output, requestLine('GET', '/healthz', 200));
    assert.match(
      output,
      new RegExp(`^${TIME} started workers workers=2$`, 'm'),
      'the primary writes text too',
    );
    assert.ok(!output.includes('{"level"'), `a JSON line among the text:\n${output}`);
  });

  it('text in production mode is refused with a clear message', async () => {
    const result = await runCli(['serve', '--port', String(await freePort())], {
      ...env,
      KEYGATE_ENV: 'production',
      SECRET_KEY,
      ALLOWED_HOSTS: '127.0.0.1',
      TRUSTED_PROXIES: '127.0.0.1',
      LOG_FORMAT: 'text',
    });
    assert.equal(result.code, 2);
    assert.equal(
      result.stderr,
      'keygate: configuration error: LOG_FORMAT: production mode always logs JSON lines: use json or auto\n',
    );
  });

  it('auto on a terminal: the banner and text lines; with LOG_FORMAT=json or in production: JSON', async () => {
    const port = await freePort();
    terminal = startServeOnTerminal(env, port);
    await answering(terminal);
    const text = await stopOnTerminal(terminal);
    assert.match(text, BANNER);
    assert.match(text, requestLine('GET', '/healthz', 200));

    const jsonPort = await freePort();
    terminal = startServeOnTerminal({ ...env, LOG_FORMAT: 'json' }, jsonPort);
    await answering(terminal);
    const json = await stopOnTerminal(terminal);
    assert.doesNotMatch(json, /CONTROL-C/);
    assert.match(json, /^\{"level":30,.*"msg":"stopped"\}$/m);

    const productionPort = await freePort();
    terminal = startServeOnTerminal(
      {
        ...env,
        KEYGATE_ENV: 'production',
        SECRET_KEY,
        ALLOWED_HOSTS: '127.0.0.1',
        TRUSTED_PROXIES: '127.0.0.1',
      },
      productionPort,
    );
    await answering(terminal);
    const production = await stopOnTerminal(terminal);
    assert.doesNotMatch(production, /CONTROL-C/);
    assert.match(production, /^\{"level":30,.*"msg":"stopped"\}$/m);
  });
});
