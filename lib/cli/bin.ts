/** The process entry point (bin/orchestrate.js runs the compiled copy). */
import { cli } from './main.js';

await cli(process.argv.slice(2));
