import { expect } from 'chai';
import { fleetShell, testFleet, type TestFleet, type Outcome, waitUntil, type FleetShell } from '../support/fleet.js';

const VIP = '10.20.19.100';

describe('fleet: the load balancers\' virtual IP of large.yaml', function () {
  this.timeout(30_000);
  let f: TestFleet;
  let sh: FleetShell;
  const run = (host: string, command: string): Promise<Outcome> => sh.outcome(host, command);
  const wait = (ms: number): Promise<void> => f.fleet.world.time.wait(ms);
  const haproxy = (vm: string) => (): boolean => f.fleet.world.vms.get(vm)?.units.get('haproxy')?.state === 'active';
  const until = (cond: () => boolean): Promise<void> => waitUntil(f, cond);

  before(async () => {
    f = await testFleet('large');
    sh = fleetShell(f);
    await run('pve1', 'qm start 102');
    await run('pve2', 'qm start 202');
    await until(() => haproxy('acd-lb1')() && haproxy('acd-lb2')());
  });
  after(async () => {
    await sh.close();
    await f.close();
  });

  it('haproxy runs at boot, the cluster stack does not: no node holds the VIP, so curl finds no route', async () => {
    expect((await run('acd-lb1', 'systemctl is-active haproxy')).out).to.equal('active\n');
    expect(await run('acd-lb1', 'systemctl is-active pcsd pacemaker')).to.deep.equal({ code: 3, out: 'active\ninactive\n', err: '' });
    expect(await run('acd-lb2', `curl -sS http://${VIP}/`)).to.deep.equal({ code: 7, out: '', err: `curl: (7) Failed to connect to ${VIP} port 80 after 3 ms: No route to host\n` });
  });

  it('after `pcs cluster start --all`, the VIP leads to the node holding ClusterIP, from any VM', async () => {
    await run('acd-lb2', 'pcs cluster start --all');
    await wait(10_000);
    const status = (await run('acd-lb2', 'pcs status')).out;
    expect(status).to.match(/^Cluster name: lb$/m);
    expect(status).to.match(/^ ClusterIP\t\(ocf::heartbeat:IPaddr2\):\tStarted acd-lb1$/m);
    expect(status).to.match(/^1 resource configured$/m);
    // No web server runs: haproxy answers 503, through the VIP as directly.
    expect(await run('acd-lb2', `curl -s -o /dev/null -w '%{http_code}' http://${VIP}/`)).to.deep.equal({ code: 0, out: '503', err: '' });
    // The VIP is acd-lb1's: without its haproxy, the VIP refuses although acd-lb2's runs.
    await run('acd-lb1', 'systemctl stop haproxy');
    expect(await run('acd-lb2', `curl -sS http://${VIP}/`)).to.deep.equal({ code: 7, out: '', err: `curl: (7) Failed to connect to ${VIP} port 80 after 0 ms: Connection refused\n` });
  });

  it('standby moves the VIP to the other node, and curl follows it', async () => {
    await run('acd-lb1', 'pcs node standby acd-lb1');
    await wait(10_000);
    expect((await run('acd-lb1', 'crm_resource --locate -r ClusterIP -Q')).out).to.equal('acd-lb2\n');
    expect((await run('acd-lb1', `curl -s -o /dev/null -w '%{http_code}' http://${VIP}/`)).out).to.equal('503');
  });
});
