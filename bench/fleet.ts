/**
 * The simulated fleet: start it, then `up` and `down` of each shipped topology through main()
 * with `--fleet`, over real SSH, at time scale 0.01 (a 20 s boot takes 200 ms). Reports the
 * fleet's start-up time and the wall time of up and down, checked with fleet verify; for
 * topologies with sides, also a failover and failback of side b between them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../lib/cli/main.js';
import { startFleet, verifyRun } from '../lib/fleet/index.js';
import { buildPlan } from '../lib/plan/index.js';
import { NO_COLOURS } from '../lib/reporters/index.js';
import { applyOverlay } from '../lib/topology/index.js';
import { loadValid, ROOT } from '../spec/support/topologies.js';
import { check, now, row, type GroupResult, type Row } from './stats.js';

const SCALE = 0.01;
const GROUP = 'fleet';

async function cli(args: string[]): Promise<number> {
  const io = { out: () => undefined, err: () => undefined, style: NO_COLOURS, errStyle: NO_COLOURS, env: {}, cwd: ROOT };
  return main(args, io, new AbortController().signal);
}

async function one(name: string): Promise<Row[]> {
  const file = `topologies/${name}.yaml`;
  const { topology, graph } = loadValid(path.join(ROOT, file));
  const dir = mkdtempSync(path.join(os.tmpdir(), 'orchestrate-bench-fleet-'));
  const t0 = now();
  const fleet = await startFleet({ topology, dir, timeScale: SCALE });
  const startMs = now() - t0;
  try {
    const rows: Row[] = [row(GROUP, `${name}.yaml (${topology.hosts.length} VMs): start the fleet`, [startMs])];
    for (const action of ['up', 'down'] as const) {
      const from = fleet.world.log.events.length;
      const t = now();
      const code = await cli(['--state-dir', path.join(dir, 'state'), action, file, '--fleet', dir]);
      const wall = now() - t;
      check(code === 0, `${action} of ${name} against the fleet succeeds`);
      const pointed = applyOverlay(topology, fleet.overlay);
      check('topology' in pointed && verifyRun(buildPlan('topology' in pointed ? pointed.topology : topology, graph, action), fleet.world.log.events.slice(from)).length === 0, `${action} of ${name} keeps the runbook order`);
      rows.push(row(GROUP, `${name}.yaml: ${action}, wall`, [wall], { per: topology.hosts.length, unit: 'hosts', note: `time scale ${SCALE}: boot 200 ms, shutdown 80 ms` }));
      if (action === 'up') rows.push(await checkRow(name, file, dir, topology.hosts.length));
      if (action === 'up' && topology.hosts.some((h) => h.side === 'b')) rows.push(...(await sides(name, file, dir, topology.hosts.filter((h) => h.side === 'b').length)));
    }
    return rows;
  } finally {
    await fleet.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `orchestrate check` of the platform just brought up: every check once, in parallel (5 samples). */
async function checkRow(name: string, file: string, dir: string, hosts: number): Promise<Row> {
  const samples: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = now();
    const code = await cli(['check', file, '--fleet', dir]);
    samples.push(now() - t);
    check(code === 0, `check of ${name} after up passes`);
  }
  return row(GROUP, `${name}.yaml: orchestrate check, wall`, samples, { per: hosts, unit: 'hosts', note: 'every host running + its up checks + pair health, one attempt each' });
}

/** Failover then failback of side b, each checked to succeed (the continuity probes run throughout). */
async function sides(name: string, file: string, dir: string, hosts: number): Promise<Row[]> {
  const rows: Row[] = [];
  for (const operation of ['failover', 'failback'] as const) {
    const t = now();
    const code = await cli(['--state-dir', path.join(dir, 'state'), operation, file, '--side', 'b', '--fleet', dir]);
    const wall = now() - t;
    check(code === 0, `${operation} of ${name} side b against the fleet succeeds`);
    rows.push(row(GROUP, `${name}.yaml: ${operation} side b, wall`, [wall], { per: hosts, unit: 'hosts', note: 'health checks, pair moves, continuity probes included' }));
  }
  return rows;
}

export async function runFleet(): Promise<GroupResult> {
  const rows: Row[] = [];
  for (const name of ['small', 'medium', 'large', 'storage-pair']) rows.push(...(await one(name)));
  return { title: 'Simulated fleet: up then down over SSH (time scale 0.01), checked with fleet verify', rows, notes: ['one sample each; the simulated boot and shutdown waits dominate the wall time'] };
}
