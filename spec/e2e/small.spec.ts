import { expect } from 'chai';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { main } from '../../lib/cli/main.js';
import { NO_COLOURS } from '../../lib/reporters/index.js';
import { MiniPlatform } from '../support/mini-platform.js';
import { SshFixture } from '../support/ssh-fixture.js';
import { PLAYBOOKS, ROOT } from '../support/topologies.js';

const VMS = ['acd-lb', 'acd-dbm', 'acd-dbs', 'acd-tel1', 'acd-jb1'];

/** small.yaml, pointed at the simulated platform. */
function writeTopology(fx: SshFixture, platform: MiniPlatform): string {
  const doc = parse(readFileSync(path.join(ROOT, 'topologies/small.yaml'), 'utf8')) as Record<string, any>;
  doc.playbooks = PLAYBOOKS;
  doc.defaults = {
    ...doc.defaults, identity: fx.identity, known_hosts: fx.knownHosts,
    timeouts: { boot: '10s', shutdown: '10s', connect: '2s', poll: '10ms' },
  };
  doc.hypervisors.kvm1 = { address: platform.hypervisor.address, port: platform.hypervisor.port };
  for (const [name, host] of Object.entries(doc.hosts as Record<string, Record<string, unknown>>)) {
    const vm = platform.vms.get(name);
    if (!vm) throw new Error(`no VM for ${name}`);
    Object.assign(host, { address: vm.address, port: vm.port });
  }
  const file = path.join(fx.dir, 'small.yaml');
  writeFileSync(file, stringify(doc));
  return file;
}

async function cli(args: string[], cwd: string): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const io = { out: (l: string) => out.push(l), err: (l: string) => err.push(l), style: NO_COLOURS, errStyle: NO_COLOURS, env: {}, cwd };
  const code = await main(args, io, new AbortController().signal);
  return { code, out, err };
}

describe('end to end: up, then down, of small.yaml over SSH', function () {
  this.timeout(30_000);
  let fx: SshFixture;
  let platform: MiniPlatform;
  let file: string;
  let state: string;

  before(async () => {
    fx = new SshFixture();
    platform = new MiniPlatform(fx);
    await platform.start(VMS);
    file = writeTopology(fx, platform);
    state = path.join(fx.dir, 'state');
  });
  after(async () => {
    await fx.close();
  });

  it('up: powers the hosts on in the jtel order, each tier after the previous one is up and checked', async () => {
    const { code, out, err } = await cli(['--state-dir', state, 'up', file], fx.dir);
    expect(code, [...out, ...err].join('\n')).to.equal(0);
    expect(out.at(-1)).to.match(/^up: succeeded in .*: 5 up$/);
    const start = (vm: string) => platform.first('kvm1', new RegExp(`^virsh start ${vm}$`));
    // storage and load balancer (acd-lb) up and checked before the DB master is even powered on
    expect(start('acd-dbm')).to.be.greaterThan(platform.last('acd-lb', /^systemctl is-active haproxy$/));
    expect(start('acd-dbs')).to.be.greaterThan(platform.last('acd-dbm', /SELECT @@read_only/));
    for (const vm of ['acd-tel1', 'acd-jb1']) expect(start(vm)).to.be.greaterThan(platform.last('acd-dbs', /SHOW SLAVE STATUS/));
    // After the boot wait (which polls until SSH answers), the web role's steps and checks, in order.
    expect(platform.commands('acd-jb1').filter((c) => c !== 'systemctl is-system-running')).to.deep.equal([
      'mountpoint -q /home/jtel/shared || mount /home/jtel/shared', 'systemctl start jboss',
      'mountpoint /home/jtel/shared', "curl -sS --max-time 10 -w '\\n%{http_code}' http://127.0.0.1:8080/",
      "curl -sS --max-time 10 -w '\\n%{http_code}' http://10.20.17.10/", "curl -sS --max-time 10 -w '\\n%{http_code}' http://10.20.17.10/logo.png",
      "curl -sS --max-time 10 -w '\\n%{http_code}' http://127.0.0.1:5701/hazelcast/health",
    ]);
  });

  it('up again: every host is already up and nothing is started twice', async () => {
    const before = platform.log.length;
    const { code, out } = await cli(['--state-dir', state, 'up', file], fx.dir);
    expect(code).to.equal(0);
    expect(out.at(-1)).to.match(/: 5 already up$/);
    expect(platform.log.slice(before).filter((r) => /virsh start|systemctl start/.test(r.command))).to.deep.equal([]);
  });

  it('down (no topology given): uses the last up and stops the tiers in exact reverse, each fully off first', async () => {
    const { code, out, err } = await cli(['--state-dir', state, 'down'], fx.dir);
    expect(code, out.join('\n')).to.equal(0);
    expect(err[0]).to.match(/^using small\.yaml: the topology of the last up \(acd-small, started .*\)$/);
    expect(out.at(-1)).to.match(/^down: succeeded in .*: 5 down$/);
    const off = (vm: string) => platform.last('kvm1', new RegExp(`^virsh domstate ${vm}$`));
    const firstStop = (vm: string) => platform.log.find((r) => r.host === vm && /STOP SLAVE|systemctl stop/.test(r.command))?.at ?? -1;
    expect(firstStop('acd-dbs')).to.be.greaterThan(Math.max(off('acd-tel1'), off('acd-jb1')));
    expect(firstStop('acd-dbm')).to.be.greaterThan(off('acd-dbs'));
    expect(firstStop('acd-lb')).to.be.greaterThan(off('acd-dbm'));
    const lb = platform.commands('acd-lb');
    expect(lb.indexOf('systemctl stop haproxy')).to.be.lessThan(lb.indexOf('systemctl stop smb'));
    expect(lb.at(-1)).to.equal('systemctl poweroff');
    for (const vm of VMS) expect(platform.vms.get(vm)?.listening, vm).to.equal(false);
  });
});
