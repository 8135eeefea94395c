import { expect } from 'chai';
import type { Fault } from '../../lib/fleet/index.js';
import { testFleet, type TestFleet } from '../support/fleet.js';

/** Runs `up` of small.yaml with faults; returns the CLI result and the fleet (closed afterwards). */
async function upWith(faults: Record<string, Fault[]>, check: (r: { code: number; out: string }, f: TestFleet) => void, action: 'up' | 'down' = 'up'): Promise<void> {
  const f = await testFleet('small', { faults, warm: action === 'down' });
  try {
    const r = await f.cli(action, f.file, '--fleet', f.dir);
    check(r, f);
  } finally {
    await f.close();
  }
}

const started = (f: TestFleet, vm: string): boolean => f.fleet.world.log.events.some((e) => e.type === 'command' && e.command === `virsh start ${vm}`);
const summary = (out: string): string[] => out.split('\n').slice(out.split('\n').findIndex((l) => /^up: |^down: /.test(l)));

describe('fleet faults: each gives the expected failure, and nothing later starts', function () {
  this.timeout(30_000);

  it('never-boots: the boot wait runs out, the dependants are never powered on', () =>
    upWith({ 'acd-dbm': [{ kind: 'never-boots' }] }, (r, f) => {
      expect(r.code).to.equal(1);
      const s = summary(r.out);
      expect(s[0]).to.match(/^up: FAILED in .*: 1 up, 1 failed, 3 blocked$/);
      expect(s[1], s[1]).to.match(/^ {2}acd-dbm: wait for boot failed on acd-dbm: not booted after 3s \(last seen: cannot connect to 127\.42\.\d+\.\d+:\d+: ECONNREFUSED\)$/);
      expect(started(f, 'acd-dbs')).to.equal(false);
    }));

  it('slow-boot: only slower, still up', () =>
    upWith({ 'acd-dbm': [{ kind: 'slow-boot', ms: 200_000 }] }, (r) => {
      expect(r.code).to.equal(0);
      expect(r.out).to.match(/acd-dbm {2}ok {3}wait for boot: running \((\d{4}ms|\d\.\ds)\)/);
    }));

  it('auth-refused: fails at once with the refusal, not after the boot timeout', () =>
    upWith({ 'acd-dbm': [{ kind: 'auth-refused' }] }, (r, f) => {
      expect(r.code).to.equal(1);
      expect(summary(r.out)[1]).to.match(/^ {2}acd-dbm: wait for boot failed on acd-dbm: root@127\.42\.\d+\.\d+:\d+ refused every key/);
      expect(started(f, 'acd-dbs')).to.equal(false);
    }));

  it('hang: the step times out, the command is killed on the host, nothing later starts', () =>
    upWith({ 'acd-dbm': [{ kind: 'hang', match: 'systemctl start mysqld' }] }, (r, f) => {
      expect(r.code).to.equal(1);
      expect(summary(r.out).slice(1, 3)).to.deep.equal([
        '  acd-dbm: start mysql failed on acd-dbm: timed out after 3s (command killed)',
        '    command: systemctl start mysqld',
      ]);
      const done = f.fleet.world.log.events.find((e) => e.type === 'command-done' && e.host === 'acd-dbm' && e.signal === 'TERM');
      expect(done, 'the hanging command was killed').to.not.equal(undefined);
      expect(started(f, 'acd-dbs')).to.equal(false);
    }));

  it('unhealthy: the check keeps failing, the summary shows the last observation', () =>
    upWith({ 'acd-dbm': [{ kind: 'unhealthy', match: 'mysqladmin ping' }] }, (r, f) => {
      expect(r.code).to.equal(1);
      expect(summary(r.out).slice(1, 5)).to.deep.equal([
        "  acd-dbm: mysql alive failed on acd-dbm: still failing after 60 attempts: exit 1: simulated fault: 'mysqladmin ping' keeps failing on acd-dbm",
        '    command: mysqladmin ping',
        '    exit code: 1',
        "    | simulated fault: 'mysqladmin ping' keeps failing on acd-dbm",
      ]);
      expect(started(f, 'acd-dbs')).to.equal(false);
    }));

  it('drop: the connection drops in the middle of the command', () =>
    upWith({ 'acd-jb1': [{ kind: 'drop', match: 'systemctl start jboss' }] }, (r) => {
      expect(r.code).to.equal(1);
      expect(summary(r.out)[1]).to.equal('  acd-jb1: start jboss failed on acd-jb1: connection lost before the command finished');
    }));

  it('replication-broken: the replica check fails with the SQL thread stopped', () =>
    upWith({ 'acd-dbs': [{ kind: 'replication-broken' }] }, (r, f) => {
      expect(r.code).to.equal(1);
      expect(summary(r.out)[1]).to.match(/^ {2}acd-dbs: replication healthy failed on acd-dbs: still failing after 30 attempts: (Slave|Replica)_IO_Running: Yes, (Slave|Replica)_SQL_Running: No, Seconds_Behind_(Master|Source): NULL \(/);
      expect(started(f, 'acd-jb1')).to.equal(false);
    }));

  it('degraded: boots degraded, which is a warning, not a failure', () =>
    upWith({ 'acd-tel1': [{ kind: 'degraded' }] }, (r) => {
      expect(r.code).to.equal(0);
      expect(r.out).to.include('acd-tel1 WARN acd-tel1 booted degraded: one or more units failed (systemctl --failed)');
    }));

  it('shutdown-hangs: after the shutdown timeout the VM is forced off, with a warning', () =>
    upWith({ 'acd-dbs': [{ kind: 'shutdown-hangs' }] }, (r, f) => {
      expect(r.code, r.out).to.equal(0);
      expect(r.out).to.match(/acd-dbs {2}WARN acd-dbs did not shut down within 2s; forcing the power off \(virsh destroy acd-dbs\)/);
      expect(f.fleet.world.log.events.some((e) => e.type === 'power' && e.host === 'acd-dbs' && e.state === 'off' && e.cause === 'virsh destroy')).to.equal(true);
    }, 'down'));
});
