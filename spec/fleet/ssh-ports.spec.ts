import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startFleet, type RunningFleet } from '../../lib/fleet/index.js';
import { loadValid, ROOT } from '../support/topologies.js';

/** Waits until `test` holds, polling every 5 ms, for at most `ms`. */
async function until(test: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!test()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
}

function listen(port: number, address: string): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(port, address, () => resolve(server));
  });
}

describe('fleet: SSH ports of VMs that are off', function () {
  this.timeout(30_000);
  let dir: string;
  let fleet: RunningFleet;

  beforeEach(async () => {
    const { topology } = loadValid(path.join(ROOT, 'topologies/large.yaml'));
    dir = mkdtempSync(path.join(os.tmpdir(), 'orchestrate-fleet-ports-'));
    fleet = await startFleet({ topology, dir, timeScale: 0.005 });
  });

  afterEach(async () => {
    await fleet.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives no HTTP listener the port a VM takes again when it boots', () => {
    // The HTTP listeners share the VMs' addresses; they were once started while the sshds had
    // released their ports, so the kernel could hand one of them a VM's port (EADDRINUSE at boot).
    const ssh = new Set(Object.values(fleet.overlay.hosts).map((h) => `${h.address}:${h.port}`));
    const http = Object.values(fleet.overlay.http ?? {}).map((url) => new URL(url).host);
    expect(http.length).to.be.greaterThan(10);
    expect(http.filter((h) => ssh.has(h))).to.deep.equal([]);
  });

  it('boots a VM whose port another process holds once the port is free again, without crashing, and keeps the port', async () => {
    const vm = fleet.world.vms.get('acd-lb1');
    if (!vm) throw new Error('no acd-lb1');
    const { address, port } = vm.ssh;
    const squatter = await listen(port, address);
    try {
      expect(vm.powerOn('virsh start')).to.equal(true);
      await until(() => fleet.world.log.events.some((e) => e.type === 'fault' && e.host === 'acd-lb1' && e.fault === 'ssh-port-busy'));
      expect(vm.power).to.equal('booting');
      expect(vm.ssh.listening).to.equal(false);
    } finally {
      await new Promise((r) => squatter.close(r));
    }
    await until(() => vm.running);
    expect(vm.ssh.listening).to.equal(true);
    expect(vm.ssh.port).to.equal(port);
    expect(fleet.overlay.hosts['acd-lb1']).to.deep.equal({ address, port });
    const faults = fleet.world.log.events.filter((e) => e.type === 'fault' && e.host === 'acd-lb1');
    expect(faults).to.have.length(1);
    expect(faults[0]).to.include({ fault: 'ssh-port-busy' });
  });

  it('stops trying when the VM is switched off while its port is taken', async () => {
    const vm = fleet.world.vms.get('acd-lb1');
    if (!vm) throw new Error('no acd-lb1');
    const squatter = await listen(vm.ssh.port, vm.ssh.address);
    try {
      vm.powerOn('virsh start');
      await until(() => fleet.world.log.events.some((e) => e.type === 'fault' && e.fault === 'ssh-port-busy'));
      expect(vm.destroy('virsh destroy')).to.equal(true);
    } finally {
      await new Promise((r) => squatter.close(r));
    }
    await new Promise((r) => setTimeout(r, 250));
    expect(vm.power).to.equal('off');
    expect(vm.ssh.listening).to.equal(false);
  });
});
