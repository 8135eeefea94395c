import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseFleetLog, verifyRun, type FleetEvent } from '../../lib/fleet/index.js';
import { buildPlan } from '../../lib/plan/index.js';
import { fleetShell, testFleet, type TestFleet, type Outcome, waitUntil, type FleetShell } from '../support/fleet.js';
import { loadValid, ROOT } from '../support/topologies.js';

const VIP = '10.30.0.20';
const SHARES = [
  'Anonymous login successful',
  '',
  '\tSharename       Type      Comment',
  '\t---------       ----      -------',
  '\tshared          Disk      jtel shared storage',
  '\tIPC$            IPC       IPC Service (Samba 4.10.16)',
  'SMB1 disabled -- no workgroup available',
  '',
].join('\n');
const unreachable = (host: string): string => `do_connect: Connection to ${host} failed (Error NT_STATUS_HOST_UNREACHABLE)\n`;

describe('fleet: the single-primary storage pair of storage-pair.yaml', function () {
  this.timeout(30_000);
  let f: TestFleet;
  let sh: FleetShell;
  const run = (host: string, command: string): Promise<Outcome> => sh.outcome(host, command);
  const wait = (ms: number): Promise<void> => f.fleet.world.time.wait(ms);
  const until = (cond: () => boolean): Promise<void> => waitUntil(f, cond);
  const power = (vm: string): string | undefined => f.fleet.world.vms.get(vm)?.power;
  const events = (): FleetEvent[] => parseFleetLog(readFileSync(path.join(f.dir, 'events.jsonl'), 'utf8')).events;

  before(async () => {
    f = await testFleet('storage-pair');
    sh = fleetShell(f);
    await run('kvm1', 'virsh start acd-store1');
    await run('kvm2', 'virsh start acd-store2');
    await until(() => power('acd-store1') === 'running' && power('acd-store2') === 'running');
  });
  after(async () => {
    await sh.close();
    await f.close();
  });

  it('only one node can be Primary while connected', async () => {
    for (const n of ['acd-store1', 'acd-store2']) expect((await run(n, 'drbdadm up jtelshared')).code).to.equal(0);
    expect((await run('acd-store2', 'drbdadm primary jtelshared')).code).to.equal(0);
    expect(await run('acd-store1', 'drbdadm primary jtelshared')).to.deep.equal({
      code: 11, out: '', err: "0: State change failed: (-1) Multiple primaries not allowed by config\nCommand 'drbdsetup-84 primary 0' terminated with exit code 11\n",
    });
    expect((await run('acd-store1', 'drbdadm role jtelshared')).out).to.equal('Secondary/Primary\n');
    expect((await run('acd-store1', 'cat /proc/drbd')).out).to.include(' 0: cs:Connected ro:Secondary/Primary ds:UpToDate/UpToDate C r-----\n');
  });

  it('the VIP answers nothing until the cluster runs; then the VIP and Samba run on the Primary', async () => {
    expect(await run('acd-store1', `smbclient -N -L //${VIP}`)).to.deep.equal({ code: 1, out: '', err: unreachable(VIP) });
    expect(await run('acd-store1', 'smbclient -N -L //acd-store2')).to.deep.equal({ code: 1, out: '', err: 'do_connect: Connection to acd-store2 failed (Error NT_STATUS_CONNECTION_REFUSED)\n' });
    await run('acd-store1', 'pcs cluster start --all');
    await wait(10_000);
    const status = (await run('acd-store1', 'pcs status')).out;
    expect(status).to.match(/^Cluster name: storage$/m);
    expect(status).to.match(/^ ClusterIP\t\(ocf::heartbeat:IPaddr2\):\tStarted acd-store2$/m);
    expect(status).to.match(/^ samba\t\(systemd:smb\):\tStarted acd-store2$/m);
    expect(status, 'placed on the DRBD Primary at once, without a failed start').to.not.match(/Failed Actions/);
    expect(await run('acd-store1', `smbclient -N -L //${VIP}`)).to.deep.equal({ code: 0, out: SHARES, err: '' });
    expect((await run('acd-store1', 'smbclient -L \\\\\\\\10.30.0.11 -N')).out).to.equal(SHARES);
    expect((await run('acd-store2', 'smbclient -N -L //acd-store1')).err).to.equal('do_connect: Connection to acd-store1 failed (Error NT_STATUS_CONNECTION_REFUSED)\n');
  });

  it('a standby move: the VIP goes first, Samba follows once DRBD is promoted there; events.jsonl has the sequence', async () => {
    expect((await run('acd-store1', 'pcs cluster standby acd-store2')).code).to.equal(0);
    await wait(10_000);
    const moved = (await run('acd-store1', 'pcs status')).out;
    expect(moved).to.match(/^Node acd-store2: standby$/m);
    expect(moved, 'Samba cannot mount DRBD on the Secondary').to.match(/samba_start_0 on acd-store1 'not running' \(7\)/);
    expect(moved).to.match(/^ samba\t\(systemd:smb\):\tStopped$/m);
    expect(await run('acd-store1', `smbclient -N -L //${VIP}`)).to.deep.equal({ code: 1, out: '', err: unreachable(VIP) });
    expect((await run('acd-store2', 'drbdadm secondary jtelshared')).code).to.equal(0);
    expect((await run('acd-store1', 'drbdadm primary jtelshared')).code).to.equal(0);
    await run('acd-store1', 'pcs resource cleanup');
    await wait(10_000);
    expect((await run('acd-store2', 'crm_resource --locate -r samba -Q')).out).to.equal('acd-store1\n');
    expect(await run('acd-store2', `smbclient -N -L //${VIP}`)).to.deep.equal({ code: 0, out: SHARES, err: '' });
    expect((await run('acd-store1', 'pcs node unstandby acd-store2')).code).to.equal(0);
    await wait(10_000);
    expect((await run('acd-store2', 'crm_resource --locate -r ClusterIP -Q')).out, 'stickiness: no move back').to.equal('acd-store1\n');

    const seen = events().filter((e) => e.type === 'pcs-node' || (e.type === 'pcs' && e.resource === 'samba'));
    const index = (test: (e: FleetEvent) => boolean): number => seen.findIndex(test);
    const steps = [
      index((e) => e.type === 'pcs-node' && e.node === 'acd-store2' && e.standby),
      index((e) => e.type === 'pcs' && e.state === 'Stopped' && e.node === 'acd-store2'),
      index((e) => e.type === 'pcs' && e.state === 'FAILED' && e.node === 'acd-store1'),
      index((e) => e.type === 'pcs' && e.state === 'Started' && e.node === 'acd-store1'),
      index((e) => e.type === 'pcs-node' && e.node === 'acd-store2' && !e.standby),
    ];
    expect(steps.every((s) => s >= 0), JSON.stringify(seen)).to.equal(true);
    expect([...steps].sort((a, b) => a - b)).to.deep.equal(steps);
  });

  it('standby survives a restart of the node', async () => {
    await run('acd-store1', 'pcs node standby acd-store2');
    await run('kvm2', 'virsh shutdown acd-store2');
    await until(() => power('acd-store2') === 'off');
    await run('kvm2', 'virsh start acd-store2');
    await until(() => power('acd-store2') === 'running');
    expect((await run('acd-store1', 'pcs cluster start acd-store2')).code).to.equal(0);
    expect((await run('acd-store1', 'pcs status')).out).to.match(/^Node acd-store2: standby$/m);
  });

  it('fleet verify: forcing off the node that runs the resources, under its running cluster, is a violation', async () => {
    await run('kvm1', 'virsh destroy acd-store1');
    const { topology, graph } = loadValid(path.join(ROOT, f.file));
    const found = verifyRun(buildPlan(topology, graph, 'down'), events()).filter((v) => v.message.startsWith('acd-store1 was powered off'));
    expect(found.map((v) => v.message)).to.have.length(2);
    expect(found[0]?.message).to.match(/^acd-store1 was powered off at \d+\.\d{3}s \("virsh destroy"\) while ClusterIP of the storage cluster was Started on it and the cluster ran there: neither were its resources moved away \(pcs node standby\) nor the cluster stopped first$/);
    expect(found[0]?.events.map((e) => e.type)).to.deep.equal(['pcs', 'unit', 'power']);
    expect(found[0]?.events[0]).to.include({ type: 'pcs', resource: 'ClusterIP', state: 'Started', node: 'acd-store1' });
  });
});
