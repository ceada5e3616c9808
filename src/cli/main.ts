// The `keygate` command line: parses arguments, runs a command, turns failures into one line.
import { Command, CommanderError } from 'commander';
import { ConfigError, SETTINGS } from '../config/index.js';
import { registerDatabaseCommands } from './commands/database.js';
import { registerServeCommand } from './commands/serve.js';
import { registerTokenCommands } from './commands/tokens.js';
import { registerUserCommands } from './commands/users.js';
import { CommandError } from './io.js';
import { useConfigFile } from './open.js';

function environmentHelp(): string {
  const width = Math.max(...SETTINGS.map((s) => s.name.length));
  const lines = SETTINGS.map((s) => `  ${s.name.padEnd(width)}  ${s.description} (default: ${s.default})`);
  return `\nEnvironment (also read from ./.env):\n${lines.join('\n')}\n`;
}

/** Builds the program with every command registered. */
export function buildProgram(): Command {
  const program = new Command('keygate')
    .description("Django REST framework's token authentication as a TypeScript API server")
    .addHelpText('after', environmentHelp())
    .showHelpAfterError('(run with --help for usage)')
    .option(
      '--config <path>',
      'the project configuration (default: keygate.config.ts, .js or .mjs in the working directory)',
    )
    .exitOverride()
    .hook('preAction', (command) => useConfigFile(command.opts<{ config?: string }>().config));
  registerServeCommand(program);
  registerDatabaseCommands(program);
  registerUserCommands(program);
  registerTokenCommands(program);
  for (const command of program.commands) command.exitOverride();
  return program;
}

/** Runs the command line; resolves to the process exit status. */
export async function main(argv: readonly string[] = process.argv): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (error instanceof CommandError) {
      process.stderr.write(`${error.message}\n`);
      return error.exitCode;
    }
    if (error instanceof ConfigError) {
      process.stderr.write(`keygate: configuration error: ${error.message}\n`);
      return 2;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`keygate: ${message}\n`);
    return 1;
  }
}
