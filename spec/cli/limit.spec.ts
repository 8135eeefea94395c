import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runMain, type CliResult } from '../support/cli.js';

const run = (args: string[]): Promise<CliResult> => runMain(args);

describe('the command line: --limit', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'orchestrate-limit-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('plan --limit: the added hosts with why, and what is left alone', async () => {
    const r = await run(['plan', 'topologies/large.yaml', '-l', 'acd-lb1']);
    expect(r.code, r.err).to.equal(0);
    expect(r.out.split('\n').slice(0, 7)).to.deep.equal([
      'plan: up acd-large (topologies/large.yaml): 4 hosts in 2 waves, no limit on commands at once',
      'Each host starts as soon as what it waits for is ready; waves only group the output.',
      'limit acd-lb1: acd-lb1, and what it requires:',
      '  + acd-store1: required by acd-lb1, acd-lb2 (lb requires storage)',
      '  + acd-store2: required by acd-lb1, acd-lb2 (lb requires storage)',
      '  + acd-lb2: the other node of pair lb with acd-lb1: a pair starts and stops whole',
      '  not started: acd-api1, acd-api2, acd-chat1, acd-chat2, acd-chatbot, acd-dbm1, acd-dbm2, acd-dbr, acd-dbs1, acd-dbs2, acd-jb1, acd-jb2, … (20 in all) (left as they are)',
    ]);
  });

  it('plan -o of a limited plan; apply --dry-run walks only its hosts', async () => {
    const file = path.join(dir, 'down-dbs.json');
    expect((await run(['plan', 'topologies/small.yaml', '-a', 'down', '--limit', 'acd-dbs', '-o', file])).code).to.equal(0);
    expect((JSON.parse(readFileSync(file, 'utf8')) as { limit: unknown }).limit).to.deep.equal({
      patterns: ['acd-dbs'], selected: ['acd-dbs'],
      added: [
        { host: 'acd-jb1', because: 'dependant', of: ['acd-dbs'], reasons: ['web requires db-slave'] },
        { host: 'acd-tel1', because: 'dependant', of: ['acd-dbs'], reasons: ['telephony requires db-slave'] },
      ],
    });
    const r = await run(['--state-dir', path.join(dir, 'state'), 'apply', file, '--dry-run', '--json']);
    expect(r.code, r.err).to.equal(0);
    const hosts = new Set(r.out.split('\n').map((l) => JSON.parse(l) as { type: string; host?: string }).filter((e) => e.type === 'host-finished').map((e) => e.host));
    expect([...hosts].sort()).to.deep.equal(['acd-dbs', 'acd-jb1', 'acd-tel1']);
  });

  it('errors exit 2 before anything runs, without a stack trace', async () => {
    expect(await run(['plan', 'topologies/large.yaml', '-a', 'failover', '-s', 'a', '--limit', 'acd-jb1'])).to.deep.equal({
      code: 2, out: '', err: 'Error: --limit applies to up, down and check, not failover (a failover takes its --side)',
    });
    const down = await run(['--state-dir', path.join(dir, 'state'), 'down', 'topologies/large.yaml', '--limit', 'acd-lb2', '--dry-run']);
    expect(down.code).to.equal(2);
    expect(down.err).to.match(/^Error: --limit 'acd-lb2' names acd-lb2, one node of redundant pair lb \(acd-lb1 \+ acd-lb2\): a down stops a pair whole/);
    const check = await run(['check', 'topologies/small.yaml', '--role', 'web', '--limit', 'acd-tel1']);
    expect(check).to.deep.equal({ code: 2, out: '', err: "Error: --limit 'acd-tel1' leaves no host of --host/--role to check" });
  });

  it('check --limit narrows --role, and the plan says so', async () => {
    const r = await run(['plan', 'topologies/large.yaml', '-a', 'check', '--role', 'web', '--limit', '!acd-jb[2-6]', '--json']);
    const plan = JSON.parse(r.out) as { limit: { selected: string[] }; health: { hosts: { name: string }[] } };
    expect(plan.health.hosts.map((h) => h.name)).to.deep.equal(['acd-jb1']);
    expect(plan.limit.selected).to.deep.equal(['acd-jb1']);
  });
});
