// Executable entry: runs the CLI; a failed command exits at once with its status.
import { main } from './main.js';

const status = await main();
// Successful commands end when their work is done (`serve` when its server closes).
if (status !== 0) process.exit(status);
