import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../support/topologies.js';
import { runMain, type CliResult } from '../support/cli.js';

const run = (args: string[], cwd = ROOT): Promise<CliResult> => runMain(args, { cwd });

describe('the command line', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'orchestrate-cli-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('validate: a valid topology exits 0 and says what it found', async () => {
    const r = await run(['validate', 'topologies/large.yaml']);
    expect(r).to.deep.equal({ code: 0, out: 'topologies/large.yaml: valid: 24 hosts, 10 roles in use, 2 hypervisors, 2 redundant pairs', err: '' });
  });

  it('validate: an invalid topology exits 2 with every problem as file:line:col: message, and no stack trace', async () => {
    writeFileSync(path.join(dir, 'bad.yaml'), 'roles:\n  a: { requires: [b] }\nhosts:\n  h1: { adress: x }\n');
    const r = await run(['validate', 'bad.yaml'], dir);
    expect(r.code).to.equal(2);
    expect(r.out).to.equal('');
    expect(r.err.split('\n')).to.deep.equal([
      "bad.yaml:2:19: unknown role 'b' in requires of role 'a'",
      "bad.yaml:4:3: host 'h1' has no address",
      "bad.yaml:4:9: unknown key 'adress' in hosts.h1 (did you mean 'address'?)",
      'Error: bad.yaml: 3 problems found',
    ]);
  });

  it('validate: a missing file is a clear error', async () => {
    const r = await run(['validate', 'nope.yaml'], dir);
    expect(r.code).to.equal(2);
    expect(r.err).to.equal('nope.yaml:1:1: cannot read the topology file\nError: nope.yaml: 1 problem found');
  });

  it('plan --json of large.yaml shows the jtel order', async () => {
    const r = await run(['plan', 'topologies/large.yaml', '--json']);
    expect(r.code).to.equal(0);
    const doc = JSON.parse(r.out) as { action: string; waves: string[][]; hosts: { name: string; steps: { command?: string }[] }[] };
    expect(doc.action).to.equal('up');
    expect(doc.waves.slice(0, 5)).to.deep.equal([['acd-store1', 'acd-store2'], ['acd-lb1', 'acd-lb2'], ['acd-dbm1'], ['acd-dbm2'], ['acd-dbr', 'acd-dbs1', 'acd-dbs2']]);
    expect(doc.waves[5]).to.include.members(['acd-tel1', 'acd-jb6', 'acd-api1', 'acd-chat2', 'acd-chatbot']);
    expect(doc.hosts.every((h) => h.steps.length > 0)).to.equal(true);
  });

  it('plan --action down prints the reverse waves for people', async () => {
    const r = await run(['plan', 'topologies/small.yaml', '--action', 'down']);
    expect(r.code).to.equal(0);
    const waves = r.out.split('\n').filter((l) => l.startsWith('wave '));
    expect(waves).to.deep.equal(['wave 1: acd-jb1, acd-tel1', 'wave 2: acd-dbs', 'wave 3: acd-dbm', 'wave 4: acd-lb']);
  });

  it('up --dry-run prints every command and runs nothing', async () => {
    const r = await run(['--state-dir', dir, 'up', 'topologies/small.yaml', '--dry-run']);
    expect(r.code).to.equal(0);
    expect(r.out).to.include('acd-dbm  plan power on: virsh start acd-dbm (on hypervisor kvm1; unless already running)');
    expect(r.out).to.include('acd-dbm  plan db-master/mysql alive: mysqladmin ping');
    expect(r.out.split('\n').at(-1)).to.match(/^up: dry run complete in \d+ms: 5 planned$/);
  });

  it('down without a topology and without an earlier up explains what to do', async () => {
    const r = await run(['--state-dir', path.join(dir, 'empty'), 'down']);
    expect(r.code).to.equal(2);
    expect(r.err).to.equal([
      'Error: no topology given and no earlier `up` recorded',
      'Try this: orchestrate down topologies/small.yaml',
      `Try this: (the last up is recorded in ${path.join(dir, 'empty')})`,
    ].join('\n'));
  });

  it('usage errors exit 2; --help exits 0', async () => {
    expect((await run(['up'])).code).to.equal(2);
    expect((await run(['frobnicate'])).code).to.equal(2);
    expect((await run(['up', 'x.yaml', '--on-failure', 'maybe'])).code).to.equal(2);
    expect((await run(['up', 'x.yaml', '--concurrency', '0'])).code).to.equal(2);
    const help = await run(['--help']);
    expect(help.code).to.equal(0);
    expect(help.out).to.include('Usage: orchestrate');
  });
});
