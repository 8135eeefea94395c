import { expect } from 'chai';
import { DrbdModel } from '../../lib/fleet/models/drbd.js';
import { verifyPairs } from '../../lib/fleet/verify-pairs.js';
import { fleetShell, testFleet, type TestFleet, type Outcome, waitUntil, type FleetShell } from '../support/fleet.js';

describe('fleet: DRBD 8.4 and Pacemaker on the storage pair of large.yaml', function () {
  this.timeout(30_000);
  let f: TestFleet;
  let sh: FleetShell;
  const run = (host: string, command: string): Promise<Outcome> => sh.outcome(host, command);
  const wait = (ms: number): Promise<void> => f.fleet.world.time.wait(ms);
  const running = (vm: string) => (): boolean => f.fleet.world.vms.get(vm)?.running === true;
  const until = (cond: () => boolean): Promise<void> => waitUntil(f, cond);

  before(async () => {
    f = await testFleet('large');
    sh = fleetShell(f);
    await run('pve1', 'qm start 101');
    await run('pve2', 'qm start 201');
    await until(() => running('acd-store1')() && running('acd-store2')());
  });
  after(async () => {
    await sh.close();
    await f.close();
  });

  it('DRBD is not up after boot: /proc/drbd has only the version lines', async () => {
    const r = await run('acd-store1', 'cat /proc/drbd');
    expect(r.out).to.equal('version: 8.4.11 (api:1/proto:86-101)\nsrcversion: C83CE761848B9DE61379370\n');
    const role = await run('acd-store1', 'drbdadm role jtelshared');
    expect(role).to.deep.equal({ code: 10, out: '', err: "0: Failure: (127) Device minor not allocated\nadditional info from kernel:\nunknown minor\nCommand 'drbdsetup-84 role 0' terminated with exit code 10\n" });
  });

  it('drbdadm up: WFConnection until the peer is up too, then Connected and UpToDate on both', async () => {
    expect((await run('acd-store1', 'drbdadm up jtelshared')).code).to.equal(0);
    expect((await run('acd-store1', 'cat /proc/drbd')).out).to.include(' 0: cs:WFConnection ro:Secondary/Unknown ds:UpToDate/DUnknown C r-----\n');
    expect((await run('acd-store2', 'drbdadm up jtelshared')).code).to.equal(0);
    expect((await run('acd-store2', 'cat /proc/drbd')).out).to.include(' 0: cs:Connected ro:Secondary/Secondary ds:UpToDate/UpToDate C r-----\n');
    expect((await run('acd-store1', 'drbdadm up jtelshared')).code).to.equal(20);
  });

  it('pcs: not running before `pcs cluster start --all`; Samba fails without a DRBD Primary and stays failed until cleanup', async () => {
    expect(await run('acd-store1', 'pcs status')).to.deep.equal({ code: 1, out: '', err: 'Error: cluster is not currently running on this node\n' });
    const start = await run('acd-store1', 'pcs cluster start --all');
    expect(start.out).to.equal('acd-store1: Starting Cluster (corosync)...\nacd-store2: Starting Cluster (corosync)...\nacd-store1: Starting Cluster (pacemaker)...\nacd-store2: Starting Cluster (pacemaker)...\n');
    await wait(10_000);
    const status = (await run('acd-store1', 'pcs status')).out;
    expect(status).to.match(/^Online: \[ acd-store1 acd-store2 \]$/m);
    expect(status).to.match(/^ samba\t\(systemd:smb\):\tStopped$/m);
    expect(status).to.match(/^Failed Actions:$/m);
    expect(status).to.match(/samba_start_0 on acd-store1 'not running' \(7\)/);
    expect(status).to.match(/samba_start_0 on acd-store2 'not running' \(7\)/);
  });

  it('after `drbdadm primary` on both and `pcs resource cleanup`, the VIP and Samba run on the first node', async () => {
    for (const n of ['acd-store1', 'acd-store2']) expect((await run(n, 'drbdadm primary jtelshared')).code).to.equal(0);
    expect((await run('acd-store1', 'drbdadm role jtelshared')).out).to.equal('Primary/Primary\n');
    await run('acd-store1', 'pcs resource cleanup');
    await wait(10_000);
    const status = (await run('acd-store2', 'pcs status')).out;
    expect(status).to.match(/^ ClusterIP\t\(ocf::heartbeat:IPaddr2\):\tStarted acd-store1$/m);
    expect(status).to.match(/^ samba\t\(systemd:smb\):\tStarted acd-store1$/m);
    expect(status).to.not.match(/Failed Actions/);
    const xml = (await run('acd-store1', 'crm_mon -1 --output-as=xml')).out;
    expect(xml).to.match(/<resource id="samba" resource_agent="systemd:smb" role="Started" active="true"[^>]*>\s*<node name="acd-store1"/);
    expect((await run('acd-store1', 'systemctl is-active smb')).out).to.equal('active\n');
    expect((await run('acd-store2', 'smbclient -N -L //10.20.19.20')).out).to.include('\tshared          Disk      jtel shared storage\n');
    // A web server booted now mounts the share through the storage VIP.
    await run('pve1', 'qm start 121');
    await until(running('acd-jb1'));
    expect((await run('acd-jb1', 'findmnt /home/jtel/shared')).out).to.equal('//10.20.19.20/shared cifs\n');
  });

  it('standby moves everything to the other node; a node in use cannot be demoted', async () => {
    expect((await run('acd-store1', 'drbdadm secondary jtelshared')).code).to.equal(11);
    await run('acd-store1', 'pcs node standby acd-store1');
    await wait(10_000);
    expect((await run('acd-store1', 'crm_resource --locate -r samba -Q')).out).to.equal('acd-store2\n');
    expect((await run('acd-store1', 'pcs status')).out).to.match(/^Node acd-store1: standby$/m);
    expect((await run('acd-jb1', 'smbclient -N -L //10.20.19.20')).code, 'the share answers on the VIP from the new node').to.equal(0);
    expect((await run('acd-jb1', 'mountpoint /home/jtel/shared')).code, 'a soft CIFS mount through the VIP survives the move').to.equal(0);
  });

  it('a node that comes back after its peer kept writing resyncs (progress line) and cannot be promoted before it is UpToDate', async () => {
    expect((await run('acd-store1', 'drbdadm down jtelshared')).code).to.equal(0);
    expect((await run('acd-store2', 'cat /proc/drbd')).out).to.include('cs:WFConnection ro:Primary/Unknown ds:UpToDate/DUnknown');
    await run('acd-store1', 'drbdadm up jtelshared');
    const syncing = (await run('acd-store1', 'cat /proc/drbd')).out;
    expect(syncing).to.match(/ 0: cs:SyncTarget ro:Secondary\/Primary ds:Inconsistent\/UpToDate C r-----\n.*\n\t\[[=>.]+\] sync'ed: +[\d.]+% \(\d+\/1048576\)K\n\tfinish: \d+:\d\d:\d\d speed: [\d,]+ \([\d,]+\) want: 40,960 K\/sec\n/);
    const refused = await run('acd-store1', 'drbdadm primary jtelshared');
    expect(refused).to.deep.equal({ code: 17, out: '', err: "0: State change failed: (-2) Need access to UpToDate data\nCommand 'drbdsetup-84 primary 0' terminated with exit code 17\n" });
    await wait(40_000);
    expect((await run('acd-store1', 'drbdadm dstate jtelshared')).out).to.equal('UpToDate/UpToDate\n');
    expect((await run('acd-store1', 'drbdadm primary jtelshared')).code).to.equal(0);
  });

  it('fleet verify finds no unsafe promotion: the refused one did not pass, the later one found UpToDate data', () => {
    const events = f.fleet.world.log.events;
    expect(events.some((e) => e.type === 'drbd' && e.host === 'acd-store1' && e.disk === 'Inconsistent')).to.equal(true);
    expect(verifyPairs(events).map((v) => v.message)).to.deep.equal([]);
  });

  it('`drbdadm status` speaks drbd-utils 9 on the 8.4 kernel', async () => {
    expect((await run('acd-store1', 'drbdadm status jtelshared')).out).to.equal('jtelshared role:Primary\n  disk:UpToDate\n  peer role:Primary\n    replication:Established peer-disk:UpToDate\n\n');
  });
});

describe('fleet: DRBD and pcs faults', function () {
  this.timeout(30_000);

  it('drbd-peer-unreachable keeps the pair in WFConnection; pcs-failed-action needs a cleanup', async () => {
    const f = await testFleet('large', { warm: true, faults: { 'acd-store2': [{ kind: 'drbd-peer-unreachable' }], 'acd-store1': [{ kind: 'pcs-failed-action' }] } });
    const shell = fleetShell(f);
    try {
      const run = async (host: string, command: string): Promise<string> => (await shell.run(host, command)).stdout;
      expect(await run('acd-store1', 'cat /proc/drbd')).to.include('cs:WFConnection ro:Primary/Unknown ds:UpToDate/DUnknown');
      // The failed start moves samba to acd-store2 after the simulated resource start time.
      let status = await run('acd-store1', 'pcs status');
      for (let i = 0; i < 100 && !/Started acd-store2$/m.test(status); i++) status = await run('acd-store1', 'pcs status');
      expect(status).to.match(/samba_start_0 on acd-store1 'not running' \(7\)/);
      expect(status).to.match(/^ samba\t\(systemd:smb\):\tStarted acd-store2$/m);
      await run('acd-store1', 'pcs resource cleanup samba');
      expect(await run('acd-store1', 'pcs status')).to.not.match(/Failed Actions/);
    } finally {
      await shell.close();
      await f.close();
    }
  });

  it('two Primaries that both wrote while apart meet in split brain: StandAlone', async () => {
    const f = await testFleet('large', { warm: true });
    try {
      const drbd = f.fleet.world.models.find((m): m is DrbdModel => m instanceof DrbdModel);
      const pair = drbd?.pairOf('acd-store1', 'jtelshared');
      if (!drbd || !pair) throw new Error('no DRBD pair jtelshared on acd-store1');
      drbd.heldOpen = () => true; // both serve files while the link is down
      pair.linkBroken = true;
      drbd.settle();
      pair.linkBroken = false;
      drbd.settle();
      const store1 = f.fleet.world.models.map((m) => m.readFile?.(f.fleet.world.vms.get('acd-store1') as never, '/proc/drbd')).find((t) => t !== undefined);
      expect(store1).to.include(' 0: cs:StandAlone ro:Primary/Unknown ds:UpToDate/DUnknown   r-----');
      const [violation, ...more] = verifyPairs(f.fleet.world.log.events);
      expect(more).to.deep.equal([]);
      expect(violation?.message).to.match(/^split brain of DRBD jtelshared at \d+\.\d{3}s \(block drbd0: Split-Brain detected but unresolved, dropping connection!\): both nodes were Primary and wrote while apart$/);
      expect(violation?.events.map((e) => [e.type, 'host' in e ? e.host : ''])).to.deep.equal([['fault', 'acd-store1'], ['drbd', 'acd-store1'], ['drbd', 'acd-store2']]);
    } finally {
      await f.close();
    }
  });
});
