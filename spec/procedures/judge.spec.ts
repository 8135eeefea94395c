import { expect } from 'chai';
import { drbdView, judgeDrbd, judgePromotion } from '../../lib/procedures/index.js';

// Verbatim samples of domain.md §1 (the parsers' specs hold the full set).
const lines = (...l: string[]): string => `${l.join('\n')}\n`;
const HEAD = 'version: 8.4.11 (api:1/proto:86-101)\nsrcversion: C83CE761848B9DE61379370\n\n';
const v84 = (text: string, minor = 1) => drbdView(HEAD + text, { version: '8.4', resource: 'r', minor });
const v9 = (text: string, resource: string) => drbdView(text, { version: '9', resource, minor: 0 });

describe('judging DRBD state from real output before each step', () => {
  it('8.4: a resync is waited out, with its progress; the synced state passes', () => {
    const syncing = v84(lines(
      ' 1: cs:SyncSource ro:Primary/Secondary ds:UpToDate/Inconsistent C r-----',
      '    ns:2872 nr:0 dw:0 dr:3784 al:0 bm:0 lo:0 pe:0 ua:0 ap:0 ep:1 wo:f oos:1045636',
      "\t[>....................] sync'ed:  0.4% (1045636/1048508)K",
      '\tfinish: 0:10:53 speed: 1,436 (1,436) K/sec',
    ));
    const want = { connected: true, roles: 'Primary/Secondary', disks: 'UpToDate/UpToDate' };
    expect(judgeDrbd(syncing, want, 'r')).to.deep.equal({ state: 'wait', observed: 'cs:SyncSource ro:Primary/Secondary ds:UpToDate/Inconsistent (sync 0.4%)' });
    const healthy = v84(lines(' 1: cs:Connected ro:Primary/Secondary ds:UpToDate/UpToDate C r-----', '    ns:1048508 nr:0 dw:0 dr:1049420 al:0 bm:0 lo:0 pe:0 ua:0 ap:0 ep:1 wo:f oos:0'));
    expect(judgeDrbd(healthy, want, 'r').state).to.equal('ok');
  });

  it('8.4: StandAlone after split brain stops at once with what to do', () => {
    const split = v84(lines(' 1: cs:StandAlone ro:Secondary/Unknown ds:UpToDate/DUnknown   r-----', '    ns:0 nr:0 dw:0 dr:0 al:0 bm:0 lo:0 pe:0 ua:0 ap:0 ep:1 wo:f oos:48'));
    const verdict = judgeDrbd(split, { connected: true, roles: 'Secondary/Secondary', disks: 'UpToDate/UpToDate' }, 'r');
    expect(verdict.state).to.equal('refuse');
    expect(verdict).to.have.property('advice').that.match(/^split brain: both nodes changed the data while apart.*drbdadm connect --discard-my-data r/);
    expect(judgePromotion(split, 'r').state).to.equal('refuse');
  });

  it('never promotes a node that is Inconsistent, even when connected', () => {
    const fresh = v84(lines(' 1: cs:Connected ro:Secondary/Secondary ds:Inconsistent/Inconsistent C r-----', '    ns:0 nr:0 dw:0 dr:0 al:0 bm:0 lo:0 pe:0 ua:0 ap:0 ep:1 wo:f oos:1048508'));
    const verdict = judgePromotion(fresh, 'r');
    expect(verdict).to.deep.include({ state: 'refuse', observed: 'cs:Connected ro:Secondary/Secondary ds:Inconsistent/Inconsistent' });
    expect(verdict).to.have.property('advice').that.match(/^never promote a node whose data is Inconsistent/);
  });

  it('DRBD 9 `drbdadm status`: syncing, in sync, and split brain leftovers', () => {
    const syncing = v9(lines('postgresql role:Secondary', '  disk:Inconsistent', '  d52-54-77-77-01-01 role:Primary', '    replication:SyncTarget peer-disk:UpToDate done:0.08'), 'postgresql');
    expect(syncing).to.deep.include({ cstate: 'SyncTarget', role: 'Secondary', peerRole: 'Primary', disk: 'Inconsistent', peerDisk: 'UpToDate', syncPercent: 0.08 });
    expect(judgePromotion(syncing, 'postgresql').state).to.equal('refuse');
    const inSync = v9(lines('postgresql role:Secondary', '  disk:UpToDate', '  d52-54-77-77-01-01 role:Primary', '    peer-disk:UpToDate'), 'postgresql');
    expect(judgeDrbd(inSync, { connected: true, roles: 'Secondary/Primary', disks: 'UpToDate/UpToDate' }, 'postgresql').state).to.equal('ok');
    const alone = v9(lines('pvc-4 role:Primary', '  disk:UpToDate', '  k8s-master connection:StandAlone'), 'pvc-4');
    expect(judgeDrbd(alone, { connected: true, roles: 'Primary/*', disks: 'UpToDate/*' }, 'pvc-4').state).to.equal('refuse');
    expect(v9('', 'postgresql').configured).to.equal(false);
  });
});
