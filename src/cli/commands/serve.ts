// serve: run the HTTP server.
import type { Command } from 'commander';
import { startServer } from '../../server.js';
import { CommandError } from '../io.js';
import { commandConfig, openForCommand } from '../open.js';

function parsePort(value: string): number {
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65535)
    throw new CommandError(`--port: not a port number: ${value}`);
  return Number(value);
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
    .action(async (options: { host?: string; port?: number }) => {
      const config = commandConfig();
      const keygate = await openForCommand(config);
      try {
        await startServer(keygate, { host: options.host, port: options.port });
      } catch (error) {
        await keygate.close();
        if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
          throw new CommandError(
            `address already in use: ${options.host ?? config.host}:${options.port ?? config.port}`,
          );
        }
        throw error;
      }
    });
}
