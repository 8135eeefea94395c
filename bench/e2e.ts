/**
 * End to end: `orchestrate up` then `down` through main(), over real SSH (ssh2 client and
 * in-process ssh2 servers) against simulated VMs and hypervisors that take `bootMs` to boot and
 * `shutdownMs` to power off. Reports wall times and the orchestration overhead: wall time minus
 * the critical path of the simulated waits.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { main } from '../lib/cli/main.js';
import type { Action, Plan } from '../lib/plan/index.js';
import { buildPlan } from '../lib/plan/index.js';
import { NO_COLOURS } from '../lib/reporters/index.js';
import { SshFixture } from '../spec/support/ssh-fixture.js';
import { loadValid, PLAYBOOKS, ROOT } from '../spec/support/topologies.js';
import { MiniPlatform } from '../spec/support/mini-platform.js';
import { check, formatMs, median, row, timed, type GroupResult, type Row } from './stats.js';

const BOOT_MS = 30;
const SHUTDOWN_MS = 30;
const GROUP = 'end to end';

type Doc = Record<string, unknown>;

function record(value: unknown): Doc {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Doc) : {};
}

/** Which hypervisor each host's VM is on: its own power.hypervisor, else the default one. */
function placement(doc: Doc): Map<string, string> {
  const fallback = record(record(doc['defaults'])['power'])['hypervisor'];
  const out = new Map<string, string>();
  for (const [name, host] of Object.entries(record(doc['hosts']))) {
    const hv = record(record(host)['power'])['hypervisor'] ?? fallback;
    check(typeof hv === 'string', `${name} has a hypervisor`);
    out.set(name, String(hv));
  }
  return out;
}

/** The repository topology, pointed at the simulated platform; returns the file written. */
function writeTopology(doc: Doc, fx: SshFixture, platform: MiniPlatform, name: string): string {
  doc['playbooks'] = PLAYBOOKS;
  doc['defaults'] = {
    ...record(doc['defaults']), identity: fx.identity, known_hosts: fx.knownHosts,
    timeouts: { boot: '10s', shutdown: '10s', connect: '2s', poll: '10ms' },
  };
  const hypervisors = record(doc['hypervisors']);
  for (const [hv, host] of platform.hypervisors) hypervisors[hv] = { address: host.address, port: host.port };
  for (const [vm, host] of Object.entries(record(doc['hosts']))) {
    const sim = platform.vms.get(vm);
    check(sim !== undefined, `a simulated VM for ${vm}`);
    Object.assign(record(host), { address: sim?.address, port: sim?.port });
  }
  const file = path.join(fx.dir, name);
  writeFileSync(file, stringify(doc));
  return file;
}

/**
 * The least time the simulated waits alone take: a host starts once everything it waits for is
 * done (`after`: merely started), then takes `ms`. Equals waves × ms when no `after` link shortens it.
 */
export function criticalPath(plan: Plan, ms: number): number {
  const hosts = new Map(plan.hosts.map((h) => [h.name, h]));
  const starts = new Map<string, number>();
  const start = (name: string): number => {
    const known = starts.get(name);
    if (known !== undefined) return known;
    const value = (hosts.get(name)?.waitsFor ?? []).reduce((max, l) => Math.max(max, l.kind === 'after' ? start(l.host) : start(l.host) + ms), 0);
    starts.set(name, value);
    return value;
  };
  return Math.max(0, ...plan.hosts.map((h) => start(h.name) + ms));
}

async function cli(args: readonly string[], cwd: string): Promise<void> {
  const lines: string[] = [];
  const io = { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l), style: NO_COLOURS, errStyle: NO_COLOURS, env: {}, cwd };
  const code = await main(args, io, new AbortController().signal);
  check(code === 0, `orchestrate ${args.join(' ')} exits 0 (got ${code}):\n${lines.slice(-15).join('\n')}`);
}

interface Scenario {
  readonly label: string;
  readonly file: string;
  readonly cycles: number;
}

async function runScenario(s: Scenario): Promise<Row[]> {
  const fx = new SshFixture();
  try {
    const doc = record(parse(readFileSync(path.join(ROOT, s.file), 'utf8')));
    const platform = new MiniPlatform(fx, { bootMs: BOOT_MS, shutdownMs: SHUTDOWN_MS });
    const where = placement(doc);
    await platform.start(where);
    const file = writeTopology(doc, fx, platform, path.basename(s.file));
    const { topology, graph } = loadValid(file);
    const paths = new Map<Action, { waves: number; cp: number }>();
    for (const [action, ms] of [['up', BOOT_MS], ['down', SHUTDOWN_MS]] as const) {
      const plan = buildPlan(topology, graph, action);
      paths.set(action, { waves: plan.waves.length, cp: criticalPath(plan, ms) });
    }
    const state = path.join(fx.dir, 'state');
    const walls: Record<Action, number[]> = { up: [], down: [] };
    await cli(['--state-dir', state, 'up', file], fx.dir); // warm-up cycle (JIT, imports), not counted
    await cli(['--state-dir', state, 'down', file], fx.dir);
    for (let i = 0; i < s.cycles; i++) {
      walls.up.push(await timed(() => cli(['--state-dir', state, 'up', file], fx.dir)));
      check(platform.allOn(), `every VM of ${s.label} is on after up`);
      walls.down.push(await timed(() => cli(['--state-dir', state, 'down', file], fx.dir)));
      check(platform.allOff(), `every VM of ${s.label} is off after down`);
    }
    const label = `${s.label} (${where.size} VMs, ${platform.hypervisors.size} hypervisor${platform.hypervisors.size === 1 ? '' : 's'})`;
    return (['up', 'down'] as const).flatMap((action) => {
      const p = paths.get(action) ?? { waves: 0, cp: 0 };
      const note = `${p.waves} waves; simulated waits ≥ ${p.cp} ms`;
      const overhead = walls[action].map((w) => w - p.cp);
      const perWave = formatMs(median(overhead) / Math.max(1, p.waves));
      return [
        row(GROUP, `${label}: ${action}, wall`, walls[action], { per: where.size, unit: 'hosts', note }),
        row(GROUP, `${label}: ${action}, overhead`, overhead, { note: `wall − simulated waits; ≈ ${perWave} ms per wave` }),
      ];
    });
  } finally {
    await fx.close();
  }
}

export async function runE2e(): Promise<GroupResult> {
  const rows = [
    ...(await runScenario({ label: 'small.yaml', file: 'topologies/small.yaml', cycles: 5 })),
    ...(await runScenario({ label: 'medium.yaml', file: 'topologies/medium.yaml', cycles: 5 })),
  ];
  return {
    title: `End to end: up then down, boot ${BOOT_MS} ms, shutdown ${SHUTDOWN_MS} ms, poll 10 ms`,
    rows,
    notes: ['medium.yaml keeps its two hypervisors (kvm1, kvm2): the simulated platform (spec/support/mini-platform.ts) simulates each, with only its own VMs.'],
  };
}
