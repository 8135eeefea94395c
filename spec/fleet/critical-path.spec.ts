import { expect } from 'chai';
import path from 'node:path';
import { criticalPath, fleetBehaviour, parseLatency, type FleetFile } from '../../lib/fleet/index.js';
import { buildPlan, type Action } from '../../lib/plan/index.js';
import { loadValid, ROOT } from '../support/topologies.js';

/** A topology written here, read as if it were topologies/t.yaml (so `../playbooks` are the repository's). */
function topologyOf(yaml: string): ReturnType<typeof loadValid> {
  const file = path.join(ROOT, 'topologies/t.yaml');
  return loadValid(file, { [file]: yaml });
}

function pathOf(loaded: ReturnType<typeof loadValid>, action: Action, options: { file?: FleetFile; latency?: string; timeScale?: number } = {}): ReturnType<typeof criticalPath> {
  const latency = options.latency === undefined ? undefined : parseLatency(options.latency);
  if (typeof latency === 'string') throw new Error(latency);
  const behaviour = fleetBehaviour({ ...(options.file ? { file: options.file } : {}), ...(latency ? { latency } : {}) });
  return criticalPath({ topology: loaded.topology, plan: buildPlan(loaded.topology, loaded.graph, action), behaviour, ...(options.timeScale === undefined ? {} : { timeScale: options.timeScale }) });
}

const HEAD = `version: 1
name: t
playbooks: ../playbooks
defaults: { user: root, power: { driver: virsh, hypervisor: kvm1 } }
hypervisors: { kvm1: { address: 10.0.0.2 } }
vars: { lb_address: 10.0.0.10 }
`;

/** Default timings: boot 20 s, settle 3 s, unit_start 1.5 s, deploy 10 s, shutdown 8 s, resource_start 2 s. */
describe('fleet: the critical path of up and down', () => {
  it('a chain of `requires`: each host boots, settles and passes its checks before the next is powered on', () => {
    const t = topologyOf(`${HEAD}roles:
  lb: {}
  db-master: { requires: [lb] }
hosts:
  acd-lb: { address: 10.0.0.10, roles: [lb] }
  acd-dbm: { address: 10.0.0.11, roles: [db-master] }
`);
    const up = pathOf(t, 'up');
    // haproxy and mysqld start at boot (1.5 s), so each host is up when it has settled: 20 + 3 s.
    expect(up.hosts.get('acd-lb')).to.deep.equal({ start: 0, powered: 0, done: 23_000 });
    expect(up.hosts.get('acd-dbm')).to.deep.equal({ start: 23_000, powered: 23_000, done: 46_000 });
    expect(up.ms).to.equal(46_000);
    expect(up.chain).to.deep.equal(['acd-lb', 'acd-dbm']);
    const down = pathOf(t, 'down');
    expect(down.ms).to.equal(16_000);
    expect(down.chain).to.deep.equal(['acd-dbm', 'acd-lb']);
  });

  it('`after` waits only until the host is powered on', () => {
    const t = topologyOf(`${HEAD}roles:
  lb: {}
  db-master: { after: [lb] }
hosts:
  acd-lb: { address: 10.0.0.10, roles: [lb] }
  acd-dbm: { address: 10.0.0.11, roles: [db-master] }
`);
    const up = pathOf(t, 'up');
    expect(up.ms).to.equal(23_000);
    expect(up.maxParallel).to.equal(2);
    // Going down, every link is a full wait: the database is off before the load balancer stops.
    expect(pathOf(t, 'down').ms).to.equal(16_000);
  });

  it('small.yaml: web servers wait for JBoss to deploy, the load balancer and the Hazelcast members', () => {
    const t = loadValid(path.join(ROOT, 'topologies/small.yaml'));
    const up = pathOf(t, 'up');
    // lb 23 s, dbm 46 s, dbs 69 s; then the web server: boot 20 s, JBoss active 1.5 s later, deployed 10 s later.
    expect(up.hosts.get('acd-dbs')?.done).to.equal(69_000);
    expect(up.hosts.get('acd-jb1')?.done).to.equal(100_500);
    // The telephony server's Hazelcast check waits for the web server's member (active at 90.5 s), which it has by its boot wait (92 s).
    expect(up.hosts.get('acd-tel1')?.done).to.equal(92_000);
    expect(up.ms).to.equal(100_500);
    expect(up.chain).to.deep.equal(['acd-lb', 'acd-dbm', 'acd-dbs', 'acd-jb1']);
    expect(pathOf(t, 'down').ms).to.equal(4 * 8000);
  });

  it('a storage pair: both nodes boot, then the resources start after the cleanup; going down the secondary, then the primary, shut down', () => {
    const t = loadValid(path.join(ROOT, 'topologies/storage-pair.yaml'));
    expect(pathOf(t, 'up').ms).to.equal(20_000 + 3000 + 2000);
    expect(pathOf(t, 'down').ms).to.equal(2 * 8000);
  });

  it('fleet-file timings and the time scale: boot 1 s and shutdown 300 ms, at a tenth of the time', () => {
    const t = loadValid(path.join(ROOT, 'topologies/small.yaml'));
    const file: FleetFile = { defaults: { boot: '1s', shutdown: '300ms' } };
    // Each tier: boot 1 s + settle 3 s; the web server: boot 1 s + 1.5 s + deploy 10 s.
    expect(pathOf(t, 'up', { file }).ms).to.equal(3 * 4000 + 12_500);
    expect(pathOf(t, 'down', { file }).ms).to.equal(4 * 300);
    expect(pathOf(t, 'up', { file, timeScale: 0.1 }).ms).to.be.closeTo(2450, 1e-6);
  });

  it('a slow-boot fault makes that host, and what waits for it, later', () => {
    const t = loadValid(path.join(ROOT, 'topologies/small.yaml'));
    const up = pathOf(t, 'up', { file: { hosts: { 'acd-dbm': { faults: ['slow-boot=60s'] } } } });
    expect(up.hosts.get('acd-dbm')?.done).to.equal(23_000 + 63_000);
    expect(up.ms).to.equal(100_500 + 40_000);
  });

  it('latency: every command on the path waits its mean delay (the jitter averages out)', () => {
    const t = topologyOf(`${HEAD}roles:
  lb: {}
  db-master: { requires: [lb] }
hosts:
  acd-lb: { address: 10.0.0.10, roles: [lb] }
  acd-dbm: { address: 10.0.0.11, roles: [db-master] }
`);
    const up = pathOf(t, 'up', { latency: '1s±500ms' });
    // lb: power-state, virsh start (2 s), boot + settle (23 s); then start haproxy (1 s, already
    // active) and its check (1 s): up at 27 s. dbm the same, with two mysql checks: 27 + 28 s.
    expect(up.hosts.get('acd-lb')).to.deep.equal({ start: 0, powered: 2000, done: 27_000 });
    expect(up.ms).to.equal(27_000 + 28_000);
    // Down: power state, stop mysql, the poweroff (1 s each), then 8 s; a poll of virsh domstate
    // can start the moment the VM is off.
    const down = pathOf(t, 'down', { latency: '1s' });
    expect(down.hosts.get('acd-dbm')?.done).to.equal(3000 + 8000);
  });
});
