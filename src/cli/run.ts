// Executable entry: runs the CLI and exits with its status, except while a server is running.
import { main } from './main.js';

const status = await main();
// `serve` keeps the event loop alive and exits on a signal; every other command ends here.
if (status !== 0 || !process.argv.slice(2).includes('serve')) process.exitCode = status;
if (status !== 0) process.exit(status);
