/**
 * One fuzz case in a process of its own (device files and FIFOs): runs `main()` with the
 * arguments given, then reports its exit code, the wall and CPU time main() took and the process's peak RSS
 * on a last stderr line, `fuzz-child {…}`.
 */
import { main } from '../../lib/cli/main.js';
import { processIO } from '../../lib/cli/io.js';

const t0 = performance.now();
const cpu0 = process.cpuUsage();
const code = await main(process.argv.slice(2), processIO({ color: false }), new AbortController().signal);
const cpu = process.cpuUsage(cpu0);
const report = { code, ms: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000, maxRss: process.resourceUsage().maxRSS };
process.stderr.write(`\nfuzz-child ${JSON.stringify(report)}\n`, () => process.exit(code));
