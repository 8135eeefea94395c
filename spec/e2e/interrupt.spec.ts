import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { untilAborted } from '../../lib/fleet/ssh-host.js';
import { listRuns, readJournal, topologyLockFile } from '../../lib/journal/index.js';
import { MiniPlatform } from '../support/mini-platform.js';
import { SshFixture } from '../support/ssh-fixture.js';
import { PLAYBOOKS, ROOT } from '../support/topologies.js';

describe('end to end: Ctrl-C during up', function () {
  this.timeout(30_000);
  let fx: SshFixture;

  after(async () => {
    await fx?.close();
  });

  it('starts nothing new, kills the running command on the host, prints the summary and exits 130', async () => {
    fx = new SshFixture();
    const killed: string[] = [];
    const platform = new MiniPlatform(fx, {
      override: (x) => (x.host === 'acd-dbm' && x.command === 'systemctl start mysqld'
        ? untilAborted(x.signal).catch(() => {
          killed.push(x.command);
          return { signal: 'TERM' } as const;
        })
        : undefined),
    });
    await platform.start(['acd-lb', 'acd-dbm', 'acd-dbs', 'acd-tel1', 'acd-jb1']);
    const doc = parse(readFileSync(path.join(ROOT, 'topologies/small.yaml'), 'utf8')) as Record<string, any>;
    doc.playbooks = PLAYBOOKS;
    doc.defaults = { ...doc.defaults, identity: fx.identity, known_hosts: fx.knownHosts, timeouts: { boot: '10s', connect: '2s', poll: '10ms' } };
    doc.hypervisors.kvm1 = { address: platform.hypervisor.address, port: platform.hypervisor.port };
    for (const [name, host] of Object.entries(doc.hosts as Record<string, object>)) Object.assign(host, { address: '127.0.0.1', port: platform.vms.get(name)?.port });
    const file = path.join(fx.dir, 'small.yaml');
    writeFileSync(file, stringify(doc));

    const child = spawn(process.execPath, ['--import', 'tsx', 'lib/cli/bin.ts', '--state-dir', path.join(fx.dir, 'state'), 'up', file], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

    for (let i = 0; i < 500 && platform.first('acd-dbm', /^systemctl start mysqld$/) < 0; i++) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGINT');
    expect(await exited, `${out}\n${err}`).to.equal(130);

    expect(err).to.match(/SIGINT: starting nothing new, stopping running steps/);
    expect(out).to.match(/acd-dbm  stop db-master\/start mysql: cancelled/);
    const tail = out.trim().split('\n').slice(-2);
    expect(tail[0]).to.match(/^up: CANCELLED in .*: 1 up, 1 cancelled, 3 not started$/);
    // The summary names what the cancel stopped: host, step, and the command.
    expect(tail[1]).to.equal('  acd-dbm: start mysql stopped: cancelled (systemctl start mysqld)');
    expect(killed).to.deep.equal(['systemctl start mysqld']);
    expect(platform.commands('kvm1')).to.not.include('virsh start acd-dbs');
    // The run's lock is released and its journal ends with the cancel.
    const state = path.join(fx.dir, 'state');
    expect(existsSync(topologyLockFile(state, 'acd-small'))).to.equal(false);
    const journal = readJournal(listRuns(state)[0]?.file ?? '');
    expect('error' in journal ? journal.error : journal.events.at(-1)).to.include({ type: 'run-finished', status: 'cancelled' });
  });
});
