import { expect } from 'chai';
import { checkHints } from '../../lib/cli/check-hints.js';
import { checkPlanOf } from '../../lib/plan/index.js';
import { loadValid } from '../support/topologies.js';

describe('check: the half-done states it names, with the command that resolves each', () => {
  const plan = checkPlanOf(loadValid('topologies/large.yaml').topology);

  it('a failover cut short: finish it, or bring the side back', () => {
    expect(checkHints(plan, [], { side: 'b', since: '2026-12-07T08:00:00Z', partial: true })).to.deep.equal([
      'a failover of side b was cut short (2026-12-07T08:00:00Z): finish it with: orchestrate failover topologies/large.yaml --side b; or bring the side back with: orchestrate failback topologies/large.yaml --side b',
    ]);
  });

  it('a side down after a failover: the failback', () => {
    expect(checkHints(plan, [], { side: 'b', since: 'T' })).to.deep.equal(['side b is down since a failover (T): bring it back with: orchestrate failback topologies/large.yaml --side b']);
  });

  it('a node in standby with no failover recorded, and a StandAlone DRBD node', () => {
    const results = [
      { check: 'lb/Pacemaker', ok: false, observed: 'acd-lb2 in standby (nodes: acd-lb2 standby, acd-lb1 online; resources: ClusterIP on acd-lb1)' },
      { check: 'storage/DRBD jtelshared', host: 'acd-store2', ok: false, observed: 'StandAlone Secondary/Unknown' },
    ];
    expect(checkHints(plan, results, undefined)).to.deep.equal([
      'storage/DRBD jtelshared: a DRBD node is StandAlone (split brain or a lost connection): see docs/redundancy.md, "Split brain", before anything else',
      'acd-lb2 is in standby with no failover recorded: take it back into its cluster with: pcs cluster unstandby acd-lb2 (on a node of its pair)',
    ]);
  });
});
