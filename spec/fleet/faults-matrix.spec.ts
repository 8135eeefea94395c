/**
 * A fast part of the fault matrix (npm run faults runs all of it): a fault that stops a command
 * half-way, then the same command again once the fault is cleared, which must finish the job
 * with the runbook order kept (fleet verify) and the platform in the target state.
 */
import { expect } from 'chai';
import { describeScenario, runScenario, type Scenario } from '../../bench/faults.js';

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
});
