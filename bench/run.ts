/**
 * `npm run bench`: runs every benchmark group in turn, prints a table, and rewrites the results
 * section of docs/benchmarks.md. Timings never fail the run; a benchmark whose commands fail does
 * (its group reports the error and the exit code is 1).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../spec/support/topologies.js';
import { runE2e } from './e2e.js';
import { runFleet } from './fleet.js';
import { runOpensshFleet } from './openssh-runs.js';
import { HEADER } from './header.js';
import { runPlanBenchmarks } from './plan.js';
import { runScale } from './scale.js';
import { runStartup } from './startup.js';
import { machine, markdownResults, replaceGroups, replaceResults, textTable } from './report.js';
import { runOpenssh, runSimulatedSsh } from './ssh.js';
import { now, type GroupResult } from './stats.js';

const DOC = path.join(ROOT, 'docs/benchmarks.md');

const GROUPS: readonly (readonly [title: string, run: () => GroupResult | Promise<GroupResult>])[] = [
  ['Planning (load + graph + plan up)', runPlanBenchmarks],
  ['Start-up and the pure core at scale (whole processes)', () => runStartup()],
  ['SSH exec, in-process simulated host', runSimulatedSsh],
  ['SSH exec, real OpenSSH sshd on 127.0.0.1', runOpenssh],
  ['End to end: up then down', runE2e],
  ['Simulated fleet: up then down', runFleet],
  ['Real OpenSSH hosts: up then down', runOpensshFleet],
  ['Scale: generated jtel topologies against a fleet process', () => runScale()],
];

async function runGroup(title: string, run: () => GroupResult | Promise<GroupResult>): Promise<{ result: GroupResult; failed: boolean }> {
  const start = now();
  process.stderr.write(`bench: ${title} …`);
  try {
    const result = await run();
    process.stderr.write(` ${((now() - start) / 1000).toFixed(1)} s\n`);
    return { result, failed: false };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    process.stderr.write(` failed\n${message}\n`);
    return { result: { title, rows: [], notes: [`failed: ${message.split('\n')[0] ?? ''}`] }, failed: true };
  }
}

function readDoc(): string | undefined {
  try {
    return readFileSync(DOC, 'utf8');
  } catch {
    return undefined;
  }
}

/** `--only A,B`: the groups whose titles start with A or B (case-insensitive); the others keep their last results. */
function selected(): typeof GROUPS {
  const i = process.argv.indexOf('--only');
  if (i < 0) return GROUPS;
  const wanted = (process.argv[i + 1] ?? '').split(',').map((w) => w.trim().toLowerCase()).filter((w) => w !== '');
  const groups = GROUPS.filter(([title]) => wanted.some((w) => title.toLowerCase().startsWith(w)));
  if (groups.length === 0) throw new Error(`--only ${process.argv[i + 1] ?? ''}: no group; the groups are: ${GROUPS.map(([t]) => t).join('; ')}`);
  return groups;
}

async function runAll(): Promise<number> {
  const m = machine();
  const start = now();
  const results: GroupResult[] = [];
  let failed = false;
  const groups = selected();
  for (const [title, run] of groups) {
    const r = await runGroup(title, run);
    results.push(r.result);
    failed ||= r.failed;
  }
  const total = now() - start;
  process.stdout.write(`\n${textTable(results)}\n\nNode ${m.node}, ${m.cpus} × ${m.model}; ${(total / 1000).toFixed(1)} s in all.\n`);
  const doc = readDoc();
  writeFileSync(DOC, groups.length < GROUPS.length && doc !== undefined ? replaceGroups(doc, results, m) : replaceResults(doc, HEADER, markdownResults(results, m, total)));
  process.stdout.write(`Results written to ${path.relative(process.cwd(), DOC) || DOC}.\n`);
  return failed ? 1 : 0;
}

process.exitCode = await runAll();
