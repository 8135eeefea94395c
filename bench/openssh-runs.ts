/**
 * `up` then `down` of small.yaml and medium.yaml against real OpenSSH servers (bench/openssh-fleet.ts:
 * 1 s boots, 0.3 s shutdowns, 0.3–1 s service starts, a libvirt hypervisor played by a script),
 * each action a whole `node bin/orchestrate.js` process, against the critical path of that fleet.
 * Skipped with a note where sshd cannot be started as root.
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { buildPlan } from '../lib/plan/index.js';
import { opensshUnavailable } from '../spec/support/openssh.js';
import { loadValid, ROOT } from '../spec/support/topologies.js';
import { opensshPath, startOpensshFleet } from './openssh-fleet.js';
import { check, formatNumber, median, row, type GroupResult, type Row } from './stats.js';

const GROUP = 'openssh';
const RUNS = 3;

async function one(name: string): Promise<Row[]> {
  const file = path.join(ROOT, 'topologies', `${name}.yaml`);
  const { topology, graph } = loadValid(file);
  const fleet = await startOpensshFleet(topology);
  const walls = { up: [] as number[], down: [] as number[] };
  try {
    for (let i = 0; i < RUNS; i++) {
      for (const action of ['up', 'down'] as const) {
        const t = performance.now();
        const r = spawnSync(process.execPath, [path.join(ROOT, 'bin/orchestrate.js'), '--state-dir', path.join(fleet.dir, 'state-dir'), action, file, '--fleet', fleet.dir], { encoding: 'utf8' });
        walls[action].push(performance.now() - t);
        check(r.status === 0, `${action} of ${name} against real OpenSSH succeeds: ${r.stdout.slice(-400)}${r.stderr.slice(-400)}`);
      }
    }
  } finally {
    fleet.stop();
  }
  return (['up', 'down'] as const).map((action) => {
    const p = opensshPath(topology, buildPlan(topology, graph, action));
    return row(GROUP, `${name}.yaml (${topology.hosts.length} VMs): ${action}, wall (path ${formatNumber(p)} ms)`, walls[action], {
      note: `wall/path ${(median(walls[action]) / p).toFixed(2)} (target ${action === 'up' ? '1.2' : '1.3'}); whole process`,
    });
  });
}

export async function runOpensshFleet(): Promise<GroupResult> {
  const title = 'Real OpenSSH hosts: up then down (1 s boots, 0.3 s shutdowns, 0.3–1 s service starts)';
  const why = opensshUnavailable() ?? (os.userInfo().uid === 0 ? undefined : 'needs root: every VM is an sshd logging in as root');
  if (why !== undefined) return { title, rows: [], notes: [`skipped: ${why}`] };
  const rows: Row[] = [];
  for (const name of ['small', 'medium']) rows.push(...(await one(name)));
  return {
    title, rows,
    notes: [
      'each VM is its own sshd on 127.0.0.1; the hypervisor is an sshd whose virsh is a script; systemctl, mysql, curl … are scripts (a few ms each)',
      'path: boots, unit starts and JBoss deploy along the dependency chain, commands costing nothing',
    ],
  };
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  const r = await runOpensshFleet();
  for (const x of r.rows) process.stdout.write(`${x.name}: median ${formatNumber(x.median)} ms, p90 ${formatNumber(x.p90)} ms (${x.note ?? ''})\n`);
  for (const n of r.notes) process.stdout.write(`- ${n}\n`);
}
