import { expect } from 'chai';
import type { FleetEvent } from '../../lib/fleet/index.js';
import type { FleetEventBody } from '../../lib/fleet/log.js';
import { promotedBy, verifyPairs } from '../../lib/fleet/verify-pairs.js';

/** A log from event bodies: seq from 1, 100 ms apart. */
const log = (...bodies: FleetEventBody[]): FleetEvent[] => bodies.map((b, i) => ({ seq: i + 1, t: (i + 1) * 100, ...b }) as FleetEvent);

const pacemaker = (host: string, state: 'active' | 'inactive'): FleetEventBody => ({ type: 'unit', host, unit: 'pacemaker', state });
const pcs = (resource: string, state: string, node: string): FleetEventBody => ({ type: 'pcs', cluster: 'storage', resource, state, node });
const power = (host: string, state: 'off' | 'stopping' | 'running', cause: string): FleetEventBody => ({ type: 'power', host, state, cause });
const cmd = (host: string, id: number, command: string): FleetEventBody => ({ type: 'command', host, id, command });
const done = (host: string, id: number, exit: number): FleetEventBody => ({ type: 'command-done', host, id, exit });
const drbd = (host: string, disk: string, cstate = 'Connected'): FleetEventBody => ({ type: 'drbd', host, resource: 'jtelshared', role: 'Secondary', cstate, disk, peerDisk: 'UpToDate' });

/** The storage cluster running ClusterIP on acd-store1. */
const running = [power('acd-store1', 'running', 'boot finished'), pacemaker('acd-store1', 'active'), pcs('ClusterIP', 'Started', 'acd-store1')];

describe('verifyPairs: pair safety from the event log', () => {
  it('a split brain is a violation, with the StandAlone states logged with it', () => {
    const events = log(
      { type: 'fault', host: 'acd-store1', fault: 'split-brain', detail: 'block drbd0: Split-Brain detected but unresolved, dropping connection!' },
      drbd('acd-store1', 'UpToDate', 'StandAlone'), drbd('acd-store2', 'UpToDate', 'StandAlone'), cmd('acd-store1', 1, 'true'),
    );
    const [v, ...more] = verifyPairs(events);
    expect(more).to.deep.equal([]);
    expect(v?.message).to.equal('split brain of DRBD jtelshared at 0.100s (block drbd0: Split-Brain detected but unresolved, dropping connection!): both nodes were Primary and wrote while apart');
    expect(v?.events.map((e) => e.seq)).to.deep.equal([1, 2, 3]);
  });

  it('a forced power-off under a Started resource is a violation, although its fallout is logged before the power event', () => {
    const events = log(
      ...running, cmd('pve1', 7, 'qm stop 101'),
      { type: 'unit', host: 'acd-store1', unit: 'smb', state: 'inactive' }, pacemaker('acd-store1', 'inactive'), pcs('ClusterIP', 'Stopped', 'acd-store1'),
      power('acd-store1', 'off', 'qm stop'), done('pve1', 7, 0),
    );
    const [v, ...more] = verifyPairs(events);
    expect(more).to.deep.equal([]);
    expect(v?.message).to.equal('acd-store1 was powered off at 0.800s ("qm stop") while ClusterIP of the storage cluster was Started on it and the cluster ran there: neither were its resources moved away (pcs node standby) nor the cluster stopped first');
    expect(v?.events.map((e) => e.seq)).to.deep.equal([3, 2, 8]);
  });

  it('a shutdown under a Started resource is a violation', () => {
    const events = log(...running, power('acd-store1', 'stopping', 'virsh shutdown'), pcs('ClusterIP', 'Stopped', 'acd-store1'), power('acd-store1', 'off', 'shutdown finished'));
    expect(verifyPairs(events).map((v) => v.message)).to.deep.equal([
      'acd-store1 was shut down at 0.400s ("virsh shutdown") while ClusterIP of the storage cluster was Started on it and the cluster ran there: neither were its resources moved away (pcs node standby) nor the cluster stopped first',
    ]);
  });

  it('no violation when the cluster was stopped first, or the resources moved away', () => {
    const stopped = log(
      ...running, cmd('acd-store1', 1, 'pcs cluster stop --all'), pacemaker('acd-store1', 'inactive'), pcs('ClusterIP', 'Stopped', 'acd-store1'), done('acd-store1', 1, 0),
      cmd('pve1', 2, 'qm stop 101'), { type: 'unit', host: 'acd-store1', unit: 'pcsd', state: 'inactive' }, power('acd-store1', 'off', 'qm stop'),
    );
    const moved = log(
      ...running, { type: 'pcs-node', cluster: 'storage', node: 'acd-store1', standby: true }, pcs('ClusterIP', 'Stopped', 'acd-store1'), pcs('ClusterIP', 'Started', 'acd-store2'),
      power('acd-store1', 'stopping', 'systemctl poweroff'), power('acd-store1', 'off', 'shutdown finished'),
    );
    expect(verifyPairs(stopped)).to.deep.equal([]);
    expect(verifyPairs(moved)).to.deep.equal([]);
  });

  it('a `drbdadm primary` that passed on a disk that was not UpToDate just before is a violation; refused or UpToDate is not', () => {
    const events = log(
      drbd('acd-store2', 'Outdated', 'WFConnection'), cmd('acd-store2', 1, 'drbdadm primary jtelshared'), done('acd-store2', 1, 17),
      cmd('acd-store2', 2, 'sudo drbdadm primary --force jtelshared && mount /srv/jtelshared'), done('acd-store2', 2, 0),
      drbd('acd-store1', 'UpToDate'), cmd('acd-store1', 3, 'drbdadm primary all'), done('acd-store1', 3, 0),
    );
    const [v, ...more] = verifyPairs(events);
    expect(more).to.deep.equal([]);
    expect(v?.message).to.equal('"sudo drbdadm primary --force jtelshared && mount /srv/jtelshared" passed on acd-store2 at 0.500s while its disk of jtelshared was Outdated (WFConnection): only UpToDate data may be promoted');
    expect(v?.events.map((e) => e.seq)).to.deep.equal([1, 4, 5]);
  });

  it('a promotion with no DRBD state in the log proves nothing', () => {
    expect(verifyPairs(log(cmd('acd-store1', 1, 'drbdadm primary jtelshared'), done('acd-store1', 1, 0)))).to.deep.equal([]);
  });

  it('promotedBy reads the resources a command line promotes', () => {
    expect(promotedBy('drbdadm primary jtelshared')).to.deep.equal(['jtelshared']);
    expect(promotedBy('drbdadm up r0; drbdadm -- --force primary r0:peer r1')).to.deep.equal(['r0', 'r1']);
    expect(promotedBy('drbdadm secondary jtelshared')).to.deep.equal([]);
    expect(promotedBy('echo primary')).to.deep.equal([]);
  });
});
