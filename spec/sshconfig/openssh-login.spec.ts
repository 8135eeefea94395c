/**
 * ssh_config against a real sshd on loopback: an alias from a file with Include, User, Port and
 * IdentityFile; a ProxyJump chain of two (the sshd reached through itself twice: real hops);
 * IdentitiesOnly with an agent full of wrong keys where MaxAuthTries would otherwise cut it off.
 * The client's HOME is a temp dir; the machine's ssh_config is never read.
 */
import { expect } from 'chai';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { applySshConfig } from '../../lib/cli/ssh-endpoint-config.js';
import { execMatch, fsConfigReader, SshConfigCache } from '../../lib/sshconfig/index.js';
import type { SshEndpoint, Topology } from '../../lib/topology/index.js';
import { SshTransport } from '../../lib/transport/index.js';
import { opensshUnavailable, startOpenssh, type OpensshServer } from '../support/openssh.js';

const unavailable = opensshUnavailable();
const never = new AbortController().signal;

/** The endpoint a topology gives `address` when it sets nothing else. */
function bare(address: string): SshEndpoint {
  return {
    name: address, address, port: 22, user: 'root', agent: true, knownHosts: ['~/.ssh/known_hosts'], globalKnownHosts: [], hashKnownHosts: false,
    hostKeyPolicy: 'strict', maxSessions: 10, connectTimeoutMs: 5000, sources: { address: 't.yaml:1:1', globalKnownHosts: 't.yaml:1:1' },
  };
}

function resolve(home: string, config: string, address: string): SshEndpoint {
  const local = { user: os.userInfo().username, home, hostName: os.hostname(), uid: os.userInfo().uid };
  const cache = new SshConfigCache({ reader: fsConfigReader, local: { ...local, exec: execMatch } });
  const topo = { hosts: [{ name: address, ssh: bare(address) }], hypervisors: new Map() } as unknown as Topology;
  const r = applySshConfig(topo, { cache, file: config, env: {}, local });
  expect(r.errors).to.deep.equal([]);
  return (r.topology.hosts[0] as { ssh: SshEndpoint }).ssh;
}

describe(`ssh_config logins against a real sshd${unavailable === undefined ? '' : ` (unavailable: ${unavailable})`}`, function () {
  this.timeout(30_000);
  let server: OpensshServer;
  let home: string;
  let agent: ChildProcess | undefined;
  let transport: SshTransport;

  before(async function () {
    if (unavailable !== undefined) {
      if (process.env['ORCHESTRATE_REQUIRE_OPENSSH'] === '1') throw new Error(`OpenSSH tests required but unavailable: ${unavailable}`);
      this.skip();
    }
    server = await startOpenssh({ extraConfig: ['MaxAuthTries 3'] });
    home = mkdtempSync(path.join(os.tmpdir(), 'orchestrate-sshcfg-home-'));
    mkdirSync(path.join(home, '.ssh', 'conf.d'), { recursive: true, mode: 0o700 });
  });
  after(async () => {
    agent?.kill();
    await server?.stop();
    if (home) rmSync(home, { recursive: true, force: true });
  });
  beforeEach(() => {
    transport = new SshTransport({ home });
  });
  afterEach(() => transport.close());

  const common = (): string => `  HostName ${server.address}\n  Port ${server.port}\n  User ${server.user}\n  UserKnownHostsFile ${server.knownHostsPath}\n  GlobalKnownHostsFile none\n`;

  it('logs in to an alias from an Included file: HostName, User, Port, IdentityFile', async () => {
    writeFileSync(path.join(home, '.ssh', 'conf.d', 'lab.conf'), `Host acd-dbm\n${common()}  IdentityFile ${server.clientKeyPath}\n`);
    writeFileSync(path.join(home, '.ssh', 'config'), 'Include conf.d/*.conf\n');
    const ep = resolve(home, path.join(home, '.ssh', 'config'), 'acd-dbm');
    expect(ep).to.include({ address: server.address, port: server.port, user: server.user });
    expect(ep.sources?.['port']).to.equal(`${path.join(home, '.ssh', 'conf.d', 'lab.conf')}:3`);
    const r = await transport.exec(ep, 'echo in', { signal: never, timeoutMs: 10_000 });
    expect(r.stdout, r.connectError?.message).to.equal('in\n');
  });

  it('goes through a ProxyJump chain of two real hops', async () => {
    const file = path.join(home, 'jump.conf');
    writeFileSync(file, `Host hop1 hop2 target\n${common()}  IdentityFile ${server.clientKeyPath}\nHost target\n  ProxyJump hop1,hop2\n`);
    const ep = resolve(home, file, 'target');
    expect(ep.jump?.name).to.equal('hop2');
    expect(ep.jump?.jump?.name).to.equal('hop1');
    expect(ep.jump?.jump?.jump).to.equal(undefined);
    const before = (server.log().match(/Accepted publickey/g) ?? []).length;
    const r = await transport.exec(ep, 'echo through', { signal: never, timeoutMs: 10_000 });
    expect(r.stdout, r.connectError?.message).to.equal('through\n');
    // Three logins: hop1, hop2 through hop1, the target through hop2.
    expect((server.log().match(/Accepted publickey/g) ?? []).length - before).to.equal(3);
  });

  it('IdentitiesOnly logs in past an agent holding 6 wrong keys (MaxAuthTries 3); without it every offered key is named', async () => {
    const sock = path.join(home, 'agent.sock');
    agent = spawn('ssh-agent', ['-D', '-a', sock], { stdio: 'ignore' });
    for (let i = 0; i < 50 && !existsSync(sock); i++) await new Promise((r) => setTimeout(r, 20));
    for (let i = 0; i < 6; i++) {
      const k = path.join(home, `wrong${i}`);
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `wrong-${i}`, '-f', k]);
      execFileSync('ssh-add', ['-q', k], { env: { ...process.env, SSH_AUTH_SOCK: sock }, stdio: 'ignore' });
    }
    const file = path.join(home, 'only.conf');
    writeFileSync(file, `Host only all\n${common()}  IdentityFile ${server.clientKeyPath}\n  IdentityAgent ${sock}\nHost only\n  IdentitiesOnly yes\n`);
    const only = await transport.exec(resolve(home, file, 'only'), 'echo only', { signal: never, timeoutMs: 10_000 });
    expect(only.stdout, only.connectError?.message).to.equal('only\n');
    // A transport of its own: connections are pooled by user@address:port, and `only` has one open.
    const other = new SshTransport({ home });
    const all = await other.exec(resolve(home, file, 'all'), 'echo all', { signal: never, timeoutMs: 10_000 }).finally(() => other.close());
    expect(all.outcome).to.equal('connect-failed');
    expect(all.connectError?.kind).to.equal('auth');
    expect(all.connectError?.message).to.match(/after refusing 3 keys .*: agent key 'wrong-0' \(ssh-ed25519 SHA256:[\w+/]+\); agent key 'wrong-1'/);
  });
});
