import { expect } from 'chai';
import type { RunEvent } from '../../lib/events/index.js';
import { runPlan } from '../../lib/execution/index.js';
import { buildPlan } from '../../lib/plan/index.js';
import { FakeTransport, type Call } from '../support/fake-transport.js';
import { loadValid } from '../support/topologies.js';

/** A clock that only moves when the run sleeps: deadlines are exact and the spec is instant. */
function simClock() {
  let t = 0;
  return {
    clock: { now: () => t, wallTime: () => new Date(0) },
    sleep: (ms: number, signal: AbortSignal): Promise<void> => {
      if (signal.aborted) return Promise.reject(signal.reason as Error);
      t += ms;
      return Promise.resolve();
    },
  };
}

/** A clock and sleep to hand to runChecks, for replies that depend on the time. */
function simClockFor() {
  return simClock();
}

/** One host `h1` whose role `app` has just these checks (YAML flow list). */
async function runChecks(checks: string, reply: (c: Call) => { stdout?: string; stderr?: string; exitCode?: number; outcome?: 'timed-out' | 'connection-lost' } | undefined, time = simClock()) {
  const yaml = [
    'defaults: { power: { driver: virsh, hypervisor: kvm }, timeouts: { poll: 10ms } }',
    'hypervisors: { kvm: { address: 10.0.0.254 } }',
    'roles:',
    `  app: { up: { checks: ${checks} } }`,
    'hosts:',
    '  h1: { address: 10.0.0.1, roles: [app] }',
    '',
  ].join('\n');
  const { topology, graph } = loadValid('c.yaml', { 'c.yaml': yaml });
  const t = new FakeTransport();
  t.override = (c) => (c.on === 'h1' && c.command !== 'systemctl is-system-running' ? reply(c) : undefined);
  const events: RunEvent[] = [];
  const { clock, sleep } = time;
  const summary = await runPlan(buildPlan(topology, graph, 'up'), { transport: t, listeners: [(e) => events.push(e)], signal: new AbortController().signal, sleep, clock });
  const finished = events.filter((e): e is Extract<RunEvent, { type: 'step-finished' }> => e.type === 'step-finished' && e.kind === 'check');
  return { summary, finished, calls: t.commandsOn('h1'), events };
}

const REPLICA = (io: string, sql: string, lag: string) => `*************************** 1. row ***************************\n             Replica_IO_State: Waiting for source to send event\n                  Source_Host: acd-dbm\n           Replica_IO_Running: ${io}\n          Replica_SQL_Running: ${sql}\n        Seconds_Behind_Source: ${lag}\n`;
const HZ = (size: number) => `{"nodeState":"ACTIVE","clusterState":"ACTIVE","clusterSafe":true,"migrationQueueSize":0,"clusterSize":${size}}\n200`;

describe('checks: every kind passing and failing, with the summary text', () => {
  const cases: { kind: string; check: string; pass: (c: Call) => object; fail: (c: Call) => object; command: RegExp; passed: string; failed: string }[] = [
    { kind: 'run', check: '{ run: "app-status", expect: "^ok" }', pass: () => ({ stdout: 'ok\n' }), fail: () => ({ stdout: 'starting\n' }), command: /^app-status$/, passed: 'ok', failed: 'output does not match /^ok/: starting' },
    { kind: 'run with exit', check: '{ run: "grep -q x f", exit: 1 }', pass: () => ({ exitCode: 1 }), fail: () => ({ exitCode: 0 }), command: /^grep -q x f$/, passed: 'exit 1', failed: 'exit 0 (wanted 1)' },
    { kind: 'http', check: '{ http: { url: "http://127.0.0.1:8081/health-check", body: "ok" } }', pass: () => ({ stdout: '{"status":"ok"}\n200' }), fail: () => ({ stdout: 'starting\n503' }), command: /^curl -sS --max-time 10 -w '\\n%\{http_code\}' http:\/\/127\.0\.0\.1:8081\/health-check$/, passed: 'HTTP 200', failed: 'HTTP 503: starting (wanted 200)' },
    { kind: 'http refused', check: '{ http: { url: "http://127.0.0.1:8081/" } }', pass: () => ({ stdout: '\n200' }), fail: () => ({ exitCode: 7, stderr: 'curl: (7) Failed to connect to 127.0.0.1 port 8081: Connection refused' }), command: /^curl/, passed: 'HTTP 200', failed: 'exit 7: curl: (7) Failed to connect to 127.0.0.1 port 8081: Connection refused' },
    { kind: 'tcp', check: '{ tcp: { port: 3306 } }', pass: () => ({}), fail: () => ({ exitCode: 1, stderr: 'bash: connect: Connection refused' }), command: /^bash -c '<\/dev\/tcp\/127\.0\.0\.1\/3306'$/, passed: '127.0.0.1:3306 open', failed: '127.0.0.1:3306 closed: bash: connect: Connection refused' },
    { kind: 'systemd', check: '{ systemd: jboss }', pass: () => ({ stdout: 'active\n' }), fail: () => ({ stdout: 'activating\n', exitCode: 3 }), command: /^systemctl is-active jboss$/, passed: 'jboss active', failed: 'jboss activating' },
    { kind: 'mysql-replication', check: '{ mysql-replication: { max_lag: 10 } }', pass: () => ({ stdout: REPLICA('Yes', 'Yes', '3') }), fail: () => ({ stdout: REPLICA('Yes', 'Yes', '42') }), command: /SHOW REPLICA STATUS\\G' 2>\/dev\/null \|\| mysql -e 'SHOW SLAVE STATUS\\G'$/, passed: 'Replica_IO_Running: Yes, Replica_SQL_Running: Yes, Seconds_Behind_Source: 3', failed: 'Seconds_Behind_Source: 42: more than 10s behind' },
    { kind: 'mysql-replication broken', check: '{ mysql-replication: {} }', pass: () => ({ stdout: REPLICA('Yes', 'Yes', '0') }), fail: () => ({ stdout: REPLICA('Connecting', 'Yes', 'NULL') }), command: /SHOW/, passed: 'Seconds_Behind_Source: 0', failed: 'Replica_IO_Running: Connecting, Replica_SQL_Running: Yes, Seconds_Behind_Source: NULL' },
    { kind: 'mysql-writable', check: '{ mysql-writable: {} }', pass: () => ({ stdout: '0\n' }), fail: () => ({ stdout: '1\n' }), command: /^mysql -NBe 'SELECT @@read_only'$/, passed: '@@read_only = 0', failed: '@@read_only = 1: read-only' },
    { kind: 'mount', check: '{ mount: { path: /home/jtel/shared } }', pass: () => ({ stdout: '/home/jtel/shared is a mountpoint\n' }), fail: () => ({ exitCode: 32, stdout: '/home/jtel/shared is not a mountpoint\n' }), command: /^mountpoint \/home\/jtel\/shared$/, passed: '/home/jtel/shared is a mountpoint', failed: '/home/jtel/shared is not a mountpoint' },
    {
      kind: 'drbd', check: '{ drbd: { resource: jtelshared } }',
      pass: () => ({ stdout: 'version: 8.4.11 (api:1/proto:86-101)\n 0: cs:Connected ro:Primary/Primary ds:UpToDate/UpToDate C r-----\n' }),
      fail: () => ({ stdout: 'version: 8.4.11 (api:1/proto:86-101)\n 0: cs:WFConnection ro:Primary/Unknown ds:UpToDate/DUnknown C r-----\n' }),
      command: /^cat \/proc\/drbd$/, passed: 'Connected', failed: 'not Connected, not UpToDate/UpToDate',
    },
    {
      kind: 'hazelcast', check: '{ hazelcast: { members: 3 } }', pass: () => ({ stdout: HZ(3) }), fail: () => ({ stdout: HZ(2) }),
      command: /^curl -sS --max-time 10 -w '\\n%\{http_code\}' http:\/\/127\.0\.0\.1:5701\/hazelcast\/health$/, passed: 'clusterSize 3', failed: 'clusterSize 2: expected 3 members (a member is missing, or the cluster split)',
    },
  ];
  for (const c of cases) {
    it(`${c.kind}: passes, and fails with the last observation in the summary`, async () => {
      const ok = await runChecks(`[{ name: probe, attempts: 3, ${c.check.slice(1)}]`, c.pass);
      expect(ok.summary.status).to.equal('succeeded');
      expect(ok.calls.at(-1)).to.match(c.command);
      expect(ok.finished[0]?.message).to.contain(c.passed);
      const bad = await runChecks(`[{ name: probe, attempts: 3, ${c.check.slice(1)}]`, c.fail);
      expect(bad.summary.status).to.equal('failed');
      expect(bad.summary.failures[0]?.reason).to.equal(`still failing after 3 attempts: ${bad.finished[0]?.message?.replace(/^still failing after 3 attempts: /, '')}`);
      expect(bad.summary.failures[0]?.reason).to.contain(c.failed);
    });
  }

  it('a pcs check wants every node online, no failed actions, the named resources started', async () => {
    const status = (failed: boolean) => `Cluster name: jtel\nStack: corosync\nCurrent DC: acd-store1 (version 1.1.18-11.el7-2b07d5c5a9) - partition with quorum\n\n2 nodes configured\n2 resources configured\n\nOnline: [ acd-store1 acd-store2 ]\n\nFull list of resources:\n\n ClusterIP\t(ocf::heartbeat:IPaddr2):\tStarted acd-store1\n samba\t(systemd:smb):\tStarted acd-store1\n${failed ? "\nFailed Actions:\n* samba_start_0 on acd-store2 'unknown error' (1): call=12, status=complete, exitreason='',\n    last-rc-change='Mon Nov 23 10:00:00 2026', queued=0ms, exec=30ms\n" : ''}\nDaemon Status:\n  corosync: active/enabled\n  pacemaker: active/enabled\n  pcsd: active/enabled\n`;
    const ok = await runChecks('[{ name: cluster, attempts: 1, pcs: { resources: [samba] } }]', () => ({ stdout: status(false) }));
    expect(ok.summary.status, JSON.stringify(ok.finished)).to.equal('succeeded');
    const bad = await runChecks('[{ name: cluster, attempts: 1, pcs: { resources: [samba] } }]', () => ({ stdout: status(true) }));
    expect(bad.summary.failures[0]?.reason).to.match(/^still failing after 1 attempt: .*samba_start_0 on acd-store2/);
  });

  it('a timed-out attempt says so, and the attempt timeout is the check timeout', async () => {
    const bad = await runChecks('[{ name: slow, run: "app-status", attempts: 2, timeout: 3s }]', () => ({ outcome: 'timed-out', exitCode: null as unknown as number }));
    expect(bad.summary.failures[0]?.reason).to.equal('still failing after 2 attempts: timed out after 3s (command killed)');
  });

  it('attempts: 0 disables a check (it is not planned)', async () => {
    const r = await runChecks('[{ name: off, run: "app-status", attempts: 0 }]', () => ({ exitCode: 1 }));
    expect(r.summary.status).to.equal('succeeded');
    expect(r.calls).to.not.include('app-status');
  });

  it('the default shape is 10 attempts 1 s apart, with quick looks in the first second that use no attempt', async () => {
    const r = await runChecks('[{ name: probe, run: "app-status" }]', () => ({ exitCode: 1 }));
    // 10 attempts, and before the second one quick looks 50 ms apart (a twentieth of the time waited, at least 50 ms).
    expect(r.calls.filter((c) => c === 'app-status')).to.have.length(10 + 19);
    expect(r.summary.failures[0]?.reason).to.equal('still failing after 10 attempts: exit 1');
    const attempts = r.events.filter((e) => e.type === 'check-attempt').map((e) => (e.type === 'check-attempt' ? `${e.attempt}/${e.attempts}` : ''));
    expect(attempts).to.deep.equal(['1/10', '2/10', '3/10', '4/10', '5/10', '6/10', '7/10', '8/10', '9/10', '10/10']);
  });

  it('a quick look sees a service that comes up a moment after the first attempt, without waiting the interval', async () => {
    const { clock, sleep } = simClockFor();
    const r = await runChecks('[{ name: probe, run: "app-status", interval: 5s }]', () => (clock.now() >= 250 ? {} : { exitCode: 1 }), { clock, sleep });
    expect(r.summary.status).to.equal('succeeded');
    expect(r.finished[0]?.message).to.equal('exit 0 (look 6)');
    expect(clock.now()).to.be.at.most(300);
  });

  it('a deadline ends the attempts early and is named', async () => {
    const r = await runChecks('[{ name: probe, run: "app-status", attempts: 100, interval: 10s, deadline: 35s }]', () => ({ exitCode: 1 }));
    // Attempts at 0, 10, 20 and 30 s; before the second, quick looks that use none.
    expect(r.events.filter((e) => e.type === 'check-attempt')).to.have.length(4);
    expect(r.summary.failures[0]?.reason).to.equal('still failing after 4 attempts (deadline 35s): exit 1');
  });

  it('successes: N needs N passes in a row (a flapping service does not count)', async () => {
    const answers = ['ok', 'ok', 'bad', 'ok', 'ok', 'ok', 'ok'];
    let i = 0;
    const r = await runChecks('[{ name: steady, run: "app-status", expect: "^ok", successes: 3 }]', () => ({ stdout: `${answers[i++] ?? 'ok'}\n` }));
    expect(r.summary.status).to.equal('succeeded');
    expect(r.calls.filter((c) => c === 'app-status')).to.have.length(6);
    expect(r.finished[0]?.message).to.equal('ok (attempt 6, 3 in a row)');
    const flapping = await runChecks('[{ name: steady, run: "app-status", expect: "^ok", successes: 2, attempts: 4 }]', (() => { let n = 0; return () => ({ stdout: n++ % 2 === 0 ? 'ok\n' : 'bad\n' }); })());
    expect(flapping.summary.failures[0]?.reason).to.equal('still failing after 4 attempts, needed 2 passes in a row: output does not match /^ok/: bad');
  });

  it('a mount check runs its remedy once after the first failure, then passes', async () => {
    let mounted = false;
    const r = await runChecks('[{ name: share, mount: { path: /home/jtel/shared, remedy: "mount /home/jtel/shared" } }]', (c) => {
      if (c.command === 'mount /home/jtel/shared') {
        mounted = true;
        return {};
      }
      return mounted ? { stdout: '/home/jtel/shared is a mountpoint\n' } : { exitCode: 32, stdout: '/home/jtel/shared is not a mountpoint\n' };
    });
    expect(r.summary.status).to.equal('succeeded');
    expect(r.calls.filter((c) => c.startsWith('mount'))).to.deep.equal(['mountpoint /home/jtel/shared', 'mount /home/jtel/shared', 'mountpoint /home/jtel/shared']);
    expect(r.finished[0]?.message).to.equal('/home/jtel/shared is a mountpoint (look 2, after the remedy)');
    const warning = r.events.find((e) => e.type === 'warning');
    expect(warning && 'message' in warning ? warning.message : '').to.equal('share: /home/jtel/shared is not a mountpoint; tried the remedy once: mount /home/jtel/shared (exit 0)');
  });

  it('a remedy runs only after the check saw the failure it remedies, never after a timeout or a lost connection', async () => {
    let n = 0;
    const r = await runChecks('[{ name: share, attempts: 3, mount: { path: /s, remedy: "mount /s" } }]', (c) => {
      if (c.command === 'mount /s') return {};
      n++;
      if (n === 1) return { outcome: 'timed-out' };
      if (n === 2) return { outcome: 'connection-lost' };
      return { stdout: '/s is a mountpoint\n' };
    });
    expect(r.summary.status).to.equal('succeeded');
    expect(r.calls).to.not.include('mount /s');
  });

  it('a remedy that does not help is tried only once', async () => {
    const r = await runChecks('[{ name: share, attempts: 4, mount: { path: /s, remedy: "mount /s" } }]', (c) => (c.command === 'mount /s' ? { exitCode: 32, stderr: 'mount: /s: special device //acd-store/shared does not exist.' } : { exitCode: 32, stdout: '/s is not a mountpoint\n' }));
    expect(r.calls.filter((c) => c === 'mount /s')).to.have.length(1);
    expect(r.summary.failures[0]?.reason).to.equal('still failing after 4 attempts: /s is not a mountpoint');
  });
});
