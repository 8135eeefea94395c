import { expect } from 'chai';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateEd25519 } from '../../lib/fleet/keys.js';
import type { SshEndpoint } from '../../lib/topology/index.js';
import { SshTransport } from '../../lib/transport/index.js';
import { opensshUnavailable, startOpenssh, type OpensshServer } from '../support/openssh.js';

const unavailable = opensshUnavailable();
const never = new AbortController().signal;

/** Running: the process exists and is not a zombie waiting to be reaped. */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

async function until(cond: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
}

describe(`SshTransport against a real OpenSSH sshd${unavailable === undefined ? '' : ` (unavailable: ${unavailable})`}`, function () {
  let server: OpensshServer;
  let transport: SshTransport;
  let endpoint: SshEndpoint;

  before(async function () {
    if (unavailable !== undefined) {
      if (process.env.ORCHESTRATE_REQUIRE_OPENSSH === '1') throw new Error(`OpenSSH tests required but unavailable: ${unavailable}`);
      this.skip();
    }
    server = await startOpenssh({ maxSessions: 10 });
    endpoint = {
      name: 'real', address: server.address, port: server.port, user: server.user, identity: server.clientKeyPath, agent: false,
      knownHosts: [server.knownHostsPath], globalKnownHosts: [], hashKnownHosts: false, hostKeyPolicy: 'strict', maxSessions: 10, connectTimeoutMs: 5000,
    };
  });
  after(async () => {
    await server?.stop();
  });
  beforeEach(() => {
    transport = new SshTransport();
  });
  afterEach(async () => {
    await transport.close();
  });

  it('runs a command: stdout, stderr and the exit code', async () => {
    const r = await transport.exec(endpoint, 'echo out; echo err >&2; exit 7', { signal: never, timeoutMs: 10_000 });
    expect(r).to.include({ outcome: 'exited', exitCode: 7, stdout: 'out\n', stderr: 'err\n' });
  });

  it('reports death by a signal', async () => {
    const r = await transport.exec(endpoint, 'kill -TERM $$', { signal: never, timeoutMs: 10_000 });
    expect(r).to.include({ outcome: 'signalled', signal: 'SIGTERM' });
  });

  it('on timeout really stops the remote command and everything it started', async () => {
    const pidFile = path.join(server.dir, 'timeout.pid');
    const r = await transport.exec(endpoint, `sleep 31.5 & echo $! > ${pidFile}; sleep 32.5`, { signal: never, timeoutMs: 800 });
    expect(r.outcome).to.equal('timed-out');
    expect(r.killed).to.equal(true);
    const child = Number(readFileSync(pidFile, 'utf8'));
    await until(() => !alive(child));
    expect(alive(child), 'the background child survived').to.equal(false);
  });

  it('on cancel really stops the remote command', async () => {
    const pidFile = path.join(server.dir, 'cancel.pid');
    const controller = new AbortController();
    const pending = transport.exec(endpoint, `echo $$ > ${pidFile}; sleep 33.5`, { signal: controller.signal, timeoutMs: 30_000 });
    await until(() => existsSync(pidFile));
    controller.abort(new Error('test cancel'));
    const r = await pending;
    expect(r.outcome).to.equal('cancelled');
    const shell = Number(readFileSync(pidFile, 'utf8'));
    await until(() => !alive(shell));
    expect(alive(shell)).to.equal(false);
  });

  it('a cancel that comes before the command reported its process group still stops it', async () => {
    await transport.exec(endpoint, 'true', { signal: never, timeoutMs: 10_000 }); // connected: the channel opens at once
    const controller = new AbortController();
    const pending = transport.exec(endpoint, 'sleep 34.5', { signal: controller.signal, timeoutMs: 30_000 });
    setTimeout(() => controller.abort(new Error('early cancel')), 5);
    const r = await pending;
    expect(r.outcome).to.equal('cancelled');
    const left = () => execFileSync('pgrep', ['-f', 'sleep 34.5'], { encoding: 'utf8' }).trim();
    await until(() => {
      try {
        return left() === '';
      } catch {
        return true; // pgrep exits 1 when nothing matches
      }
    });
    expect(() => left()).to.throw();
  });

  it('reports a connection dropped in the middle of a command, and reconnects afterwards', async () => {
    // Kill the sshd process serving this session: like a crash or a reset, no exit status arrives.
    const r = await transport.exec(endpoint, 'echo before; sleep 0.3; kill -9 $PPID; sleep 5', { signal: never, timeoutMs: 10_000 });
    expect(r.outcome).to.equal('connection-lost');
    expect(r.stdout).to.equal('before\n');
    const again = await transport.exec(endpoint, 'echo again', { signal: never, timeoutMs: 10_000 });
    expect(again).to.include({ outcome: 'exited', stdout: 'again\n' });
  });

  it('refuses a host whose key does not match known_hosts', async () => {
    const wrong = path.join(server.dir, 'wrong_known_hosts');
    writeFileSync(wrong, `[${server.address}]:${server.port} ${generateEd25519().public}\n`);
    const r = await transport.exec({ ...endpoint, name: 'wrong', knownHosts: [wrong] }, 'echo never', { signal: never, timeoutMs: 10_000 });
    expect(r.outcome).to.equal('connect-failed');
    expect(r.connectError?.kind).to.equal('host-key');
    expect(r.connectError?.message).to.match(/^HOST KEY CHANGED/);
  });

  it('runs more commands at once than MaxSessions allows, without a failure', async () => {
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => transport.exec(endpoint, `echo ${i}`, { signal: never, timeoutMs: 20_000 })));
    expect(results.map((r) => r.stdout)).to.deep.equal(Array.from({ length: 30 }, (_, i) => `${i}\n`));
  });

  it('logs in with a key held by ssh-agent when no identity file is set', async () => {
    const socket = path.join(server.dir, 'agent.sock');
    const agent = spawn('ssh-agent', ['-D', '-a', socket], { stdio: 'ignore' });
    try {
      await until(() => existsSync(socket));
      execFileSync('ssh-add', ['-q', server.clientKeyPath], { env: { ...process.env, SSH_AUTH_SOCK: socket }, stdio: 'ignore' });
      const withAgent = new SshTransport({ agentSocket: socket, home: server.dir });
      const { identity: _none, ...noIdentity } = endpoint;
      const r = await withAgent.exec({ ...noIdentity, name: 'agent', agent: true }, 'echo agent', { signal: never, timeoutMs: 10_000 });
      await withAgent.close();
      expect(r).to.include({ outcome: 'exited', stdout: 'agent\n' });
    } finally {
      agent.kill();
    }
  });

  it('reaches a host through a bastion (ProxyJump)', async () => {
    const bastion: SshEndpoint = { ...endpoint, name: 'bastion' };
    const r = await transport.exec({ ...endpoint, name: 'behind', jump: bastion }, 'echo via-bastion', { signal: never, timeoutMs: 10_000 });
    expect(r).to.include({ outcome: 'exited', stdout: 'via-bastion\n' });
  });
});
