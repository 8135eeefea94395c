#!/usr/bin/env node
// Runs the compiled CLI (npm install / npm ci build it through the `prepare` script).
import { cli } from '../build/lib/cli/main.js';

await cli(process.argv.slice(2));
