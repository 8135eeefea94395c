import { expect } from 'chai';
import path from 'node:path';
import { testFleet } from '../support/fleet.js';

for (const name of ['small', 'medium', 'large']) {
  describe(`fleet: up and down of ${name}.yaml over SSH, checked with fleet verify`, function () {
    this.timeout(60_000);
    it('comes up in the runbook order, goes down in exact reverse, and fleet verify agrees', async () => {
      const f = await testFleet(name);
      try {
        const up = await f.cli('up', f.file, '--fleet', f.dir);
        expect(up.code, `${up.out}\n${up.err}`).to.equal(0);
        const log = path.join(f.dir, 'events.jsonl');
        const verifyUp = await f.cli('fleet', 'verify', log, '--topology', f.file, '--action', 'up');
        expect(verifyUp.out, verifyUp.out).to.match(/^up: the runbook order was kept/);
        expect([...f.fleet.world.vms.values()].every((vm) => vm.running)).to.equal(true);
        const down = await f.cli('down', '--fleet', f.dir);
        expect(down.code, `${down.out}\n${down.err}`).to.equal(0);
        const verifyDown = await f.cli('fleet', 'verify', log, '--topology', f.file, '--action', 'down');
        expect(verifyDown.out, verifyDown.out).to.match(/^down: the runbook order was kept/);
        expect([...f.fleet.world.vms.values()].every((vm) => vm.power === 'off')).to.equal(true);
      } finally {
        await f.close();
      }
    });
  });
}

describe('fleet: a warm start', function () {
  this.timeout(30_000);
  it('finds every host already up and starts nothing', async () => {
    const f = await testFleet('small', { warm: true });
    try {
      const up = await f.cli('up', f.file, '--fleet', f.dir);
      expect(up.code, up.out).to.equal(0);
      expect(up.out.split('\n').at(-1)).to.match(/: 5 already up$/);
      expect(f.fleet.world.log.events.filter((e) => e.type === 'command' && /virsh start|systemctl start/.test(e.command))).to.deep.equal([]);
    } finally {
      await f.close();
    }
  });
});
