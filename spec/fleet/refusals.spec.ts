import { expect } from 'chai';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { DrbdModel } from '../../lib/fleet/models/drbd.js';
import { fleetShell, testFleet, type TestFleet, type FleetShell } from '../support/fleet.js';
import { changesSince, mark, platformState } from '../support/pair-log.js';

/**
 * What failover and failback refuse, against the fleet of large.yaml: each refusal names the
 * failed check, exits 3, runs nothing that changes a machine, and leaves the platform as it was.
 */
describe('fleet: failover and failback refuse what is unsafe', function () {
  this.timeout(90_000);

  const drbdOf = (f: TestFleet): DrbdModel => f.fleet.world.models.find((m): m is DrbdModel => m instanceof DrbdModel) as DrbdModel;
  const refused = async (f: TestFleet, sh: FleetShell, ...args: string[]): Promise<string> => {
    const before = await platformState(f, (h, c) => sh.run(h, c));
    const from = mark(f);
    const r = await f.cli(...args, '--fleet', f.dir);
    expect(r.code, `${r.out}\n${r.err}`).to.equal(3);
    expect(r.out).to.include(`${args[0] ?? ''}: REFUSED: nothing was changed. Failed checks:`);
    expect(changesSince(f, from)).to.deep.equal([]);
    expect(await platformState(f, (h, c) => sh.run(h, c))).to.deep.equal(before);
    return r.out;
  };

  describe('an unhealthy platform', () => {
    it('a replica whose replication check fails: failover refused, naming the host and the check', async () => {
      const f = await testFleet('large', { warm: true, faults: { 'acd-dbs1': [{ kind: 'unhealthy', match: 'SHOW SLAVE STATUS' }] } });
      const sh = fleetShell(f);
      try {
        const out = await refused(f, sh, 'failover', f.file, '--side', 'b');
        expect(out).to.match(/^ {2}db-slave\/replication healthy \(acd-dbs1\): exit 1/m);
        expect(existsSync(path.join(f.dir, 'state', 'sides', 'acd-large.json'))).to.equal(false);
      } finally {
        await sh.close();
        await f.close();
      }
    });
  });

  describe('a storage node that is Outdated or Inconsistent', () => {
    let f: TestFleet;
    let sh: FleetShell;
    before(async () => {
      // acd-store2's resync takes 2 h of simulated time: long enough to look at.
      f = await testFleet('large', { warm: true, file: { hosts: { 'acd-store2': { resync: '2h' } } } });
      sh = fleetShell(f);
    });
    after(async () => {
      await sh.close();
      await f.close();
    });

    it('Outdated (it missed writes and cannot reach its peer): failover refused', async () => {
      expect((await sh.run('acd-store2', 'drbdadm down jtelshared')).exitCode).to.equal(0);
      const pair = drbdOf(f).pairNamed('storage');
      if (!pair) throw new Error('no storage pair in the fleet');
      pair.linkBroken = true;
      expect((await sh.run('acd-store2', 'drbdadm up jtelshared')).exitCode).to.equal(0);
      const out = await refused(f, sh, 'failover', f.file, '--side', 'b');
      expect(out).to.match(/storage\/DRBD jtelshared \(acd-store2\): acd-store2: cs:WFConnection ro:Secondary\/Unknown ds:Outdated\/DUnknown: its data is Outdated/);
    });

    it('Inconsistent (resyncing): failover refused, with the resync progress', async () => {
      const pair = drbdOf(f).pairNamed('storage');
      if (!pair) throw new Error('no storage pair in the fleet');
      pair.linkBroken = false;
      drbdOf(f).settle();
      const out = await refused(f, sh, 'failover', f.file, '--side', 'a');
      expect(out).to.match(/storage\/DRBD jtelshared \(acd-store2\): acd-store2: cs:SyncTarget ro:Secondary\/Primary ds:Inconsistent\/UpToDate \(sync [\d.]+%\): its data is Inconsistent \(resync at [\d.]+%\)/);
      expect(out).to.match(/storage\/DRBD jtelshared \(acd-store1\): acd-store1: cs:SyncSource .*not Connected \(SyncSource\), the peer's data is Inconsistent/);
    });
  });

  describe('a side already down, and split brain', () => {
    let f: TestFleet;
    let sh: FleetShell;
    before(async () => {
      f = await testFleet('large', { warm: true });
      sh = fleetShell(f);
      const r = await f.cli('failover', f.file, '--side', 'b', '--fleet', f.dir);
      expect(r.code, r.out).to.equal(0);
    });
    after(async () => {
      await sh.close();
      await f.close();
    });

    it('a second failover while side b is down: refused, whichever side', async () => {
      for (const side of ['a', 'b']) {
        const out = await refused(f, sh, 'failover', f.file, '--side', side);
        expect(out).to.match(/no side down: side b is already down \(failover at .*\); bring it back first: orchestrate failback topologies\/large.yaml --side b/);
      }
    });

    it('a failback of the wrong side: refused', async () => {
      const out = await refused(f, sh, 'failback', f.file, '--side', 'a');
      expect(out).to.include('the side is down: side b is the one down');
    });

    it('a failback into split brain (the staying node stands alone): refused with what to do', async () => {
      expect((await sh.run('acd-store1', 'drbdadm disconnect jtelshared')).exitCode).to.equal(0);
      const out = await refused(f, sh, 'failback', f.file, '--side', 'b');
      expect(out).to.match(/storage\/DRBD jtelshared \(acd-store1\): acd-store1: cs:StandAlone .*: StandAlone, the nodes will not connect \(split brain, or disconnected\)/);
      expect((await sh.run('acd-store1', 'drbdadm connect jtelshared')).exitCode).to.equal(0);
    });

    it('split brain found when the returning node connects: the failback stops before promoting it, the service untouched', async () => {
      const pair = drbdOf(f).pairNamed('storage');
      const store2 = pair?.nodes.find((n) => n.vm === 'acd-store2');
      if (!store2) throw new Error('no acd-store2 in the storage pair');
      store2.wroteAlone = true; // someone booted it alone and wrote while it was away
      const from = mark(f);
      const r = await f.cli('failback', f.file, '--side', 'b', '--fleet', f.dir);
      expect(r.code, r.out).to.equal(1);
      expect(r.out).to.match(/acd-store2 FAIL +storage\/resync finished, UpToDate\/UpToDate: cs:StandAlone .*split brain: both nodes changed the data while apart/);
      expect(changesSince(f, from, /drbdadm primary|unstandby/)).to.deep.equal([]);
      expect(r.out).to.match(/continuity "login page through the load balancer": 100\.0% of \d+ probes passed/);
      expect((await sh.run('acd-store1', 'drbdadm role jtelshared')).stdout).to.equal('Primary/Unknown\n');
    });
  });
});
