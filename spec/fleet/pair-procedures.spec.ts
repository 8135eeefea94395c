import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { testFleet, type TestFleet } from '../support/fleet.js';
import { changesSince, commandsSince, mark } from '../support/pair-log.js';

/**
 * The four storage procedures on a two-node, single-primary pair (topologies/storage-pair.yaml),
 * over SSH against the fleet, each checked command by command from the fleet's event log:
 * both up (primary learned from the nodes), one down and one up (a failover of side a and its
 * failback, which hands the primary to acd-store2), both down (acd-store2, now primary, last),
 * and both up again with the recorded primary first.
 */
describe('fleet: the storage pair procedures, command by command (storage-pair.yaml, single-primary)', function () {
  this.timeout(60_000);
  let f: TestFleet;
  const pairOnly = /drbdadm|pcs |virsh shutdown/;
  const run = async (...args: string[]): Promise<{ out: string; changes: string[]; all: string[] }> => {
    const from = mark(f);
    const r = await f.cli(...args, '--fleet', f.dir);
    expect(r.code, `${r.out}\n${r.err}`).to.equal(0);
    return { out: r.out, changes: changesSince(f, from, pairOnly), all: commandsSince(f, from) };
  };
  /** Before each state change on a node, the state it depends on was read on that node. */
  const readBefore = (all: string[], change: string, read: string, on?: string): void => {
    const i = all.indexOf(change);
    expect(i, change).to.be.greaterThan(-1);
    const host = on ?? change.split(':')[0] ?? '';
    expect(all.slice(0, i).some((c) => c === `${host}: ${read}`), `${read} on ${host} before ${change}`).to.equal(true);
  };

  before(async () => {
    f = await testFleet('storage-pair');
  });
  after(async () => {
    await f.close();
  });

  it('both up: drbdadm up (primary first), both Secondary and UpToDate, drbdadm primary on the primary only, pcs cluster start --all and cleanup', async () => {
    const r = await run('up', f.file);
    expect(r.out).to.include('acd-store1 taken as the primary (both had the same data)');
    expect(r.changes).to.deep.equal([
      'acd-store1: drbdadm up jtelshared',
      'acd-store2: drbdadm up jtelshared',
      'acd-store1: drbdadm primary jtelshared',
      'acd-store1: pcs cluster start --all',
      'acd-store1: pcs resource cleanup',
    ]);
    readBefore(r.all, 'acd-store1: drbdadm primary jtelshared', 'cat /proc/drbd');
    expect(r.all.at(-1)).to.equal('acd-store1: pcs status');
  });

  it('one down (failover of side a): the primary is handed to acd-store2, then acd-store1 goes down', async () => {
    const r = await run('failover', f.file, '--side', 'a');
    expect(r.changes).to.deep.equal([
      'acd-store2: pcs cluster standby acd-store1',
      'acd-store1: drbdadm secondary jtelshared',
      'acd-store2: drbdadm primary jtelshared',
      'acd-store2: pcs resource cleanup',
      'acd-store1: drbdadm down jtelshared',
      'kvm1: virsh shutdown acd-store1',
    ]);
    readBefore(r.all, 'acd-store2: drbdadm primary jtelshared', 'cat /proc/drbd');
    readBefore(r.all, 'acd-store1: drbdadm down jtelshared', 'pcs status');
    expect(r.out).to.match(/continuity "share listed through the virtual IP": [\d.]+% of \d+ probes passed/);
    expect(f.fleet.world.vms.get('acd-store1')?.power).to.equal('off');
  });

  it('one up (failback of side a): drbdadm up, the resync waited out, no promotion (single-primary), cluster rejoined', async () => {
    const r = await run('failback', f.file, '--side', 'a');
    expect(r.changes).to.deep.equal([
      'acd-store1: drbdadm up jtelshared',
      'acd-store1: pcs cluster start',
      'acd-store2: pcs cluster unstandby acd-store1',
      'acd-store2: pcs resource cleanup',
    ]);
    expect(r.out).to.match(/acd-store1 ok +storage\/resync finished, UpToDate\/UpToDate: cs:Connected ro:Secondary\/Primary ds:UpToDate\/UpToDate/);
  });

  it('both down: the active node found with pcs status, the cluster stopped, the secondary down first, the primary last and recorded', async () => {
    const r = await run('down', f.file);
    expect(r.changes).to.deep.equal([
      'acd-store2: pcs cluster stop --all',
      'acd-store1: drbdadm down jtelshared',
      'kvm1: virsh shutdown acd-store1',
      'acd-store2: drbdadm down jtelshared',
      'kvm2: virsh shutdown acd-store2',
    ]);
    // Read on the first node; the node running the resources (acd-store2) then stops the cluster.
    readBefore(r.all, 'acd-store2: pcs cluster stop --all', 'pcs status', 'acd-store1');
    const record = JSON.parse(readFileSync(path.join(f.dir, 'state', 'pairs', 'storage-pair.json'), 'utf8')) as Record<string, { host: string }>;
    expect(record.storage?.host).to.equal('acd-store2');
  });

  it('both up again: the recorded primary (acd-store2) comes up and is promoted first', async () => {
    const plan = await f.cli('plan', f.file);
    expect(plan.out).to.include('primary: acd-store2 (recorded: it went down last)');
    const r = await run('up', f.file);
    expect(r.changes).to.deep.equal([
      'acd-store2: drbdadm up jtelshared',
      'acd-store1: drbdadm up jtelshared',
      'acd-store2: drbdadm primary jtelshared',
      'acd-store2: pcs cluster start --all',
      'acd-store2: pcs resource cleanup',
    ]);
    const verify = await f.cli('fleet', 'verify', path.join(f.dir, 'events.jsonl'), '--topology', f.file, '--action', 'up');
    expect(verify.out).to.match(/^up: the runbook order was kept/);
  });
});
