/**
 * `npm run faults`: the fault matrix. Each scenario puts a fault on one machine of large.yaml's
 * simulated fleet, runs a command (up, down, failover, failback) which may fail, clears the fault,
 * runs the same command again, and checks that the rerun succeeded, that the platform is in the
 * command's target state, and that the fleet's evidence of both runs keeps the runbook order
 * (fleet verify, for up and down). Prints each scenario and "N of M scenarios recover".
 *
 *   node --import tsx bench/faults.ts [--only TEXT] [--time-scale X]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { main } from '../lib/cli/main.js';
import { parseFault, startFleet, type RunningFleet } from '../lib/fleet/index.js';
import { NO_COLOURS } from '../lib/reporters/index.js';
import { SshTransport } from '../lib/transport/index.js';
import { loadValid, ROOT } from '../spec/support/topologies.js';

export type Action = 'up' | 'down' | 'failover' | 'failback';

export interface Scenario {
  readonly action: Action;
  readonly host: string;
  /** As `fleet up --fault` takes it: `hang=systemctl stop jboss`. */
  readonly fault: string;
}

const at = (action: Action, host: string, ...faults: string[]): Scenario[] => faults.map((fault) => ({ action, host, fault }));

/** Every fault where it bites, for each command. */
export const SCENARIOS: readonly Scenario[] = [
  ...at('up', 'acd-dbm1', 'never-boots', 'slow-boot=200s', 'hang=systemctl start mysqld', 'unhealthy=mysqladmin ping'),
  ...at('up', 'acd-jb1', 'auth-refused', 'degraded', 'service-crashes=jboss:2'),
  ...at('up', 'acd-store1', 'drop=drbdadm up', 'pcs-failed-action', 'drbd-peer-unreachable'),
  ...at('up', 'acd-dbs1', 'replication-broken'),
  ...at('down', 'acd-jb1', 'hang=systemctl stop jboss', 'shutdown-hangs', 'auth-refused', 'drop=systemctl stop jboss'),
  ...at('down', 'acd-store1', 'drop=drbdadm down', 'pcs-failed-action', 'drbd-peer-unreachable'),
  ...at('down', 'acd-dbm1', 'hang=systemctl stop mysqld'),
  ...at('failover', 'acd-store1', 'hang=pcs cluster standby', 'pcs-failed-action'),
  ...at('failover', 'acd-store2', 'drbd-peer-unreachable', 'drop=drbdadm down'),
  ...at('failover', 'acd-jb2', 'shutdown-hangs', 'hang=systemctl stop jboss'),
  ...at('failback', 'acd-jb2', 'slow-boot=200s', 'unhealthy=curl', 'never-boots'),
  ...at('failback', 'acd-store1', 'hang=pcs cluster unstandby', 'pcs-failed-action'),
  ...at('failback', 'acd-store2', 'drbd-peer-unreachable'),
  ...at('failback', 'acd-dbs2', 'replication-broken'),
];

const FILE = 'topologies/large.yaml';

export interface ScenarioResult {
  readonly scenario: Scenario;
  readonly first: number | 'no end';
  readonly rerun: number | 'no end';
  readonly recovered: boolean;
  /** Why not, in one line. */
  readonly why?: string;
  readonly ms: number;
}

async function cli(args: string[], limitMs: number): Promise<{ code: number | 'no end'; out: string }> {
  const out: string[] = [];
  const io = { out: (l: string) => out.push(l), err: (l: string) => out.push(l), style: NO_COLOURS, errStyle: NO_COLOURS, env: {}, cwd: ROOT };
  const stop = new AbortController();
  const timer = setTimeout(() => stop.abort(new Error('the rehearsal gave up waiting')), limitMs);
  try {
    const code = await main(args, io, stop.signal);
    return { code: stop.signal.aborted ? 'no end' : code, out: out.join('\n') };
  } finally {
    clearTimeout(timer);
  }
}

function setFaults(fleet: RunningFleet, host: string, fault: string | undefined): void {
  const vm = fleet.world.vms.get(host);
  if (!vm) throw new Error(`no VM ${host}`);
  const parsed = fault === undefined ? undefined : parseFault(fault);
  if (typeof parsed === 'string') throw new Error(parsed);
  vm.setFaults(parsed ? [parsed] : []);
}

/** Runs one scenario on a fleet of its own. */
export async function runScenario(s: Scenario, options: { timeScale?: number; limitMs?: number } = {}): Promise<ScenarioResult> {
  const t0 = performance.now();
  const { topology } = loadValid(path.join(ROOT, FILE));
  const dir = mkdtempSync(path.join(os.tmpdir(), 'orchestrate-faults-'));
  const fleet = await startFleet({ topology, dir, timeScale: options.timeScale ?? 0.005, warm: s.action !== 'up' });
  const limit = options.limitMs ?? 60_000;
  const run = (action: string, ...more: string[]): Promise<{ code: number | 'no end'; out: string }> =>
    cli(['--state-dir', path.join(dir, 'state'), action, FILE, '--fleet', dir, ...(action === 'failover' || action === 'failback' ? ['--side', 'b'] : []), ...more], limit);
  const done = (r: Omit<ScenarioResult, 'scenario' | 'ms'>): ScenarioResult => ({ scenario: s, ...r, ms: Math.round(performance.now() - t0) });
  try {
    if (s.action === 'failback') {
      const pre = await run('failover');
      if (pre.code !== 0) return done({ first: 'no end', rerun: 'no end', recovered: false, why: `the failover before it failed: ${lastLine(pre.out)}` });
    }
    const from = fleet.world.log.events.length;
    setFaults(fleet, s.host, s.fault);
    const first = await run(s.action);
    setFaults(fleet, s.host, undefined);
    // A failover or failback that got through despite the fault has nothing left to do (a second
    // one is rightly refused: the side is already down, or back); up and down are run again.
    let again = first.code === 0 && (s.action === 'failover' || s.action === 'failback') ? first : await run(s.action);
    // A failure that names its way back (a VM hung at boot: reset it) is taken at its word, once.
    const wayBack = again.code === 0 ? undefined : /reset it \((.+?) on (\S+)\)/.exec(again.out);
    if (wayBack?.[1] !== undefined && wayBack[2] !== undefined) {
      await onHypervisor(fleet, wayBack[2], wayBack[1]);
      again = await run(s.action);
    }
    if (again.code !== 0) return done({ first: first.code, rerun: again.code, recovered: false, why: lastLines(again.out) });
    const problems = await endState(fleet, s.action, run);
    if (s.action === 'up' || s.action === 'down') {
      const part = path.join(dir, 'part.jsonl');
      writeFileSync(part, fleet.world.log.events.slice(from).map((e) => JSON.stringify(e)).join('\n') + '\n');
      const v = await cli(['fleet', 'verify', part, '--topology', FILE, '--action', s.action], limit);
      if (v.code !== 0) problems.push(`fleet verify: ${lastLines(v.out)}`);
    }
    return done({ first: first.code, rerun: again.code, recovered: problems.length === 0, ...(problems.length > 0 ? { why: problems.join('; ') } : {}) });
  } finally {
    await fleet.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What is wrong with the platform after the rerun, for the command's target state. */
async function endState(fleet: RunningFleet, action: Action, run: (a: string) => Promise<{ code: number | 'no end'; out: string }>): Promise<string[]> {
  const hosts = fleet.world.topology.hosts;
  const want = (h: { side?: string }): string => (action === 'down' || (action === 'failover' && h.side === 'b') ? 'off' : 'running');
  const wrong = hosts.filter((h) => fleet.world.vms.get(h.name)?.power !== want(h)).map((h) => `${h.name} ${fleet.world.vms.get(h.name)?.power ?? '?'}`);
  const out = wrong.length > 0 ? [`not in the target state: ${wrong.join(', ')}`] : [];
  if (action === 'up' || action === 'failback') {
    const check = await run('check');
    if (check.code !== 0) out.push(`check: ${check.out.split('\n').filter((l) => / FAIL /.test(l)).slice(0, 3).join(' | ')}`);
  }
  return out;
}

/** Runs a command on a hypervisor of the fleet over SSH, as the operator would. */
async function onHypervisor(fleet: RunningFleet, name: string, command: string): Promise<void> {
  const at = fleet.overlay.hypervisors[name];
  const base = fleet.world.topology.hypervisors.get(name);
  if (!at || !base) throw new Error(`no hypervisor ${name}`);
  const transport = new SshTransport();
  try {
    const endpoint = { ...base, address: at.address, port: at.port, identity: fleet.overlay.identity, knownHosts: [fleet.overlay.knownHosts], globalKnownHosts: [], agent: false };
    const r = await transport.exec(endpoint, command, { signal: new AbortController().signal, timeoutMs: 10_000 });
    if (r.outcome !== 'exited' || r.exitCode !== 0) throw new Error(`${command} on ${name}: ${r.outcome} ${String(r.exitCode)} ${r.stderr}`);
  } finally {
    await transport.close();
  }
}

const lastLine = (text: string): string => text.trim().split('\n').at(-1) ?? '';
const lastLines = (text: string): string => text.trim().split('\n').slice(-3).map((l) => l.trim()).join(' | ');

export const describeScenario = (s: Scenario): string => `${s.action} with ${s.fault} on ${s.host}`;

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const only = process.argv.indexOf('--only') >= 0 ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
  const scale = process.argv.indexOf('--time-scale') >= 0 ? Number(process.argv[process.argv.indexOf('--time-scale') + 1]) : undefined;
  const chosen = SCENARIOS.filter((s) => only === undefined || describeScenario(s).includes(only));
  let ok = 0;
  for (const s of chosen) {
    const r = await runScenario(s, scale === undefined ? {} : { timeScale: scale });
    if (r.recovered) ok++;
    process.stdout.write(`${r.recovered ? 'recovers' : 'STUCK   '}  ${describeScenario(s).padEnd(58)} first ${String(r.first).padStart(6)}, rerun ${String(r.rerun).padStart(6)}  ${(r.ms / 1000).toFixed(1)}s${r.why ? `\n          ${r.why}` : ''}\n`);
  }
  process.stdout.write(`${ok} of ${chosen.length} scenarios recover\n`);
  process.exitCode = ok === chosen.length ? 0 : 1;
}
