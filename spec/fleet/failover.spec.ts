import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ProbeSummary } from '../../lib/events/index.js';
import { fleetShell, testFleet, type TestFleet, type FleetShell } from '../support/fleet.js';
import { changesSince, mark, platformState, runEvents } from '../support/pair-log.js';

/**
 * Controlled failover and failback of large.yaml against the fleet, over SSH: side b (standby
 * machines) out and back with the service never interrupted, then side a (where the service
 * runs) out, which moves the virtual IPs and switches the active database master.
 */
describe('fleet: failover and failback of large.yaml', function () {
  this.timeout(90_000);
  let f: TestFleet;
  let sh: FleetShell;
  const cli = async (...args: string[]): Promise<{ changes: string[]; probes: ProbeSummary[]; status: string }> => {
    const from = mark(f);
    const r = await f.cli(...args, '--fleet', f.dir, '--json');
    const events = runEvents(r.out);
    const finished = events.find((e) => e.type === 'run-finished');
    expect(r.code, `${r.err}\n${JSON.stringify(finished)}`).to.equal(0);
    const probes = events.flatMap((e) => (e.type === 'continuity' ? e.probes : []));
    return { changes: changesSince(f, from), probes, status: finished?.type === 'run-finished' ? finished.status : '?' };
  };
  const state = (): Promise<Record<string, string>> => platformState(f, (h, c) => sh.run(h, c));
  const side = (s: string): string[] => f.fleet.world.topology.hosts.filter((h) => h.side === s).map((h) => h.name);
  const power = (names: string[]): string[] => [...new Set(names.map((n) => f.fleet.world.vms.get(n)?.power ?? '?'))];

  before(async () => {
    f = await testFleet('large', { warm: true });
    sh = fleetShell(f);
  });
  after(async () => {
    await sh.close();
    await f.close();
  });

  let whole: Record<string, string>;
  it('failover of side b: standby on the pairs, the DB master kept, side b down in tier order, service never interrupted', async () => {
    whole = await state();
    const r = await cli('failover', f.file, '--side', 'b');
    expect(r.probes.map((p) => [p.name, p.availability, p.longestGapMs])).to.deep.equal([
      ['login page through the load balancer', 1, 0],
      ['database write and read', 1, 0],
    ]);
    expect(r.probes.every((p) => p.attempts > 0)).to.equal(true);
    const pairs = r.changes.filter((c) => /drbdadm|pcs |qm shutdown 20[12]/.test(c));
    expect(pairs).to.deep.equal([
      'acd-lb1: pcs cluster standby acd-lb2',
      'acd-store1: pcs cluster standby acd-store2',
      'pve2: qm shutdown 202 --timeout 3',
      'acd-store2: drbdadm down jtelshared',
      'pve2: qm shutdown 201 --timeout 3',
    ]);
    expect(r.changes).to.include("acd-dbm2: mysql -h acd-dbm1 -NBe 'SET GLOBAL read_only = 0' && mysql -NBe 'SET GLOBAL read_only = 1'");
    expect(power(side('b'))).to.deep.equal(['off']);
    expect(power(side('a'))).to.deep.equal(['running']);
    const record = JSON.parse(readFileSync(path.join(f.dir, 'state', 'sides', 'acd-large.json'), 'utf8')) as { side: string };
    expect(record.side).to.equal('b');
    expect((await sh.run('acd-store1', 'cat /proc/drbd')).stdout).to.include('cs:WFConnection ro:Primary/Unknown ds:UpToDate/DUnknown');
  });

  it('failback of side b: side b up in tier order, resync, replicas caught up, unstandby and cleanup: the platform is as before', async () => {
    const r = await cli('failback', f.file, '--side', 'b');
    expect(r.probes.map((p) => [p.availability, p.longestGapMs])).to.deep.equal([[1, 0], [1, 0]]);
    expect(r.changes.filter((c) => /drbdadm|pcs /.test(c))).to.deep.equal([
      'acd-store2: drbdadm up jtelshared',
      'acd-store2: drbdadm primary jtelshared',
      'acd-store2: pcs cluster start',
      'acd-lb2: pcs cluster start',
      'acd-lb1: pcs cluster unstandby acd-lb2',
      'acd-lb1: pcs resource cleanup',
      'acd-store1: pcs cluster unstandby acd-store2',
      'acd-store1: pcs resource cleanup',
    ]);
    expect(await state()).to.deep.equal(whole);
  });

  it('failover of side a, where the service runs: the VIPs move to side b and acd-dbm2 becomes the writable master', async () => {
    const r = await cli('failover', f.file, '--side', 'a');
    expect(r.changes.filter((c) => /standby|read_only/.test(c))).to.deep.equal([
      'acd-lb2: pcs cluster standby acd-lb1',
      'acd-store2: pcs cluster standby acd-store1',
      "acd-dbm1: mysql -h acd-dbm2 -NBe 'SET GLOBAL read_only = 0' && mysql -NBe 'SET GLOBAL read_only = 1'",
    ]);
    // Writes never stop: the partner takes them before the leaving master refuses them.
    expect(r.probes.find((p) => p.name === 'database write and read')?.availability, JSON.stringify(r.probes)).to.equal(1);
    expect(power(side('a'))).to.deep.equal(['off']);
    expect((await sh.run('acd-dbm2', "mysql -NBe 'SELECT @@read_only'")).stdout).to.equal('0\n');
    expect((await sh.run('acd-jb2', 'curl -fsS -o /dev/null -w %{http_code} http://10.20.19.100/')).stdout).to.equal('200');
  });

  it('failback of side a: everything runs again, the services stay on side b', async () => {
    const r = await cli('failback', f.file, '--side', 'a');
    expect(r.status).to.equal('succeeded');
    expect(power([...side('a'), ...side('b')])).to.deep.equal(['running']);
    const pcs = (await sh.run('acd-lb1', 'pcs status')).stdout;
    expect(pcs).to.match(/ClusterIP\t\(ocf::heartbeat:IPaddr2\):\tStarted acd-lb2/);
    expect((await sh.run('acd-dbm1', "mysql -NBe 'SELECT @@read_only'")).stdout).to.equal('1\n');
  });
});
