// serve: run the HTTP server.
import { isatty } from 'node:tty';
import type { Command } from 'commander';
import { keygateVersion } from '../../api-info.js';
import { configWarnings, type Config } from '../../config/index.js';
import { describeDatabase } from '../../db/database-url.js';
import { lineFormat } from '../../logs/log-format.js';
import { listeningUrl, startBanner } from '../../logs/start-banner.js';
import { projectResources } from '../../project/project-config.js';
import { isWorker, parseWorkerCount, runPrimary } from '../../workers.js';
import { CommandError } from '../io.js';
import { tuneHeapForServing } from '../serving-heap.js';
import { commandConfig, createForCommand, openForCommand, projectConfig } from '../open.js';

function parsePort(value: string): number {
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65535)
    throw new CommandError(`--port: not a port number: ${value}`);
  return Number(value);
}

function workerCount(value: string): number {
  try {
    return parseWorkerCount(value);
  } catch (error) {
    throw new CommandError((error as Error).message);
  }
}

/** The start-up banner of a server of `workers` processes answering at `address`. */
function banner(config: Config, workers: number, address: { address: string; port: number }): string {
  return startBanner({
    version: keygateVersion(),
    url: listeningUrl(address, config.tlsCertFile !== null),
    database: describeDatabase(config.databaseUrl),
    workers,
  });
}

/** Registers `serve`. */
export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description(
      'run the HTTP API (SQLite: applies pending migrations; PostgreSQL: requires `keygate migrate`)',
    )
    .option('--host <address>', 'listen address (default: HOST)')
    .option('--port <port>', 'listen port (default: PORT)', parsePort)
    .option('--workers <n>', 'server processes: a number, or auto for one per core', workerCount, 1)
    .option('--tls-cert <file>', 'PEM certificate: serve HTTPS (default: TLS_CERT_FILE)')
    .option('--tls-key <file>', 'PEM private key for --tls-cert (default: TLS_KEY_FILE)')
    .action(
      async (options: {
        host?: string;
        port?: number;
        workers: number;
        tlsCert?: string;
        tlsKey?: string;
      }) => {
        // The flags are the environment variables by another name; workers inherit them this way.
        if (options.tlsCert !== undefined) process.env.TLS_CERT_FILE = options.tlsCert;
        if (options.tlsKey !== undefined) process.env.TLS_KEY_FILE = options.tlsKey;
        const config = await commandConfig();
        // Once, by the process that reads the configuration first (workers read it again).
        if (!isWorker()) {
          for (const warning of configWarnings(config)) {
            process.stderr.write(`keygate: configuration warning: ${warning}\n`);
          }
        }
        // Workers share the primary's stdout, so they all find the same terminal, or none. (isatty,
        // not process.stdout.isTTY, which would make a piped stdout non-blocking for every process.)
        const logFormat = lineFormat(config, isatty(1));
        if (options.workers > 1 && !isWorker()) {
          // The primary migrates (SQLite) or checks (PostgreSQL) once, then only supervises.
          await (await openForCommand(config)).close();
          process.exitCode = await runPrimary(options.workers, {
            format: logFormat,
            banner: logFormat === 'text' ? (address) => banner(config, options.workers, address) : undefined,
          });
          return;
        }
        tuneHeapForServing();
        const keygate = isWorker() ? await createForCommand(config) : await openForCommand(config);
        try {
          // Loaded here so that every other command starts without the HTTP stack.
          const { startServer } = await import('../../server.js');
          const project = await projectConfig();
          await startServer(keygate, {
            host: options.host,
            port: options.port,
            resources: projectResources(project.config, project.file, keygate),
            docs: project.config.docs,
            logFormat,
            banner: !isWorker(),
          });
        } catch (error) {
          await keygate.close();
          if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
            throw new CommandError(
              `address already in use: ${options.host ?? config.host}:${options.port ?? config.port}`,
            );
          }
          throw error;
        }
      },
    );
}
