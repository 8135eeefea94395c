/**
 * One fuzz case in a process of its own (device files and FIFOs): runs `main()` with the
 * arguments given, then reports its exit code, the time main() took and the process's peak RSS
 * on a last stderr line, `fuzz-child {…}`.
 */
import { main } from '../../lib/cli/main.js';
import { processIO } from '../../lib/cli/io.js';

const t0 = performance.now();
const code = await main(process.argv.slice(2), processIO({ color: false }), new AbortController().signal);
const report = { code, ms: performance.now() - t0, maxRss: process.resourceUsage().maxRSS };
process.stderr.write(`\nfuzz-child ${JSON.stringify(report)}\n`, () => process.exit(code));
