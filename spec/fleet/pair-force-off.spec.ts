import { expect } from 'chai';
import { testFleet } from '../support/fleet.js';

describe('fleet: a pair node whose shutdown hangs', function () {
  this.timeout(30_000);

  it('is forced off after its shutdown timeout, like any other host', async () => {
    const f = await testFleet('storage-pair', { warm: true, faults: { 'acd-store2': [{ kind: 'shutdown-hangs' }] } });
    try {
      const r = await f.cli('down', f.file, '--fleet', f.dir);
      expect(r.code, r.out).to.equal(0);
      expect(r.out).to.match(/acd-store2 +WARN acd-store2 did not shut down within 2s; forcing the power off \(virsh destroy acd-store2\)/);
      expect(f.fleet.world.vms.get('acd-store2')?.power).to.equal('off');
    } finally {
      await f.close();
    }
  });
});
