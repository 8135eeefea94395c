import { expect } from 'chai';
import path from 'node:path';
import { fleetShell, testFleet, type TestFleet, type FleetShell } from '../support/fleet.js';

const until = async (f: TestFleet, cond: () => boolean): Promise<void> => {
  for (let i = 0; i < 500 && !cond(); i++) await f.fleet.world.time.wait(100);
};
const booted = (f: TestFleet, vm: string) => (): boolean => {
  const m = f.fleet.world.vms.get(vm);
  return m?.running === true && m.systemState() === 'running';
};

describe('fleet: a wrong order is a visible failure, as on real machines', function () {
  this.timeout(30_000);
  let f: TestFleet;
  let sh: FleetShell;
  beforeEach(async () => {
    f = await testFleet('small');
    sh = fleetShell(f);
  });
  afterEach(async () => {
    await sh.close();
    await f.close();
  });

  it('a slave booted before its master shows broken replication until the master is up', async () => {
    await sh.run('kvm1', 'virsh start acd-dbs');
    await until(f, booted(f, 'acd-dbs'));
    const broken = await sh.run('acd-dbs', "mysql -NBe 'SHOW SLAVE STATUS\\G'");
    expect(broken.stdout).to.match(/^ +Slave_IO_Running: Connecting$/m);
    expect(broken.stdout).to.match(/^ +Seconds_Behind_Master: NULL$/m);
    expect(broken.stdout).to.match(/^ +Last_IO_Error: error connecting to master 'repl@acd-dbm:3306' - retry-time: 60 {2}retries: 1$/m);
    await sh.run('kvm1', 'virsh start acd-dbm');
    await f.fleet.world.time.wait(90_000); // the master boots, then the replica's next Connect_Retry
    const healed = await sh.run('acd-dbs', "mysql -NBe 'SHOW SLAVE STATUS\\G'");
    expect(healed.stdout).to.match(/^ +Slave_IO_Running: Yes$/m);
  });

  it('a web server booted before the storage has no share, and the login page has no logo', async () => {
    await sh.run('kvm1', 'virsh start acd-jb1');
    await until(f, booted(f, 'acd-jb1'));
    const mounted = await sh.run('acd-jb1', 'mountpoint /home/jtel/shared');
    expect(mounted).to.include({ exitCode: 32, stdout: '/home/jtel/shared is not a mountpoint\n' });
    const mount = await sh.run('acd-jb1', 'mount /home/jtel/shared');
    expect(mount.exitCode).to.equal(32);
    expect(mount.stderr).to.match(/^mount error\(112\): Host is down/);
    await sh.run('kvm1', 'virsh start acd-lb');
    await until(f, booted(f, 'acd-lb'));
    await f.fleet.world.time.wait(15_000); // JBoss deploys
    const logo = await fetch(`${f.fleet.overlay.http['acd-lb:80'] ?? ''}/logo.png`);
    expect(logo.status).to.equal(404);
    expect((await sh.run('acd-jb1', 'mount /home/jtel/shared')).exitCode).to.equal(0);
    expect((await fetch(`${f.fleet.overlay.http['acd-lb:80'] ?? ''}/logo.png`)).status).to.equal(200);
  });

  it('fleet verify names the violation, with the events that prove it', async () => {
    // Everything at once, ignoring the runbook: the DB master boots with the load balancer.
    for (const vm of ['acd-lb', 'acd-dbm', 'acd-dbs', 'acd-tel1', 'acd-jb1']) await sh.run('kvm1', `virsh start ${vm}`);
    await until(f, () => [...f.fleet.world.vms.values()].every((vm) => vm.running));
    const r = await f.cli('fleet', 'verify', path.join(f.dir, 'events.jsonl'), '--topology', f.file, '--action', 'up');
    expect(r.code).to.equal(1);
    const lines = r.out.split('\n');
    expect(lines[0]).to.match(/^violation: acd-dbm was powered on at \d+\.\d{3}s, before acd-lb was up and checked \(its last check "systemctl is-active haproxy" never passed\)$/);
    expect(JSON.parse(lines[1] ?? '{}')).to.include({ type: 'power', host: 'acd-dbm', state: 'booting', cause: 'virsh start' });
    expect(lines.at(-1)).to.match(/^up: \d violations of the runbook order$/);
  });
});
