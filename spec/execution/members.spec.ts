/**
 * Membership checks count the members that are really there against those that should be: a
 * member that failed but still runs is not subtracted, one that never joined is not required,
 * and a real split still fails.
 */
import { expect } from 'chai';
import type { RunEvent } from '../../lib/events/index.js';
import { runPlan } from '../../lib/execution/index.js';
import { buildPlan } from '../../lib/plan/index.js';
import { FakePlatform } from '../support/fake-platform.js';
import { loadValid } from '../support/topologies.js';
import { VirtualTime } from '../support/virtual-time.js';

const YAML = [
  'defaults: { power: { driver: virsh, hypervisor: kvm } }',
  'hypervisors: { kvm: { address: 10.0.0.254 } }',
  'roles:',
  '  member:',
  '    up:',
  '      steps: [{ name: start, run: "systemctl start {{unit}}" }]',
  '      checks:',
  '        - { name: ready, run: app-ready, attempts: 1 }',
  '        - { name: members, hazelcast: { member_roles: [member] }, attempts: 2 }',
  'hosts:',
  '  m1: { address: 10.0.0.1, roles: [member], vars: { unit: jboss } }',
  '  m2: { address: 10.0.0.2, roles: [member], vars: { unit: jboss } }',
  '  m3: { address: 10.0.0.3, roles: [member], vars: { unit: jboss } }',
  '',
].join('\n');

/** m2 fails its `ready` check; m1 and m3 check the cluster only after that. */
async function run(o: { m2Joins: boolean; m3Sees?: number }) {
  const { topology, graph } = loadValid('m.yaml', { 'm.yaml': o.m2Joins ? YAML : YAML.replace('m2: { address: 10.0.0.2, roles: [member], vars: { unit: jboss } }', 'm2: { address: 10.0.0.2, roles: [member], vars: { unit: nothing } }') });
  const platform = new FakePlatform(topology);
  const base = platform.override;
  platform.override = (c) => {
    if (c.command === 'app-ready' && c.on === 'm2') return { exitCode: 1, stdout: 'not ready\n' };
    if (o.m3Sees !== undefined && c.on === 'm3' && c.command.includes('/hazelcast/health')) {
      return { stdout: `{"nodeState":"ACTIVE","clusterState":"ACTIVE","clusterSafe":true,"migrationQueueSize":0,"clusterSize":${o.m3Sees}}\n200` };
    }
    return base(c);
  };
  platform.hold((c) => c.command === 'app-ready' && c.on !== 'm2');
  const time = new VirtualTime();
  const events: RunEvent[] = [];
  const finished = new Map<string, () => void>();
  const finishedOf = (h: string): Promise<void> => new Promise((r) => finished.set(h, r));
  const [m1, m2] = [finishedOf('m1'), finishedOf('m2')];
  const listeners = [(e: RunEvent): void => {
    events.push(e);
    if (e.type === 'host-finished') finished.get(e.host)?.();
  }];
  const done = runPlan(buildPlan(topology, graph, 'up'), { transport: platform, listeners, signal: new AbortController().signal, clock: time.clock, sleep: time.sleep });
  // m2 fails first; then m1 checks the cluster and is up; then m3.
  await m2;
  (await platform.held((c) => c.on === 'm1' && c.command === 'app-ready')).release();
  await m1;
  (await platform.held((c) => c.on === 'm3' && c.command === 'app-ready')).release();
  const summary = await done;
  const members = events.flatMap((e) => (e.type === 'step-finished' && e.name === 'members' ? [`${e.host}: ${e.status} ${e.message ?? ''}`] : []));
  return { summary, members };
}

describe('membership checks (Hazelcast clusterSize)', () => {
  it('a member that failed but still runs in the cluster is not subtracted: the others pass', async () => {
    const r = await run({ m2Joins: true });
    expect(r.summary.hosts).to.deep.equal({ m1: 'up', m2: 'failed', m3: 'up' });
    expect(r.members).to.have.length(2);
    expect(r.members.every((m) => m.includes('passed') && m.includes('clusterSize 3'))).to.equal(true);
  });

  it('a member that failed before it joined is not required either', async () => {
    const r = await run({ m2Joins: false });
    expect(r.summary.hosts).to.deep.equal({ m1: 'up', m2: 'failed', m3: 'up' });
    expect(r.members.every((m) => m.includes('passed') && m.includes('clusterSize 2'))).to.equal(true);
  });

  it('a member that sees fewer than the members certainly up fails: the cluster split', async () => {
    const r = await run({ m2Joins: true, m3Sees: 1 });
    expect(r.summary.hosts.m3).to.equal('failed');
    expect(r.members.find((m) => m.startsWith('m3:'))).to.match(/failed .*clusterSize 1: expected 2 to 3 members \(a member is missing, or the cluster split\)/);
  });
});
