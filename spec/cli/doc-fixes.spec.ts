/**
 * What the docs say and the tool now does: help texts, `demo` outside the checkout, and a bare
 * `down --fleet DIR` running the fleet's own topology (not the last `up` anywhere).
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { recordLastUp } from '../../lib/cli/state.js';
import { testFleet } from '../support/fleet.js';
import { ROOT } from '../support/topologies.js';

const BIN = path.join(ROOT, 'bin/orchestrate.js');
const run = (args: readonly string[], cwd = ROOT): { code: number | null; out: string; err: string } => {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

describe('help texts say what the options do', function () {
  this.timeout(20_000);
  it('demo --help: --time-scale multiplies durations (0.1 is ten times as fast)', () => {
    const help = run(['demo', '--help']).out.replace(/\s+/g, ' ');
    expect(help).to.include('simulated durations are multiplied by this: 0.1 runs ten times as fast as real time (default: 0.1)');
    expect(help).to.include('the topologies/small.yaml shipped with orchestrate');
  });

  it('fleet serve-host --help: --listen shows its default as host:port, not an object', () => {
    const help = run(['fleet', 'serve-host', '--help']).out.replace(/\s+/g, ' ');
    expect(help).to.include('where to answer SSH (default: 0.0.0.0:22)');
    expect(help).to.not.include('{"host"');
  });
});

describe('orchestrate demo outside the checkout', function () {
  this.timeout(90_000);
  it('finds the shipped topologies/small.yaml and runs up, down and verify', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'orchestrate-demo-cwd-'));
    try {
      const r = run(['--state-dir', path.join(dir, 'state'), 'demo', '--time-scale', '0.005'], dir);
      expect(r.code, r.err).to.equal(0);
      expect(r.out).to.include("verified from the fleet's event log: up kept the runbook order");
      expect(r.out).to.include("verified from the fleet's event log: down kept the runbook order");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('down --fleet DIR without a topology', function () {
  this.timeout(60_000);
  it("runs the fleet's own topology, not the one of the last up", async () => {
    const f = await testFleet('small');
    try {
      expect((await f.cli('up', f.file, '--fleet', f.dir)).code).to.equal(0);
      // The last up anywhere was of another topology.
      recordLastUp(path.join(f.dir, 'state'), { file: path.join(ROOT, 'topologies/large.yaml'), topology: 'acd-large', startedAt: new Date().toISOString() });
      const down = await f.cli('down', '--fleet', f.dir);
      expect(down.code, down.err).to.equal(0);
      expect(down.err).to.include(`: the topology of the fleet in ${f.dir}`);
      expect(down.err).to.include('small.yaml');
      expect([...f.fleet.world.vms.values()].map((vm) => vm.power)).to.satisfy((p: string[]) => p.every((x) => x === 'off'));
    } finally {
      await f.close();
    }
  });
});
