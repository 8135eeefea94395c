/**
 * `--limit` against the simulated fleet of small.yaml over SSH: `up --limit acd-jb1` starts the
 * web server and what it requires and nothing else (the telephony server is never powered on);
 * its resume keeps the limit; a second limited up finds the shared tiers already up; a limited
 * down stops the DB slave after what depends on it and leaves the master and storage running.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseFleetLog, verifyRun } from '../../lib/fleet/index.js';
import { planFromDocument, type Plan } from '../../lib/plan/index.js';
import { testFleet, type TestFleet } from '../support/fleet.js';

describe('end to end: --limit against the simulated fleet of small.yaml', function () {
  this.timeout(60_000);
  let f: TestFleet;
  before(async () => {
    f = await testFleet('small', { faults: { 'acd-jb1': [{ kind: 'unhealthy', match: 'http://127.0.0.1:8080/' }] } });
  });
  after(async () => {
    await f.close();
  });

  const running = (): string[] => [...f.fleet.world.vms.values()].filter((vm) => vm.running).map((vm) => vm.host.name).sort();
  const events = () => parseFleetLog(readFileSync(path.join(f.dir, 'events.jsonl'), 'utf8')).events;
  const started = (): string[] => events().flatMap((e) => (e.type === 'command' && e.command.startsWith('virsh start ') ? [e.command.slice('virsh start '.length)] : []));
  let plan: Plan;

  it('plan --limit --json: the web server and what it requires, with why', async () => {
    const r = await f.cli('plan', f.file, '--fleet', f.dir, '--limit', 'acd-jb1', '--json');
    expect(r.code, r.err).to.equal(0);
    const read = planFromDocument(JSON.parse(r.out));
    if ('error' in read) throw new Error(read.error);
    plan = read;
    expect(plan.waves).to.deep.equal([['acd-lb'], ['acd-dbm'], ['acd-dbs'], ['acd-jb1']]);
    expect(plan.limit?.added.map((a) => `${a.host} ${a.because} by ${a.of.join(',')}`)).to.deep.equal(['acd-dbs required by acd-jb1', 'acd-lb required by acd-dbm,acd-jb1', 'acd-dbm required by acd-dbs']);
  });

  it('up --limit: fails at the web server (a fault), and resume keeps the limit', async () => {
    const up = await f.cli('up', f.file, '--fleet', f.dir, '--limit', 'acd-jb1');
    expect(up.code, up.out).to.equal(1);
    expect(up.err.split('\n')).to.include.members(['limit acd-jb1: acd-jb1, and what it requires:', '  + acd-dbs: required by acd-jb1 (web requires db-slave)', '  not started: acd-tel1 (left as they are)']);
    f.fleet.world.vms.get('acd-jb1')?.setFaults([]);
    const resumed = await f.cli('resume');
    expect(resumed.code, `${resumed.out}\n${resumed.err}`).to.equal(0);
    expect(resumed.err).to.match(/^resuming run \S+ \(up acd-small, started .*\) with --limit acd-jb1 \(4 hosts, as its plan says\), which failed: 3 hosts reached the target there/m);
    // The web server was running when its check failed: the resumed run verifies it, as every host of the plan.
    expect(resumed.out.split('\n').at(-1)).to.match(/^up: succeeded in .*: 4 already up$/);
  });

  it('only the subset and its requirements were started, in the runbook order', () => {
    expect(running()).to.deep.equal(['acd-dbm', 'acd-dbs', 'acd-jb1', 'acd-lb']);
    expect(started()).to.deep.equal(['acd-lb', 'acd-dbm', 'acd-dbs', 'acd-jb1']);
    expect(verifyRun(plan, events())).to.deep.equal([]);
  });

  it('fleet verify --limit checks the limited run; without it, the hosts left alone are missing', async () => {
    const log = path.join(f.dir, 'events.jsonl');
    const limited = await f.cli('fleet', 'verify', log, '-t', f.file, '-a', 'up', '--limit', 'acd-jb1');
    expect(limited, limited.err).to.include({ code: 0, out: `up: the runbook order was kept (${events().length} events checked)` });
    const whole = await f.cli('fleet', 'verify', log, '-t', f.file, '-a', 'up');
    expect(whole.code).to.equal(1);
    expect(whole.out).to.include('violation: acd-tel1 was never powered on');
  });

  it('up --limit of the telephony server: the shared tiers are found up, only it is started', async () => {
    const r = await f.cli('up', f.file, '--fleet', f.dir, '--limit', 'role:telephony');
    expect(r.code, `${r.out}\n${r.err}`).to.equal(0);
    expect(r.out.split('\n').at(-1)).to.match(/^up: succeeded in .*: 3 already up, 1 up$/);
    expect(started()).to.deep.equal(['acd-lb', 'acd-dbm', 'acd-dbs', 'acd-jb1', 'acd-tel1']);
  });

  it('down --limit of the DB slave: what depends on it goes first; the master and storage keep running', async () => {
    const r = await f.cli('down', f.file, '--fleet', f.dir, '--limit', 'acd-dbs');
    expect(r.code, `${r.out}\n${r.err}`).to.equal(0);
    expect(r.out.split('\n').at(-1)).to.match(/^down: succeeded in .*: 3 down$/);
    expect(running()).to.deep.equal(['acd-dbm', 'acd-lb']);
    const down = await f.cli('plan', f.file, '--fleet', f.dir, '-a', 'down', '--limit', 'acd-dbs', '--json');
    const downPlan = planFromDocument(JSON.parse(down.out)) as Plan;
    expect(downPlan.waves).to.deep.equal([['acd-jb1', 'acd-tel1'], ['acd-dbs']]);
    expect(verifyRun(downPlan, events())).to.deep.equal([]);
  });

  it('a name that matches nothing exits 2 with the close names; nothing runs', async () => {
    const before = events().length;
    const r = await f.cli('up', f.file, '--fleet', f.dir, '--limit', 'acd-jb2');
    expect(r.code).to.equal(2);
    expect(r.err).to.equal("Error: --limit: no host or role matches 'acd-jb2' (close: acd-jb1)");
    expect(events().length).to.equal(before);
  });
});
