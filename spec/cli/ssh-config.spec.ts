/**
 * `orchestrate plan` with ssh_config: -F FILE, a topology's ssh_config, `none`, topology values
 * over ssh_config, and where each setting came from (text and --json).
 */
import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runMain, type CliResult } from '../support/cli.js';

describe('plan with ssh_config', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'orchestrate-sshcfg-plan-'));
  const topo = path.join(dir, 't.yaml');
  const conf = path.join(dir, 'ssh.conf');
  writeFileSync(topo, 'name: t\nroles: { r: {} }\nhosts:\n  web1: { address: web1, roles: [r] }\n  db: { address: db, roles: [r], user: admin }\n');
  writeFileSync(conf, 'Host web1 db\n  HostName %h.lab.example\n  User deploy\n  Port 2222\n  ProxyJump j1,ops@j2:2200\nHost j1\n  HostName 192.0.2.1\n');

  const cli = (...args: string[]): Promise<CliResult> =>
    runMain(['--state-dir', path.join(dir, 'state'), ...args], { cwd: dir, env: { HOME: dir, ORCHESTRATE_SSH_CONFIG: 'none' } });

  it('-F FILE: HostName, User, Port and a ProxyJump chain, with where each came from; topology values win', async () => {
    const r = await cli('plan', topo, '--json', '-F', conf);
    expect(r.code, r.err).to.equal(0);
    const hosts = (JSON.parse(r.out) as { platform: { hosts: Record<string, { ssh: Record<string, unknown> & { jump?: Record<string, unknown> & { jump?: Record<string, unknown> } } }> } }).platform.hosts;
    const web = hosts['web1']?.ssh;
    expect(web).to.include({ address: 'web1.lab.example', user: 'deploy', port: 2222 });
    expect(web?.['sources']).to.include({ address: `${conf}:2`, user: `${conf}:3`, port: `${conf}:4`, jump: `${conf}:5` });
    expect(web?.jump).to.include({ name: 'j2', address: 'j2', user: 'ops', port: 2200 });
    expect(web?.jump?.jump).to.include({ name: 'j1', address: '192.0.2.1', user: 'root' });
    // The topology's user wins over ssh_config's.
    expect(hosts['db']?.ssh).to.include({ address: 'db.lab.example', user: 'admin' });
    expect((hosts['db']?.ssh['sources'] as Record<string, string>)['user']).to.equal(`${topo}:5:40`.replace(`${dir}/`, ''));
  });

  it('plan text lists each connection and its sources', async () => {
    const r = await cli('plan', topo, '-F', conf);
    expect(r.code, r.err).to.equal(0);
    expect(r.out).to.include('web1  deploy@web1.lab.example:2222 via root@192.0.2.1:22 > ops@j2:2200');
    expect(r.out).to.include(`user ${conf}:3; port ${conf}:4`);
  });

  it('none (the default in specs) reads no file; a topology ssh_config is read, and -F overrides it', async () => {
    const plain = await cli('plan', topo, '--json');
    const h = (JSON.parse(plain.out) as { platform: { hosts: Record<string, { ssh: { address: string } }> } }).platform.hosts;
    expect(h['web1']?.ssh.address).to.equal('web1');
    const withSetting = path.join(dir, 't2.yaml');
    writeFileSync(withSetting, `name: t\nroles: { r: {} }\ndefaults: { ssh_config: ssh.conf }\nhosts:\n  web1: { address: web1, roles: [r] }\n`);
    const address = (out: string): string | undefined => (JSON.parse(out) as { platform: { hosts: Record<string, { ssh: { address: string } }> } }).platform.hosts['web1']?.ssh.address;
    expect(address((await cli('plan', withSetting, '--json')).out)).to.equal('web1.lab.example');
    expect(address((await cli('plan', withSetting, '--json', '-F', 'none')).out)).to.equal('web1');
  });

  it('a config ssh would refuse is refused, file:line first', async () => {
    const bad = path.join(dir, 'bad.conf');
    writeFileSync(bad, 'Host web1\n  Port "2222\nMatch localnetwork 10.0.0.0/8\n');
    const r = await cli('plan', topo, '-F', bad);
    expect(r.code).to.equal(2);
    expect(r.err).to.include(`ssh_config ${bad}:2: invalid quotes`);
    expect(r.err).to.include(`${bad}:3: unsupported Match attribute 'localnetwork'`);
  });
});
