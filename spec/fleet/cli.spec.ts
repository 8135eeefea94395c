import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../support/topologies.js';
import { runMain, type CliResult } from '../support/cli.js';

const cli = (args: string[]): Promise<CliResult> => runMain(args);

function spawnCli(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'lib/cli/bin.ts', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (code) => resolve({ code, out }));
  });
}

describe('orchestrate fleet (command line)', function () {
  this.timeout(60_000);
  let tmp: string;
  before(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'orchestrate-fleet-cli-'));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('up --detach, status, up and down --fleet, verify, fleet down', async () => {
    const dir = path.join(tmp, 'fleet');
    const started = await spawnCli(['--state-dir', tmp, 'fleet', 'up', 'topologies/small.yaml', '--detach', '--state', dir, '--time-scale', '0.005']);
    expect(started.code, started.out).to.equal(0);
    expect(started.out).to.match(/^fleet acd-small: 5 VMs and 1 hypervisor simulated, time scale 0\.005$/m);
    expect(started.out).to.match(/running in the background \(pid \d+\); stop it with: orchestrate fleet down --state /);
    try {
      const status = await cli(['fleet', 'status', '--state', dir]);
      expect(status.out).to.match(/^ {2}acd-dbm +off +- +off/m);
      expect((await cli(['--state-dir', tmp, 'up', 'topologies/small.yaml', '--fleet', dir])).code).to.equal(0);
      expect((await cli(['fleet', 'status', '--state', dir])).out).to.match(/^ {2}acd-dbm +running +ssh +running +mysqld=active$/m);
      expect((await cli(['--state-dir', tmp, 'down', '--fleet', dir])).code).to.equal(0);
      const verify = await cli(['fleet', 'verify', path.join(dir, 'events.jsonl'), '-t', 'topologies/small.yaml', '-a', 'down']);
      expect(verify).to.include({ code: 0 });
    } finally {
      const down = await cli(['fleet', 'down', '--state', dir]);
      expect(down.out).to.equal(`fleet in ${dir} stopped`);
    }
    expect(existsSync(path.join(dir, 'fleet.pid'))).to.equal(false);
    const gone = await cli(['--state-dir', tmp, 'up', 'topologies/small.yaml', '--fleet', dir]);
    expect(gone.code).to.equal(2);
    expect(gone.err).to.match(/^Error: the fleet in .* is not running any more|^Error: no fleet in/m);
  });

  it('refuses bad faults and fleet files with clear messages', async () => {
    const badHost = await cli(['fleet', 'up', 'topologies/small.yaml', '--fault', 'acd-nope:never-boots', '--state', path.join(tmp, 'x')]);
    expect(badHost).to.include({ code: 2 });
    expect(badHost.err).to.match(/^Error: --fault acd-nope:never-boots: expected HOST:FAULT with a host of acd-small/);
    const badFault = await cli(['fleet', 'up', 'topologies/small.yaml', '--fault', 'acd-dbm:explode', '--state', path.join(tmp, 'x')]);
    expect(badFault.err).to.match(/^Error: --fault acd-dbm:explode: unknown fault 'explode' \(one of never-boots, slow-boot/);
    const file = path.join(tmp, 'fleet.yaml');
    writeFileSync(file, 'time_scale: fast\nhosts:\n  acd-dbm: { boot: 10 min }\n');
    const badFile = await cli(['fleet', 'up', 'topologies/small.yaml', '--fleet-file', file, '--state', path.join(tmp, 'x')]);
    expect(badFile.code).to.equal(2);
    expect(badFile.err.split('\n').slice(0, 2)).to.deep.equal([
      `${file}:1:13: time_scale must be a number (got the string "fast")`,
      `${file}:3:20: bad duration "10 min" for hosts.acd-dbm.boot: use a number and a unit: 500ms, 30s, 10m, 1h30m`,
    ]);
    expect(readFileSync(file, 'utf8')).to.include('time_scale');
  });
});
