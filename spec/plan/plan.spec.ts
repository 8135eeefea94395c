import { expect } from 'chai';
import path from 'node:path';
import { buildPlan, planDocument, planWaves } from '../../lib/plan/index.js';
import { loadValid, ROOT } from '../support/topologies.js';

const load = (name: string) => loadValid(path.join(ROOT, 'topologies', `${name}.yaml`));

const tel = (n: number) => Array.from({ length: n }, (_, i) => `acd-tel${i + 1}`);
const jb = (n: number) => Array.from({ length: n }, (_, i) => `acd-jb${i + 1}`);

describe('plans of the shipped topologies', () => {
  const expected: Record<string, string[][]> = {
    small: [['acd-lb'], ['acd-dbm'], ['acd-dbs'], ['acd-jb1', 'acd-tel1']],
    medium: [['acd-store'], ['acd-lb'], ['acd-dbm'], ['acd-dbr', 'acd-dbs'], ['acd-api', ...jb(2), ...tel(2)]],
    large: [
      // The passive master (acd-dbm2) after the active one: MySQL's replication would otherwise wait its 60 s Connect_Retry.
      ['acd-store1', 'acd-store2'], ['acd-lb1', 'acd-lb2'], ['acd-dbm1'], ['acd-dbm2'], ['acd-dbr', 'acd-dbs1', 'acd-dbs2'],
      ['acd-api1', 'acd-api2', 'acd-chat1', 'acd-chat2', 'acd-chatbot', ...jb(6), ...tel(4)],
    ],
  };
  for (const [name, waves] of Object.entries(expected)) {
    it(`${name}: up follows the jtel priority table, down is its exact reverse`, () => {
      const { topology, graph } = load(name);
      expect(buildPlan(topology, graph, 'up').waves).to.deep.equal(waves);
      expect(buildPlan(topology, graph, 'down').waves).to.deep.equal([...waves].reverse());
    });
  }

  it('large has about 25 hosts, in redundant pairs on two sides', () => {
    const { topology } = load('large');
    expect(topology.hosts).to.have.length(24);
    expect(new Set(topology.hosts.map((h) => h.side))).to.deep.equal(new Set(['a', 'b']));
  });

  it('the load balancer is an ordering-only dependency of the DB master: start it, do not wait', () => {
    const { topology, graph } = load('medium');
    const dbm = buildPlan(topology, graph, 'up').hosts.find((h) => h.name === 'acd-dbm');
    expect(dbm?.waitsFor.map((l) => [l.host, l.kind])).to.deep.equal([['acd-lb', 'after'], ['acd-store', 'requires']]);
  });

  it('going down, every link is a full wait for the hosts above to be off', () => {
    const { topology, graph } = load('medium');
    const lb = buildPlan(topology, graph, 'down').hosts.find((h) => h.name === 'acd-lb');
    expect(lb?.waitsFor.map((l) => [l.host, l.kind])).to.deep.equal([['acd-dbm', 'requires'], ['acd-jb1', 'requires'], ['acd-jb2', 'requires']]);
  });

  it('a multi-role host runs its roles in dependency order: storage before lb going up, lb before storage going down', () => {
    const { topology, graph } = load('small');
    const up = buildPlan(topology, graph, 'up').hosts[0];
    const down = buildPlan(topology, graph, 'down').hosts.find((h) => h.name === 'acd-lb');
    expect(up?.steps.map((s) => s.id)).to.deep.equal([
      'acd-lb/power-state', 'acd-lb/power-on', 'acd-lb/wait-boot',
      'acd-lb/storage/start samba', 'acd-lb/storage/samba active', 'acd-lb/lb/start haproxy', 'acd-lb/lb/haproxy active',
    ]);
    expect(down?.steps.map((s) => s.id)).to.deep.equal([
      'acd-lb/power-state', 'acd-lb/lb/stop haproxy', 'acd-lb/storage/stop samba', 'acd-lb/shutdown', 'acd-lb/wait-off', 'acd-lb/force-off',
    ]);
  });

  it('plan --json is a stable document with the action, the waves and every step with its command', () => {
    const { topology, graph } = load('large');
    const doc = planDocument(buildPlan(topology, graph, 'up'));
    expect(Object.keys(doc)).to.deep.equal(['version', 'action', 'topology', 'file', 'sources', 'concurrency', 'waves', 'gates', 'hosts', 'pairs', 'platform']);
    expect(doc.version).to.equal(2);
    expect(doc.action).to.equal('up');
    expect(doc.waves[0]).to.deep.equal(['acd-store1', 'acd-store2']);
    const store1 = doc.hosts[0];
    expect(store1?.steps.slice(0, 3)).to.deep.equal([
      { id: 'acd-store1/power-state', kind: 'power-state', name: 'power state', target: { kind: 'hypervisor', name: 'pve1' }, command: 'qm status 101', list: { command: 'qm list', vm: '101' }, timeoutMs: 300_000 },
      { id: 'acd-store1/power-on', kind: 'power-on', name: 'power on', target: { kind: 'hypervisor', name: 'pve1' }, command: 'qm start 101', timeoutMs: 300_000 },
      { id: 'acd-store1/wait-boot', kind: 'wait-boot', name: 'wait for boot', target: { kind: 'host', host: 'acd-store1' }, command: 'systemctl is-system-running', timeoutMs: 900_000, pollMs: 2000, reset: { command: 'qm reset 101', on: 'pve1' } },
    ]);
    // A round trip through JSON changes nothing: the document is plain data.
    expect(JSON.parse(JSON.stringify(doc))).to.deep.equal(doc);
  });

  it('qm hosts shut down through the hypervisor with the shutdown timeout, then stop if needed', () => {
    const { topology, graph } = load('large');
    const host = buildPlan(topology, graph, 'down').hosts.find((h) => h.name === 'acd-jb2');
    expect(host?.steps.filter((s) => 'command' in s).map((s) => ('command' in s ? s.command : ''))).to.deep.equal([
      'qm status 222', 'systemctl stop jboss', 'qm shutdown 222 --timeout 600', 'qm list', 'qm stop 222',
    ]);
    // The wait until off reads VM 222's line of `qm list`, one read shared by every VM of pve2 that waits.
    expect(host?.steps.find((s) => s.kind === 'wait-off')).to.include({ command: 'qm list', vm: '222' });
  });
});

describe('planWaves', () => {
  it('puts a host one wave after the latest thing it waits for', () => {
    const deps: Record<string, string[]> = { a: [], b: ['a'], c: ['a', 'b'], d: [] };
    const waves = planWaves(['a', 'b', 'c', 'd'], (h) => (deps[h] ?? []).map((host) => ({ host, kind: 'requires' as const, reasons: [], roles: [], direct: false })));
    expect(waves).to.deep.equal([['a', 'd'], ['b'], ['c']]);
  });
});
