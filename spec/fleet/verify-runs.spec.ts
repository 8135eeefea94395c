/**
 * fleet verify reads a log that holds several runs: up, a down that fails half-way, the down
 * again, and up again, verified as one log for each action. Each host counts from its last boot.
 */
import { expect } from 'chai';
import { testFleet, verifyLog, type TestFleet } from '../support/fleet.js';

describe('fleet verify: several runs in one log', function () {
  this.timeout(60_000);
  let f: TestFleet;
  before(async () => {
    f = await testFleet('large');
  });
  after(async () => {
    await f.close();
  });
  const verify = (action: 'up' | 'down'): Promise<{ code: number; out: string }> => verifyLog(f, action);

  const FAULTS = [
    { kind: 'hang', match: 'systemctl stop jboss' },
    { kind: 'auth-refused' },
    { kind: 'drop', match: 'systemctl stop jboss' },
  ] as const;
  for (const fault of FAULTS) {
    it(`up, a down cut short by ${fault.kind} on acd-jb1, the down again, up again: each action verifies on the whole log`, async () => {
      expect((await f.cli('up', f.file, '--fleet', f.dir)).code).to.equal(0);
      const vm = f.fleet.world.vms.get('acd-jb1');
      vm?.setFaults([fault]);
      expect((await f.cli('down', f.file, '--fleet', f.dir)).code).to.equal(1);
      vm?.setFaults([]);
      expect((await f.cli('down', f.file, '--fleet', f.dir)).code).to.equal(0);
      const down = await verify('down');
      expect(down.code, down.out).to.equal(0);
      expect((await f.cli('up', f.file, '--fleet', f.dir)).code).to.equal(0);
      const up = await verify('up');
      expect(up.code, up.out).to.equal(0);
    });
  }
});
