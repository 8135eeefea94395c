import { expect } from 'chai';
import { readFileSync, writeFileSync } from 'node:fs';
import { generateEd25519 } from '../../lib/fleet/keys.js';
import { untilAborted, type ExecHandler, type SimulatedSshHost } from '../../lib/fleet/ssh-host.js';
import { SshTransport } from '../../lib/transport/index.js';
import { SshFixture } from '../support/ssh-fixture.js';

async function until(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

const never = new AbortController().signal;
const opts = (timeoutMs = 5000) => ({ signal: never, timeoutMs });

/** A tiny shell: echo, exit codes, signals, hangs and drops, each recorded. */
function shell(log: string[], killed: string[]): ExecHandler {
  return async (x) => {
    log.push(x.command);
    if (x.command === 'hang') {
      try {
        await untilAborted(x.signal);
      } catch {
        killed.push(x.command);
        throw new Error('killed');
      }
    }
    if (x.command === 'drop') return { drop: true };
    if (x.command === 'segv') return { signal: 'SEGV' };
    const m = /^echo (.*); echo (.*) >&2; exit (\d+)$/.exec(x.command);
    if (m) {
      x.write('stdout', `${m[1] ?? ''}\n`);
      x.write('stderr', `${m[2] ?? ''}\n`);
      return { code: Number(m[3]) };
    }
    return { code: 0 };
  };
}

describe('SshTransport against simulated ssh2 hosts', () => {
  let fx: SshFixture;
  let host: SimulatedSshHost;
  let transport: SshTransport;
  const log: string[] = [];
  const killed: string[] = [];

  beforeEach(async () => {
    log.length = 0;
    killed.length = 0;
    fx = new SshFixture();
    host = await fx.host('h1', shell(log, killed));
    transport = new SshTransport({ home: fx.dir });
  });
  afterEach(async () => {
    await transport.close();
    await fx.close();
  });

  it('runs a command and returns stdout, stderr and the exit code', async () => {
    const r = await transport.exec(fx.endpoint(host), 'echo out; echo err >&2; exit 3', opts());
    expect(r).to.include({ outcome: 'exited', exitCode: 3, stdout: 'out\n', stderr: 'err\n' });
  });

  it('reports a command killed by a signal', async () => {
    const r = await transport.exec(fx.endpoint(host), 'segv', opts());
    expect(r).to.include({ outcome: 'signalled', signal: 'SIGSEGV', exitCode: null });
  });

  it('on timeout kills the remote command and says so', async () => {
    const r = await transport.exec(fx.endpoint(host), 'hang', opts(200));
    expect(r.outcome).to.equal('timed-out');
    expect(r.killed).to.equal(true);
    expect(killed).to.deep.equal(['hang']);
  });

  it('a timeout that fires while the channel is opening still kills the command', async () => {
    await transport.exec(fx.endpoint(host), 'true', opts());
    log.length = 0;
    for (let i = 0; i < 20; i++) {
      const r = await transport.exec(fx.endpoint(host), 'hang', opts(1));
      expect(r.outcome).to.equal('timed-out');
    }
    // Every command that got to run was killed; none is left hanging.
    await new Promise((r) => setTimeout(r, 50));
    expect(killed.length).to.equal(log.length);
  });

  it('on cancel kills the remote command', async () => {
    const controller = new AbortController();
    const pending = transport.exec(fx.endpoint(host), 'hang', { signal: controller.signal, timeoutMs: 5000 });
    setTimeout(() => controller.abort(new Error('stop')), 100);
    const r = await pending;
    expect(r.outcome).to.equal('cancelled');
    expect(killed).to.deep.equal(['hang']);
  });

  it('reports a connection dropped in the middle of a command, and reconnects for the next one', async () => {
    const r = await transport.exec(fx.endpoint(host), 'drop', opts());
    expect(r.outcome).to.equal('connection-lost');
    const again = await transport.exec(fx.endpoint(host), 'echo a; echo b >&2; exit 0', opts());
    expect(again).to.include({ outcome: 'exited', exitCode: 0 });
  });

  it('reuses one connection for a burst of short commands', async () => {
    // Commands that wait less than growAfterMs for a channel get no new connection. With the
    // default 50 ms, a slow machine can make this burst wait longer (and open a second one, as
    // designed), so the spec sets a bound no machine reaches: the policy, not the machine's speed.
    const patient = new SshTransport({ home: fx.dir, growAfterMs: 60_000 });
    try {
      const before = host.connectionsAccepted;
      const results = await Promise.all(Array.from({ length: 30 }, () => patient.exec(fx.endpoint(host), 'true', opts())));
      expect(results.map((r) => r.outcome)).to.deep.equal(Array(30).fill('exited'));
      expect(host.connectionsAccepted - before).to.equal(1);
    } finally {
      await patient.close();
    }
  });

  it('opens more connections when commands hold every channel (a hypervisor running blocking shutdowns)', async () => {
    let running = 0;
    let most = 0;
    const release: (() => void)[] = [];
    const hv = await fx.host('hv', async () => {
      running++;
      most = Math.max(most, running);
      await new Promise<void>((r) => release.push(r));
      running--;
      return { code: 0 };
    });
    // 30 commands that each hold their channel until released: 8 per connection (MaxSessions 10 - 2).
    const all = Promise.all(Array.from({ length: 30 }, () => transport.exec(fx.endpoint(hv), 'qm shutdown', opts())));
    await until(() => running === 30);
    expect(most).to.equal(30);
    expect(hv.connectionsAccepted).to.equal(4);
    release.forEach((r) => r());
    expect((await all).map((r) => r.outcome)).to.deep.equal(Array(30).fill('exited'));
  });

  it('stays below the server\'s MaxSessions and retries channel-open failures', async () => {
    const small = await fx.host('small', async () => {
      await new Promise((r) => setTimeout(r, 5));
      return { code: 0 };
    }, { maxSessions: 3 });
    // Told the truth: orchestrate keeps 1 channel in flight (3 - 2), no failures to retry.
    const honest = await Promise.all(Array.from({ length: 20 }, () => transport.exec(fx.endpoint(small, { maxSessions: 3 }), 'x', opts())));
    expect(honest.every((r) => r.exitCode === 0)).to.equal(true);
    // Told 10 while the server allows 3: channel-open failures happen and are retried.
    const other = new SshTransport({ home: fx.dir });
    const lied = await Promise.all(Array.from({ length: 20 }, () => other.exec(fx.endpoint(small, { name: 'small2' }), 'x', opts())));
    await other.close();
    expect(lied.map((r) => r.outcome)).to.deep.equal(Array(20).fill('exited'));
  });

  it('refuses a host whose key differs from known_hosts', async () => {
    writeFileSync(fx.knownHosts, `[${host.address}]:${host.port} ${generateEd25519().public}\n`);
    const r = await transport.exec(fx.endpoint(host), 'true', opts());
    expect(r.outcome).to.equal('connect-failed');
    expect(r.connectError?.kind).to.equal('host-key');
    expect(r.connectError?.message).to.match(/^HOST KEY CHANGED for \[127\.0\.0\.1\]:\d+: it offered ssh-ed25519 SHA256:\S+, but .*known_hosts:1 has a different ssh-ed25519 key/);
    expect(log).to.deep.equal([]);
  });

  it('refuses an unknown host under strict, adds it under accept-new, ignores keys under off', async () => {
    const stranger = await fx.host('stranger', async () => ({ code: 0 }), { trust: false });
    const strict = await transport.exec(fx.endpoint(stranger), 'true', opts());
    expect(strict.connectError?.kind).to.equal('host-key');
    expect(strict.connectError?.message).to.match(/is not in .*known_hosts; add it \(ssh-keyscan -p \d+ 127\.0\.0\.1 >> /);
    const notes: string[] = [];
    const t2 = new SshTransport({ home: fx.dir, onNote: (_e, m) => notes.push(m) });
    const accepted = await t2.exec(fx.endpoint(stranger, { hostKeyPolicy: 'accept-new' }), 'true', opts());
    await t2.close();
    expect(accepted.outcome).to.equal('exited');
    expect(notes[0]).to.match(/^added \[127\.0\.0\.1\]:\d+ \(ssh-ed25519 SHA256:/);
    expect(readFileSync(fx.knownHosts, 'utf8')).to.include(stranger.hostPublicKey);
    const t3 = new SshTransport({ home: fx.dir });
    const off = await t3.exec(fx.endpoint(stranger, { hostKeyPolicy: 'off', knownHosts: [`${fx.dir}/none`] }), 'true', opts());
    await t3.close();
    expect(off.outcome).to.equal('exited');
  });

  it('reports refused authentication', async () => {
    host.refuseAuth = true;
    const r = await transport.exec(fx.endpoint(host), 'true', opts());
    expect(r.connectError?.kind).to.equal('auth');
  });

  it('reports an unreachable host, then reaches it once it is back', async () => {
    await host.stop();
    const down = await transport.exec(fx.endpoint(host), 'true', opts());
    expect(down.connectError?.kind).to.equal('unreachable');
    expect(down.connectError?.message).to.match(/ECONNREFUSED/);
    await host.start();
    const up = await transport.exec(fx.endpoint(host), 'true', opts());
    expect(up.outcome).to.equal('exited');
  });

  it('runs local commands and kills their process group on timeout', async () => {
    const ok = await transport.exec('local', 'echo hi; echo no >&2; exit 4', opts());
    expect(ok).to.include({ outcome: 'exited', exitCode: 4, stdout: 'hi\n', stderr: 'no\n' });
    const slow = await transport.exec('local', 'sleep 5 & sleep 5; wait', opts(100));
    expect(slow).to.include({ outcome: 'timed-out', killed: true });
    expect(slow.durationMs).to.be.lessThan(2000);
  });
});

describe('SshTransport: what a timeout measures', () => {
  const fx = new SshFixture();
  after(() => fx.close());

  it('a command\'s timeout starts when it runs: waiting for a channel does not use it up', async () => {
    const host = await fx.host('one-channel', async (x) => {
      if (x.command === 'slow') await new Promise((r) => setTimeout(r, 500));
      return { code: 0 };
    }, { maxSessions: 3 });
    const transport = new SshTransport({ home: fx.dir, maxConnections: 1 });
    try {
      const ep = fx.endpoint(host, { maxSessions: 3 });
      const slow = transport.exec(ep, 'slow', opts(5000));
      const quick = await transport.exec(ep, 'quick', opts(200));
      expect(quick.outcome).to.equal('exited');
      expect(quick.durationMs).to.be.above(400);
      expect((await slow).outcome).to.equal('exited');
    } finally {
      await transport.close();
    }
  });

  it('waiting for a channel is bounded by the connect timeout and reported as busy, not as a timed-out command', async () => {
    const host = await fx.host('busy', async (x) => {
      await new Promise((r) => setTimeout(r, x.command === 'hold' ? 2500 : 0));
      return { code: 0 };
    }, { maxSessions: 3 });
    const transport = new SshTransport({ home: fx.dir, maxConnections: 1 });
    try {
      const ep = fx.endpoint(host, { maxSessions: 3, connectTimeoutMs: 300 });
      const hold = transport.exec(ep, 'hold', opts(5000));
      const waiting = await transport.exec(ep, 'quick', opts(5000));
      expect(waiting.outcome).to.equal('connect-failed');
      expect(waiting.connectError?.kind).to.equal('busy');
      expect(waiting.connectError?.message).to.match(/^no free session on 127\.0\.0\.1:\d+ within 300 ms: 1 commands running on 1 connection\(s\)/);
      expect((await hold).outcome).to.equal('exited');
    } finally {
      await transport.close();
    }
  });
});
