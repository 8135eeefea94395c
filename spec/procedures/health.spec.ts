import { expect } from 'chai';
import { judgeDrbdHealth, judgePcsHealth, type DrbdView, type PcsView } from '../../lib/procedures/index.js';

const view = (over: Partial<DrbdView>): DrbdView => ({ configured: true, cstate: 'Connected', role: 'Primary', peerRole: 'Primary', disk: 'UpToDate', peerDisk: 'UpToDate', ...over });
const pcs = (over: Partial<PcsView>): PcsView => ({
  running: true,
  nodes: [{ name: 's1', online: true, standby: false }, { name: 's2', online: true, standby: false }],
  resources: [{ id: 'ClusterIP', started: true, node: 's1' }, { id: 'samba', started: true, node: 's1' }],
  failed: [],
  ...over,
});

describe('pair health: whole before a failover, or carried by the staying node before a failback', () => {
  it('a dual-primary pair is whole when both nodes are Connected, Primary and UpToDate/UpToDate', () => {
    const views = new Map([['s1', view({})], ['s2', view({})]]);
    expect(judgeDrbdHealth(views, true, 'both').map((v) => v.ok)).to.deep.equal([true, true]);
  });

  it('a resyncing (Inconsistent) or Outdated node is named with what was seen', () => {
    const views = new Map([['s1', view({ cstate: 'SyncSource', peerDisk: 'Inconsistent' })], ['s2', view({ cstate: 'SyncTarget', disk: 'Inconsistent', syncPercent: 42.5 })]]);
    const [a, b] = judgeDrbdHealth(views, true, 'both');
    expect(a).to.deep.include({ ok: false, node: 's1' });
    expect(a?.observed).to.equal("s1: cs:SyncSource ro:Primary/Primary ds:UpToDate/Inconsistent: not Connected (SyncSource), the peer's data is Inconsistent");
    expect(b?.observed).to.equal('s2: cs:SyncTarget ro:Primary/Primary ds:Inconsistent/UpToDate (sync 42.5%): its data is Inconsistent (resync at 42.5%)');
    const outdated = judgeDrbdHealth(new Map([['s2', view({ cstate: 'WFConnection', disk: 'Outdated', peerDisk: 'DUnknown', peerRole: 'Unknown' })]]), true, 'both');
    expect(outdated[0]?.observed).to.match(/its data is Outdated$/);
  });

  it('StandAlone is split brain, and refused for the staying node too', () => {
    const v = judgeDrbdHealth(new Map([['s1', view({ cstate: 'StandAlone', peerRole: 'Unknown', peerDisk: 'DUnknown' })]]), true, 's1');
    expect(v[0]).to.deep.include({ ok: false, splitBrain: true });
    expect(v[0]?.observed).to.match(/StandAlone, the nodes will not connect/);
  });

  it('single-primary wants exactly one Primary; the staying node must be the Primary', () => {
    const two = new Map([['s1', view({})], ['s2', view({})]]);
    expect(judgeDrbdHealth(two, false, 'both')[0]?.observed).to.match(/2 Primary nodes \(single-primary wants one\)/);
    const one = new Map([['s1', view({ peerRole: 'Secondary' })], ['s2', view({ role: 'Secondary' })]]);
    expect(judgeDrbdHealth(one, false, 'both').map((v) => v.ok)).to.deep.equal([true, true]);
    const alone = new Map([['s2', view({ role: 'Secondary', cstate: 'WFConnection', peerRole: 'Unknown', peerDisk: 'DUnknown' })]]);
    expect(judgeDrbdHealth(alone, false, 's2')[0]?.observed).to.match(/not Primary, so it cannot carry the pair alone/);
  });

  it('Pacemaker: every node online and not in standby, nothing failed, resources started; or all on the staying node', () => {
    expect(judgePcsHealth(pcs({}), ['ClusterIP', 'samba'], 'both').ok).to.equal(true);
    const standby = pcs({ nodes: [{ name: 's1', online: true, standby: false }, { name: 's2', online: true, standby: true }] });
    expect(judgePcsHealth(standby, [], 'both').observed).to.match(/^s2 in standby/);
    expect(judgePcsHealth(pcs({ failed: ['samba_start_0 on s2'] }), [], 'both').observed).to.match(/^failed actions/);
    expect(judgePcsHealth(standby, ['ClusterIP', 'samba'], 's1').ok).to.equal(true);
    expect(judgePcsHealth(pcs({}), ['ClusterIP', 'samba'], 's2').observed).to.match(/^ClusterIP on s1, samba on s1 \(not on s2\)/);
    expect(judgePcsHealth(pcs({ running: false }), [], 'both').ok).to.equal(false);
  });
});
