/**
 * A fast part of the fault matrix (npm run faults runs all of it): a fault that stops a command
 * half-way, then the same command again once the fault is cleared, which must finish the job
 * with the runbook order kept (fleet verify) and the platform in the target state.
 */
import { expect } from 'chai';
import { describeScenario, runScenario, type Scenario } from '../../bench/faults.js';
import { testFleet } from '../support/fleet.js';

const FAST: readonly Scenario[] = [
  { action: 'up', host: 'acd-store1', fault: 'drop=drbdadm up' },
  { action: 'down', host: 'acd-jb1', fault: 'hang=systemctl stop jboss' },
  { action: 'failover', host: 'acd-store1', fault: 'hang=pcs cluster standby' },
  { action: 'failover', host: 'acd-store2', fault: 'drop=drbdadm down' },
  { action: 'failback', host: 'acd-store1', fault: 'hang=pcs cluster unstandby' },
];

describe('fleet: fault, then the same command again (fault matrix, fast part)', function () {
  this.timeout(60_000);
  for (const s of FAST) {
    it(`${describeScenario(s)}: the rerun finishes it`, async () => {
      const r = await runScenario(s);
      expect(r.first, 'the fault made the first run fail').to.not.equal(0);
      expect(r.recovered, r.why).to.equal(true);
    });
  }

  it('down of a VM whose shutdown an earlier run sent (SSH gone, the hypervisor says running): the guest steps are left out, the wait and the forced power-off end it', async () => {
    const f = await testFleet('large', { warm: true });
    try {
      const vm = f.fleet.world.vms.get('acd-jb1');
      vm?.setFaults([{ kind: 'shutdown-hangs' }]);
      vm?.shutdown('a shutdown an earlier, killed run sent');
      const r = await f.cli('down', f.file, '--fleet', f.dir);
      expect(r.code, r.out).to.equal(0);
      expect(r.out).to.match(/acd-jb1: SSH does not answer \(cannot connect to .*\): going down already; the wait until off decides/);
      expect(f.fleet.world.topology.hosts.filter((h) => f.fleet.world.vms.get(h.name)?.power !== 'off')).to.deep.equal([]);
    } finally {
      await f.close();
    }
  });
});
