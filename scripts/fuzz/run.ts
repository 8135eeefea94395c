/**
 * Runs fuzz cases through `orchestrate validate` and classifies each: exit 0 or 2 is fine; exit
 * 1 with "This is a bug" (or any other exit) is an internal error; over 2 s is slow; a process
 * over 500 MB of RSS is memory; exit 2 without a `file:line:col: ` diagnostic is an unlocated
 * refusal; an injection case that is not refused is an accepted injection. Cases run in this
 * process (main() from lib/cli/main.ts), except device and FIFO cases, which run in a child
 * process with a deadline: a bug there would hang or fill the fuzzer itself.
 *
 * "Over 2 s" is CPU time (this process's user and system time while the case ran), so that
 * other work on the machine does not make a case slow; a case whose wall time is over 2.5 times
 * that (a wait: a read that blocks, a hang) is slow as well. Both are reported.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../../lib/cli/main.js';
import { NO_COLOURS } from '../../lib/reporters/index.js';
import { makeCase, type CaseKind, type FuzzCase } from './cases.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export type Problem = 'internal' | 'slow' | 'memory' | 'unlocated' | 'injection';

export interface CaseResult {
  readonly index: number;
  readonly kind: CaseKind;
  readonly exitCode: number | null;
  /** Wall time. */
  readonly ms: number;
  /** CPU time, user and system. */
  readonly cpuMs: number;
  readonly problems: readonly Problem[];
  /** The first lines of stderr. */
  readonly stderr: readonly string[];
}

export interface FuzzOptions {
  readonly cases: number;
  readonly seed: number;
  /** The first case's number. @default 0 */
  readonly from?: number;
  /** Only cases of this kind. */
  readonly only?: CaseKind;
  /** @default 2000 */
  readonly slowMs?: number;
  /** @default 500 */
  readonly memoryMb?: number;
  /** Where the files of failing cases are written, one folder per case. */
  readonly keep?: string;
  readonly onResult?: (r: CaseResult) => void;
}

export interface FuzzSummary {
  readonly cases: number;
  readonly seed: number;
  readonly counts: Readonly<Record<Problem, number>>;
  readonly failures: readonly CaseResult[];
  readonly ms: number;
  /** The case with the most CPU time, and the one with the longest wall time. */
  readonly slowest: { readonly cpuMs: number; readonly index: number };
  readonly longest: { readonly ms: number; readonly index: number };
  readonly peakRssMb: number;
}

const LOCATED = /^[^\n]+?:\d+:\d+: /;
const rssMb = (): number => process.resourceUsage().maxRSS / 1024;

/** What a run of `validate` printed, reduced to what classifies it. */
class Stderr {
  readonly head: string[] = [];
  bug = false;
  located = 0;

  line(text: string): void {
    if (this.head.length < 12) this.head.push(text.length > 300 ? `${text.slice(0, 300)}…` : text);
    if (text.includes('This is a bug')) this.bug = true;
    if (LOCATED.test(text)) this.located++;
  }
}

function writeCase(dir: string, c: FuzzCase): void {
  for (const [file, content] of Object.entries(c.files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), content);
  }
  if (c.grow !== undefined) truncateSync(path.join(dir, c.topology), c.grow);
  for (const s of c.special) {
    const at = path.join(dir, s.path);
    mkdirSync(path.dirname(at), { recursive: true });
    if (s.type === 'dir') mkdirSync(at);
    else if (s.type === 'link') symlinkSync(s.target ?? '/dev/null', at);
    else if (spawnSync('mkfifo', [at]).status !== 0) throw new Error(`mkfifo ${at} failed`);
  }
}

const cpuMs = (since?: NodeJS.CpuUsage): number => {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1000;
};

async function inProcess(dir: string, c: FuzzCase, err: Stderr): Promise<{ code: number; ms: number; cpuMs: number }> {
  const io = { out: (): void => undefined, err: (l: string): void => err.line(l), style: NO_COLOURS, errStyle: NO_COLOURS, env: {}, cwd: dir };
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const code = await main(['validate', c.topology], io, new AbortController().signal);
  return { code, ms: performance.now() - t0, cpuMs: cpuMs(cpu0) };
}

const CHILD = path.join(ROOT, 'scripts/fuzz/child.ts');
const CHILD_DEADLINE_MS = 15_000;

/** Runs the case in `node scripts/fuzz/child.ts validate …`, which reports its exit code, time and peak RSS. */
function inChild(dir: string, c: FuzzCase, err: Stderr, memoryMb: number): Promise<{ code: number | null; ms: number; cpuMs: number; rssMb: number }> {
  const topology = path.isAbsolute(c.topology) ? c.topology : path.join(dir, c.topology);
  const child = spawn(process.execPath, [`--max-old-space-size=${memoryMb + 100}`, '--import', 'tsx', CHILD, 'validate', topology], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  let text = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    if (text.length < 1_000_000) text += d;
  });
  const t0 = performance.now();
  const timer = setTimeout(() => child.kill('SIGKILL'), CHILD_DEADLINE_MS);
  return new Promise((resolve) => {
    child.on('close', (code) => {
      clearTimeout(timer);
      const report = /^fuzz-child (.*)$/m.exec(text);
      for (const l of text.replace(/^fuzz-child .*$/m, '').split('\n').filter((l) => l !== '')) err.line(l);
      const parsed = report ? (JSON.parse(report[1] ?? '{}') as { code: number; ms: number; cpuMs: number; maxRss: number }) : undefined;
      const wall = performance.now() - t0;
      resolve(parsed ? { code: parsed.code, ms: parsed.ms, cpuMs: parsed.cpuMs, rssMb: parsed.maxRss / 1024 } : { code, ms: wall, cpuMs: wall, rssMb: code === null || code === 134 ? Infinity : 0 });
    });
  });
}

function classify(c: FuzzCase, run: { code: number | null; ms: number; cpuMs: number }, memory: boolean, err: Stderr, slowMs: number): Problem[] {
  const problems: Problem[] = [];
  const code = run.code;
  if (memory) problems.push('memory');
  else if (err.bug || (code !== 0 && code !== 2)) problems.push('internal');
  if (run.cpuMs > slowMs || run.ms > slowMs * 2.5) problems.push('slow');
  if (code === 2 && err.located === 0) problems.push('unlocated');
  if (c.mustRefuse && code !== 2) problems.push('injection');
  return problems;
}

function keepCase(dir: string, c: FuzzCase, r: CaseResult, seed: number): void {
  const at = path.join(dir, `case-${c.index}`);
  mkdirSync(at, { recursive: true });
  for (const [file, content] of Object.entries(c.files)) {
    mkdirSync(path.dirname(path.join(at, file)), { recursive: true });
    writeFileSync(path.join(at, file), content);
  }
  writeFileSync(path.join(at, 'case.json'), `${JSON.stringify({ seed, index: c.index, kind: c.kind, topology: c.topology, special: c.special, result: r }, null, 2)}\n`);
}

export async function runFuzz(o: FuzzOptions): Promise<FuzzSummary> {
  const slowMs = o.slowMs ?? 2000;
  const memoryMb = o.memoryMb ?? 500;
  const counts: Record<Problem, number> = { internal: 0, slow: 0, memory: 0, unlocated: 0, injection: 0 };
  const failures: CaseResult[] = [];
  const work = mkdtempSync(path.join(os.tmpdir(), 'orchestrate-fuzz-'));
  const gc = (globalThis as { gc?: () => void }).gc;
  const t0 = performance.now();
  let slowest = { cpuMs: 0, index: -1 };
  let longest = { ms: 0, index: -1 };
  try {
    for (let i = o.from ?? 0; i < (o.from ?? 0) + o.cases; i++) {
      const c = makeCase(ROOT, o.seed, i, o.only);
      const dir = path.join(work, `case-${i}`);
      writeCase(dir, c);
      const err = new Stderr();
      const before = rssMb();
      const run = c.child ? await inChild(dir, c, err, memoryMb) : { ...(await inProcess(dir, c, err)), rssMb: rssMb() };
      const memory = run.rssMb > memoryMb && (c.child || before <= memoryMb);
      const result: CaseResult = { index: i, kind: c.kind, exitCode: run.code, ms: Math.round(run.ms), cpuMs: Math.round(run.cpuMs), problems: classify(c, run, memory, err, slowMs), stderr: err.head };
      if (run.cpuMs > slowest.cpuMs) slowest = { cpuMs: Math.round(run.cpuMs), index: i };
      if (run.ms > longest.ms) longest = { ms: Math.round(run.ms), index: i };
      for (const p of result.problems) counts[p]++;
      if (result.problems.length > 0) {
        failures.push(result);
        if (o.keep !== undefined) keepCase(o.keep, c, result, o.seed);
      }
      o.onResult?.(result);
      rmSync(dir, { recursive: true, force: true });
      if (i % 50 === 0) gc?.();
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return { cases: o.cases, seed: o.seed, counts, failures, ms: performance.now() - t0, slowest, longest, peakRssMb: Math.round(rssMb()) };
}

/** `fuzz: 10000 cases, seed 1: 0 internal errors, 0 over 2 s, 0 over 500 MB, …`. */
export function summaryLine(s: FuzzSummary): string {
  const c = s.counts;
  return `fuzz: ${s.cases} cases, seed ${s.seed}: ${c.internal} internal errors, ${c.slow} over 2 s, ${c.memory} over 500 MB, ` +
    `${c.unlocated} refusals without a location, ${c.injection} injections accepted ` +
    `(${(s.ms / 1000).toFixed(1)} s; most CPU: case ${s.slowest.index}, ${(s.slowest.cpuMs / 1000).toFixed(2)} s; ` +
    `longest: case ${s.longest.index}, ${(s.longest.ms / 1000).toFixed(2)} s; peak RSS ${s.peakRssMb} MB)`;
}

export const failed = (s: FuzzSummary): boolean => Object.values(s.counts).some((n) => n > 0);
