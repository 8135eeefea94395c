#!/usr/bin/env node
// Runs the compiled CLI (npm install / npm ci build it through the `prepare` script).
import '../build/lib/cli/bin.js';
