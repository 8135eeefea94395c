/**
 * Start-up and the pure core at scale, as whole processes: `node bin/orchestrate.js …` is spawned
 * and timed from spawn to exit, so Node's own start, loading the modules a command needs, reading
 * and checking the topology, the graph, the plan and writing the output are all in the number.
 * Rows: `node -e 0` (the floor), `--help`, `validate topologies/small.yaml`, and `validate` and
 * `plan --json` of generated jtel topologies of 1,000 and 10,000 hosts. Runnable alone:
 * `node --import tsx bench/startup.ts [--runs N]` (needs `npm run build`: it runs the built CLI;
 * BENCH_ORCHESTRATE=…/bin/orchestrate.js measures another build).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { jtelTopology } from '../spec/support/jtel-topology.js';
import { ROOT } from '../spec/support/topologies.js';
import { machine, textTable } from './report.js';
import { check, median, now, row, type GroupResult, type Row } from './stats.js';

const GROUP = 'startup';
/** The CLI measured: bin/orchestrate.js, or BENCH_ORCHESTRATE (another build, e.g. an older commit's, to compare with). */
const BIN = process.env.BENCH_ORCHESTRATE ?? path.join(ROOT, 'bin', 'orchestrate.js');

/** Runs `node ARGS` with stdout to /dev/null; resolves to its wall time, or rejects when it fails. */
function timeProcess(args: readonly string[], devNull: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = now();
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', devNull, 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = now() - start;
      if (code === 0 && stderr === '') resolve(ms);
      else reject(new Error(`node ${args.join(' ')} exited ${String(code)}: ${stderr.split('\n')[0] ?? ''}`));
    });
  });
}

async function samples(args: readonly string[], runs: number, devNull: number): Promise<number[]> {
  await timeProcess(args, devNull); // untimed: the file cache, not the CLI, would be measured otherwise
  const out: number[] = [];
  for (let i = 0; i < runs; i++) out.push(await timeProcess(args, devNull));
  return out;
}

/** The group's rows; `runs` processes per row (at least 3 for 10,000 hosts, which take seconds each). @default 5 */
export async function runStartup(options: { runs?: number } = {}): Promise<GroupResult> {
  const runs = options.runs ?? 5;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'orchestrate-bench-startup-'));
  const devNull = openSync('/dev/null', 'w');
  try {
    const files = new Map<number, string>();
    for (const hosts of [1000, 10_000]) {
      const file = path.join(dir, `jtel-${hosts}.yaml`);
      writeFileSync(file, jtelTopology({ hosts }));
      files.set(hosts, file);
    }
    const floor = await samples(['-e', '0'], runs, devNull);
    const base = median(floor);
    const vsNode = (values: readonly number[]): string => `${(median(values) / base).toFixed(1)} × node -e 0`;
    const rows: Row[] = [row(GROUP, 'node -e 0', floor, { note: 'the floor: Node starting and exiting' })];
    const help = await samples([BIN, '--help'], runs, devNull);
    rows.push(row(GROUP, 'orchestrate --help', help, { note: vsNode(help) }));
    const small = await samples([BIN, 'validate', 'topologies/small.yaml'], runs, devNull);
    rows.push(row(GROUP, 'orchestrate validate topologies/small.yaml', small, { note: vsNode(small) }));
    for (const [hosts, file] of files) {
      const n = hosts === 10_000 ? Math.max(3, Math.ceil(runs / 2)) : runs;
      const label = hosts.toLocaleString('en-US');
      rows.push(row(GROUP, `validate, jtel ${label} hosts`, await samples([BIN, 'validate', file], n, devNull), { per: hosts, unit: 'hosts' }));
      rows.push(row(GROUP, `plan --json, jtel ${label} hosts`, await samples([BIN, 'plan', file, '--json'], n, devNull), { per: hosts, unit: 'hosts', note: 'stdout to /dev/null' }));
    }
    check(rows.every((r) => Number.isFinite(r.median)), 'every process ran');
    return { title: 'Start-up and the pure core at scale (whole processes)', rows, notes: [] };
  } finally {
    closeSync(devNull);
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const m = machine();
  process.stderr.write(`bench/startup: Node ${m.node}, ${m.cpus} × ${m.model}, load ${m.load}\n`);
  const i = process.argv.indexOf('--runs');
  const result = await runStartup(i > 0 ? { runs: Number(process.argv[i + 1]) } : {});
  process.stdout.write(`${textTable([result])}\n`);
}
