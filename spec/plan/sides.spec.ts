import { expect } from 'chai';
import path from 'node:path';
import { buildPlan, splitSides, type SideSplit } from '../../lib/plan/index.js';
import { loadValid, problemsOf, ROOT } from '../support/topologies.js';

const load = (name: string) => loadValid(path.join(ROOT, 'topologies', `${name}.yaml`));
const split = (s: SideSplit | { error: string }): SideSplit => {
  if ('error' in s) throw new Error(s.error);
  return s;
};

describe('sides: what a failover takes down and what keeps running', () => {
  it('large, side b: its hosts leave, side a stays, each pair keeps its side-a node', () => {
    const { topology } = load('large');
    const s = split(splitSides(topology, 'b'));
    expect(s.moving).to.deep.equal(['acd-api2', 'acd-chat2', 'acd-dbm2', 'acd-dbs2', 'acd-jb2', 'acd-jb4', 'acd-jb6', 'acd-lb2', 'acd-store2', 'acd-tel2', 'acd-tel4']);
    expect(s.pairs.map((p) => [p.pair.name, p.moving, p.staying])).to.deep.equal([['lb', 'acd-lb2', 'acd-lb1'], ['storage', 'acd-store2', 'acd-store1']]);
    expect(s.uncovered).to.deep.equal([]);
  });

  it('large, side a: the reporting DB and the chatbot live only there, and are named', () => {
    const { topology } = load('large');
    expect(split(splitSides(topology, 'a')).uncovered).to.deep.equal(['chatbot', 'db-reporting']);
  });

  it('refuses an unknown side, a topology without sides, and a pair with both nodes on the side', () => {
    const { topology } = load('large');
    expect(splitSides(topology, 'c')).to.deep.equal({ error: 'no side \'c\' in ' + topology.file + ' (sides: a, b)' });
    const small = load('small').topology;
    expect(splitSides(small, 'a')).to.have.property('error').that.match(/declares no sides/);
    const both = { ...topology, hosts: topology.hosts.map((h) => (h.name === 'acd-store1' ? { ...h, side: 'b' } : h)) };
    expect(splitSides(both, 'b')).to.have.property('error').that.match(/pair 'storage' has both acd-store1 and acd-store2 on side 'b'/);
  });
});

describe('plans of a failover and a failback', () => {
  it('failover of large side b: only side b, in reverse tier order, failover steps before down steps, pairs one node down', () => {
    const { topology, graph } = load('large');
    const s = split(splitSides(topology, 'b'));
    const plan = buildPlan(topology, graph, 'down', { only: new Set(s.moving), operation: 'failover' });
    expect(plan.waves).to.deep.equal([
      ['acd-api2', 'acd-chat2', 'acd-jb2', 'acd-jb4', 'acd-jb6', 'acd-tel2', 'acd-tel4'], ['acd-dbs2'], ['acd-dbm2'], ['acd-lb2'], ['acd-store2'],
    ]);
    const dbm2 = plan.hosts.find((h) => h.name === 'acd-dbm2');
    expect(dbm2?.steps.map((st) => st.id)).to.deep.equal([
      'acd-dbm2/power-state', 'acd-dbm2/db-master/failover/hand writes over to the partner', 'acd-dbm2/db-master/stop mysql',
      'acd-dbm2/shutdown', 'acd-dbm2/wait-off', 'acd-dbm2/force-off',
    ]);
    const hand = dbm2?.steps[1];
    expect(hand && 'command' in hand ? hand.command : '').to.equal("mysql -h acd-dbm1 -NBe 'SET GLOBAL read_only = 0' && mysql -NBe 'SET GLOBAL read_only = 1'");
    const storage = plan.pairs.find((p) => p.name === 'storage');
    expect(storage?.members).to.deep.equal(['acd-store2']);
    expect(storage?.procedure).to.equal('one-down');
    expect(storage?.primary).to.deep.equal({ host: 'acd-store1', source: 'staying' });
    expect(storage?.steps.map((st) => `${st.name} on the ${st.on}`)).to.deep.equal(['find the active node on the primary', 'drbd down on the secondary', 'shut down on the secondary']);
    expect(Object.keys(storage?.shutdown ?? {})).to.deep.equal(['acd-store2']);
    // Nothing on side b waits for side a: those hosts keep running.
    expect(plan.hosts.flatMap((h) => h.waitsFor.map((l) => l.host)).filter((h) => !s.moving.includes(h))).to.deep.equal([]);
  });

  it('failback of large side b: side b in tier order, one node up per pair, replicas wait until caught up', () => {
    const { topology, graph } = load('large');
    const s = split(splitSides(topology, 'b'));
    const plan = buildPlan(topology, graph, 'up', { only: new Set(s.moving), operation: 'failback' });
    expect(plan.waves[0]).to.deep.equal(['acd-store2']);
    expect(plan.pairs.map((p) => [p.name, p.procedure, p.members.join()])).to.deep.equal([['lb', 'one-up', 'acd-lb2'], ['storage', 'one-up', 'acd-store2']]);
    expect(plan.pairs[1]?.steps.map((st) => st.name)).to.deep.equal([
      'drbd up', 'resync finished, UpToDate/UpToDate', 'drbd primary', 'both Primary, UpToDate/UpToDate', 'pcs cluster start', 'node online in the cluster',
    ]);
    const dbs2 = plan.hosts.find((h) => h.name === 'acd-dbs2');
    expect(dbs2?.steps.map((st) => st.id).slice(-2)).to.deep.equal(['acd-dbs2/db-slave/replication healthy', 'acd-dbs2/db-slave/failback/replication caught up']);
  });

  it('a storage pair in single-primary mode does not promote the returning node', () => {
    const { topology, graph } = load('storage-pair');
    const plan = buildPlan(topology, graph, 'up', { only: new Set(['acd-store2']), operation: 'failback' });
    expect(plan.pairs[0]?.steps.map((st) => st.name)).to.deep.equal(['drbd up', 'resync finished, UpToDate/UpToDate', 'pcs cluster start', 'node online in the cluster']);
  });
});

describe('the partner variable', () => {
  const yaml = (step: string): string => [
    'version: 1', 'playbooks: ./pb',
    'roles: { db: {}, rep: {} }',
    'hosts:',
    '  db1: { address: 10.0.0.1, roles: [db], side: a, power: { driver: none } }',
    '  db2: { address: 10.0.0.2, roles: [db], side: b, power: { driver: none } }',
    '  db3: { address: 10.0.0.3, roles: [db], side: b, power: { driver: none } }',
    '  r1: { address: 10.0.0.4, roles: [rep], side: a, power: { driver: none } }',
  ].join('\n') + `\n# ${step}`;
  const playbook = (run: string): string => `up: { steps: [{ name: start, run: "true" }] }\nfailover: { steps: [{ name: hand over, run: "${run}" }] }\n`;

  it('is the first host of the same role on another side; where there is none, the step is left out of the failover', () => {
    const files = { 't.yaml': yaml(''), 'pb/db.yaml': playbook('echo {{partner}}'), 'pb/rep.yaml': playbook('echo {{partner}}') };
    expect(problemsOf(files['t.yaml'], { 'pb/db.yaml': files['pb/db.yaml'], 'pb/rep.yaml': files['pb/rep.yaml'] })).to.deep.equal([]);
    const { topology, graph } = loadValid('t.yaml', files);
    const steps = (side: string) => buildPlan(topology, graph, 'down', { only: new Set(topology.hosts.filter((h) => h.side === side).map((h) => h.name)), operation: 'failover' })
      .hosts.flatMap((h) => h.steps.filter((st) => st.kind === 'run').map((st) => `${h.name}: ${'command' in st ? st.command : ''}`));
    // r1 (role rep, only on side a) has no partner: its hand-over is left out.
    expect(steps('a')).to.deep.equal(['db1: echo db2']);
    expect(steps('b')).to.deep.equal(['db2: echo db1', 'db3: echo db1']);
  });

  it('other unknown variables in failover steps are still errors', () => {
    expect(problemsOf(yaml(''), { 'pb/db.yaml': playbook('echo {{nope}}'), 'pb/rep.yaml': playbook('true') })).to.deep.equal([
      "pb/db.yaml:2:45: unknown variable 'nope' in 'hand over' of role 'db' on host 'db1' (define it under vars)",
    ]);
  });
});
