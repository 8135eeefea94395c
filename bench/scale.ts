/**
 * Scale: `up` then `down` of generated jtel topologies (spec/support/jtel-topology.ts: 100, 300
 * and 1,000 hosts) and of small.yaml and large.yaml, each against a simulated fleet running as its
 * own process (`fleet up --detach`), each action a whole `node bin/orchestrate.js` process,
 * checked with verifyRun (the order `fleet verify` checks). Reports each action's wall time
 * (process start to exit: Node's start, loading and planning included), its critical path
 * (lib/fleet/critical-path.ts: the shortest wall time the plan and the fleet's models allow,
 * commands costing nothing but the fleet's latency) and their ratio, failures, the CPU the
 * controller and the fleet used, and the machine's load before and after.
 *
 * Time scale 1 (the fleet's real durations: 20 s boots): at 1,000 hosts the last tier (993 web
 * and telephony servers, booted together) gives the controller 31.5 s from power-on to the last
 * check, against ~12 s of CPU that connecting to and checking 993 hosts takes it today (about
 * 12 ms per host, measured). At 0.1 it would have 3.2 s for the same 12 s of work: CPU-bound by
 * design, measuring the handshakes' CPU rather than the scheduling. The latency cases add
 * 200ms±100ms before every command (simulated time: at scale 1, real milliseconds).
 *
 *   node --import tsx bench/scale.ts [--sizes 100,300,1000] [--runs N] [--time-scale X]
 *                                    [--no-latency] [--latency-only] [--no-named]
 *
 * `--runs` applies to 1,000 hosts (default 5); other sizes run once, the named topologies 3
 * times. The whole default set takes about an hour. The controller is build/ (npm run build), or
 * BENCH_ORCHESTRATE=/path/to/bin/orchestrate.js.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { stringify } from 'yaml';
import { criticalPath, fleetBehaviour, parseFleetLog, parseLatency, verifyRun, type FleetEvent, type FleetFile } from '../lib/fleet/index.js';
import { buildPlan, type Action } from '../lib/plan/index.js';
import { applyOverlay, type FleetOverlay } from '../lib/topology/index.js';
import { jtelTopology } from '../spec/support/jtel-topology.js';
import { loadValid, ROOT } from '../spec/support/topologies.js';
import { machine, textTable } from './report.js';
import { formatNumber, median, row, type GroupResult, type Row } from './stats.js';

const GROUP = 'scale';
/** The CLI measured (fleet and controller): bin/orchestrate.js, or BENCH_ORCHESTRATE (a snapshot of bin/ and build/, so that a rebuild during a long run changes nothing). */
const ORCHESTRATE = process.env.BENCH_ORCHESTRATE ?? path.join(ROOT, 'bin/orchestrate.js');
const LATENCY = '200ms±100ms';

export interface ScaleOptions {
  readonly sizes?: readonly number[];
  /** Runs at 1,000 hosts. @default 5 */
  readonly runs?: number;
  /** @default 1 */
  readonly timeScale?: number;
  /** Which latency cases: without, with 200ms±100ms, or both. @default both */
  readonly latency?: 'without' | 'with' | 'both';
  /** small.yaml and large.yaml with 1 s boots and 300 ms shutdowns. @default true */
  readonly named?: boolean;
}

interface Case {
  readonly label: string;
  readonly file: string;
  readonly fleetFile?: FleetFile;
  readonly latency?: string;
  readonly runs: number;
  /** Targets the team compares against (wall / critical path), by action. */
  readonly target: Readonly<Record<Action, number>>;
}

interface ActionRun {
  readonly wallMs: number;
  readonly ok: boolean;
  readonly controllerCpuS: number;
  readonly fleetCpuS: number;
  readonly problem?: string;
}

interface CaseResult {
  readonly kase: Case;
  readonly pathMs: Readonly<Record<Action, number>>;
  readonly runs: Readonly<Record<Action, ActionRun[]>>;
  readonly load: { readonly before: string; readonly after: string };
}

const loadavg = (): string => os.loadavg().map((l) => l.toFixed(2)).join(' ');

/** Runs `node bin/orchestrate.js ARGS` in its own process; its wall time, exit code and CPU (bash's `times`). */
function orchestrate(args: readonly string[], log: string): Promise<{ code: number; wallMs: number; cpuS: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn('bash', ['-c', 'node "$@" >"$LOG" 2>&1; rc=$?; times; exit $rc', 'orchestrate', ORCHESTRATE, ...args], {
      cwd: ROOT, env: { ...process.env, LOG: log }, stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = performance.now() - t0;
      // `times`: the shell's own user and system time, then its children's.
      const children = out.trim().split('\n').at(-1) ?? '';
      const cpuS = [...children.matchAll(/(\d+)m([\d.]+)s/g)].reduce((s, m) => s + Number(m[1]) * 60 + Number(m[2]), 0);
      resolve({ code: code ?? 1, wallMs, cpuS });
    });
  });
}

/** CPU seconds a process has used so far (Linux /proc), 0 where unknown. */
function cpuOf(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

interface FleetProcess {
  readonly dir: string;
  readonly pid: number;
}

async function startFleetProcess(kase: Case, work: string, timeScale: number): Promise<FleetProcess> {
  const dir = path.join(work, 'fleet');
  const extra: string[] = [];
  if (kase.fleetFile) {
    writeFileSync(path.join(work, 'fleet.yaml'), stringify(kase.fleetFile));
    extra.push('--fleet-file', path.join(work, 'fleet.yaml'));
  }
  if (kase.latency !== undefined) extra.push('--latency', kase.latency);
  const started = await orchestrate(['--state-dir', path.join(work, 'state'), 'fleet', 'up', kase.file, '--detach', '--time-scale', String(timeScale), '--state', dir, ...extra], path.join(work, 'fleet-start.log'));
  if (started.code !== 0) throw new Error(`the fleet of ${kase.label} did not start: ${readFileSync(path.join(work, 'fleet-start.log'), 'utf8').slice(-2000)}`);
  return { dir, pid: Number(readFileSync(path.join(dir, 'fleet.pid'), 'utf8')) };
}

async function stopFleetProcess(fleet: FleetProcess, work: string): Promise<void> {
  await orchestrate(['fleet', 'down', '--state', fleet.dir], path.join(work, 'fleet-stop.log'));
}

function events(fleet: FleetProcess): FleetEvent[] {
  return parseFleetLog(readFileSync(path.join(fleet.dir, 'events.jsonl'), 'utf8')).events;
}

/** One action as its own process, then verifyRun on the events it caused. */
async function runAction(kase: Case, fleet: FleetProcess, work: string, action: Action, n: number): Promise<ActionRun> {
  const { topology, graph } = loadValid(kase.file);
  const from = events(fleet).at(-1)?.seq ?? 0;
  const cpu0 = cpuOf(fleet.pid);
  const log = path.join(work, `${action}-${n}.log`);
  const r = await orchestrate(['--state-dir', path.join(work, 'state'), action, kase.file, '--fleet', fleet.dir], log);
  await new Promise((resolve) => setTimeout(resolve, 200)); // the fleet writes its log once per event-loop turn
  const fleetCpuS = cpuOf(fleet.pid) - cpu0;
  const overlay = JSON.parse(readFileSync(path.join(fleet.dir, 'fleet.json'), 'utf8')) as FleetOverlay;
  const pointed = applyOverlay(topology, overlay);
  const violations = 'topology' in pointed ? verifyRun(buildPlan(pointed.topology, graph, action), events(fleet).filter((e) => e.seq > from)) : [];
  const ok = r.code === 0 && violations.length === 0;
  const tail = readFileSync(log, 'utf8').trim().split('\n').filter((l) => l.trim() !== '').slice(-3).join(' / ');
  const problem = r.code !== 0 ? `exit ${r.code}: ${tail}` : violations.length > 0 ? `${violations.length} violations, first: ${violations[0]?.message ?? ''}` : undefined;
  return { wallMs: r.wallMs, ok, controllerCpuS: r.cpuS, fleetCpuS, ...(problem === undefined ? {} : { problem }) };
}

function pathsOf(kase: Case, timeScale: number): Record<Action, number> {
  const { topology, graph } = loadValid(kase.file);
  const latency = kase.latency === undefined ? undefined : parseLatency(kase.latency);
  const behaviour = fleetBehaviour({ ...(kase.fleetFile ? { file: kase.fleetFile } : {}), ...(latency !== undefined && typeof latency !== 'string' ? { latency } : {}) });
  const of = (action: Action): number => criticalPath({ topology, plan: buildPlan(topology, graph, action), behaviour, timeScale }).ms;
  return { up: of('up'), down: of('down') };
}

async function runCase(kase: Case, timeScale: number): Promise<CaseResult> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'orchestrate-bench-scale-'));
  const before = loadavg();
  const runs: Record<Action, ActionRun[]> = { up: [], down: [] };
  let fleet = await startFleetProcess(kase, work, timeScale);
  try {
    for (let n = 1; n <= kase.runs; n++) {
      process.stderr.write(`  ${kase.label}: run ${n}/${kase.runs} …`);
      const up = await runAction(kase, fleet, work, 'up', n);
      const down = await runAction(kase, fleet, work, 'down', n);
      runs.up.push(up);
      runs.down.push(down);
      process.stderr.write(` up ${(up.wallMs / 1000).toFixed(1)} s${up.ok ? '' : ' FAILED'}, down ${(down.wallMs / 1000).toFixed(1)} s${down.ok ? '' : ' FAILED'}\n`);
      if ((!up.ok || !down.ok) && n < kase.runs) {
        // Start the next run from a clean fleet: every VM off, nothing left half done.
        await stopFleetProcess(fleet, work);
        fleet = await startFleetProcess(kase, path.join(work, `restart-${n}`), timeScale);
      }
    }
  } finally {
    await stopFleetProcess(fleet, work);
    if (!process.env.BENCH_KEEP) rmSync(work, { recursive: true, force: true });
  }
  return { kase, pathMs: pathsOf(kase, timeScale), runs, load: { before, after: loadavg() } };
}

/** The generated topologies (in a temporary directory) and the named ones, as cases. */
function casesOf(options: ScaleOptions, dir: string): Case[] {
  const sizes = options.sizes ?? [100, 300, 1000];
  const latencies = options.latency === 'with' ? [LATENCY] : options.latency === 'without' ? [undefined] : [undefined, LATENCY];
  const cases: Case[] = [];
  for (const latency of latencies) {
    for (const hosts of sizes) {
      const file = path.join(dir, `jtel-${hosts}.yaml`);
      writeFileSync(file, jtelTopology({ hosts }));
      const limit = latency !== undefined ? 1.5 : hosts >= 1000 ? 1.3 : 1.15;
      cases.push({ label: `jtel ${hosts} hosts${latency === undefined ? '' : `, latency ${latency}`}`, file, runs: hosts >= 1000 ? options.runs ?? 5 : 1, target: { up: limit, down: limit }, ...(latency === undefined ? {} : { latency }) });
    }
  }
  if (options.named !== false && options.latency !== 'with') {
    const fleetFile: FleetFile = { defaults: { boot: '1s', shutdown: '300ms' } };
    for (const name of ['small', 'large']) {
      cases.push({ label: `${name}.yaml, boot 1 s, shutdown 300 ms`, file: path.join(ROOT, `topologies/${name}.yaml`), fleetFile, runs: 3, target: { up: 1.2, down: 1.3 } });
    }
  }
  return cases;
}

const secs = (ms: number): string => `${formatNumber(ms / 1000)} s`;

function rowsOf(r: CaseResult): Row[] {
  return (['up', 'down'] as const).map((action) => {
    const runs = r.runs[action];
    const good = runs.filter((x) => x.ok).map((x) => x.wallMs);
    const walls = good.length > 0 ? good : runs.map((x) => x.wallMs);
    const ratio = median(walls) / r.pathMs[action];
    const failed = runs.length - good.length;
    const cpu = (f: (x: ActionRun) => number): string => formatNumber(median(runs.map(f)));
    const note = `path ${secs(r.pathMs[action])}; wall/path ${ratio.toFixed(2)} (target ≤ ${r.kase.target[action]}); failed ${failed}/${runs.length}; CPU s: controller ${cpu((x) => x.controllerCpuS)}, fleet ${cpu((x) => x.fleetCpuS)}`;
    return row(GROUP, `${r.kase.label}: ${action}, wall`, walls, { note });
  });
}

export async function runScale(options: ScaleOptions = {}): Promise<GroupResult> {
  const timeScale = options.timeScale ?? 1;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'orchestrate-bench-topologies-'));
  const notes = [
    `time scale ${timeScale}: boot ${secs(20_000 * timeScale)}, settle ${secs(3000 * timeScale)}, shutdown ${secs(8000 * timeScale)} (the named topologies: boot 1 s, shutdown 300 ms); wall from process start to exit, median over the runs that passed`,
  ];
  const rows: Row[] = [];
  const stale = process.env.BENCH_ORCHESTRATE === undefined ? staleBuild() : undefined;
  if (stale) notes.push(stale);
  if (process.env.BENCH_ORCHESTRATE !== undefined) notes.push(`CLI measured: ${process.env.BENCH_ORCHESTRATE}`);
  try {
    for (const kase of casesOf(options, dir)) {
      const r = await runCase(kase, timeScale);
      rows.push(...rowsOf(r));
      notes.push(`${kase.label}: load average before ${r.load.before}, after ${r.load.after}`);
      for (const action of ['up', 'down'] as const) {
        r.runs[action].forEach((x, i) => {
          if (x.problem !== undefined) notes.push(`${kase.label}: ${action} run ${i + 1} failed: ${x.problem.slice(0, 300)}`);
        });
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { title: `Scale: up then down against a fleet process (time scale ${timeScale}), wall time against the critical path`, rows, notes };
}

/** A warning when build/ (which bin/orchestrate.js runs) is older than lib/. */
function staleBuild(): string | undefined {
  const built = path.join(ROOT, 'build/lib/cli/bin.js');
  if (!existsSync(built)) return 'build/ is missing: run npm run build';
  const newest = (d: string): number => Math.max(0, ...readdirRecursive(d).map((f) => statSync(f).mtimeMs));
  return newest(path.join(ROOT, 'lib')) > statSync(built).mtimeMs ? 'build/ is older than lib/: the controller measured may not be the current source (npm run build)' : undefined;
}

function readdirRecursive(dir: string): string[] {
  const out: string[] = [];
  for (const entry of (existsSync(dir) ? readdirSync(dir, { withFileTypes: true }) : [])) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...readdirRecursive(p));
    else out.push(p);
  }
  return out;
}

function parseArgs(argv: readonly string[]): ScaleOptions {
  const value = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const sizes = value('--sizes');
  const runs = value('--runs');
  const timeScale = value('--time-scale');
  return {
    ...(sizes === undefined ? {} : { sizes: sizes.split(',').filter((s) => s.trim() !== '').map(Number) }),
    ...(runs === undefined ? {} : { runs: Number(runs) }),
    ...(timeScale === undefined ? {} : { timeScale: Number(timeScale) }),
    latency: argv.includes('--no-latency') ? 'without' : argv.includes('--latency-only') ? 'with' : 'both',
    named: !argv.includes('--no-named'),
  };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const m = machine();
  process.stderr.write(`bench/scale: Node ${m.node}, ${m.cpus} × ${m.model}, load ${m.load}\n`);
  mkdirSync(os.tmpdir(), { recursive: true });
  const result = await runScale(parseArgs(process.argv.slice(2)));
  process.stdout.write(`${textTable([result])}\n`);
}
