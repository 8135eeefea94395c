import { expect } from 'chai';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CliError } from '../../lib/errors.js';
import { runSession, type SessionOptions } from '../../lib/cli/run-session.js';
import { Emitter, type HostStatus, type RunStatus, type RunSummary } from '../../lib/events/index.js';
import type { RunOptions } from '../../lib/execution/index.js';
import { journalState, listRuns, readJournal, readLock, thisMachine, topologyLockFile } from '../../lib/journal/index.js';
import { NO_COLOURS } from '../../lib/reporters/index.js';

/**
 * A stand-in for runPlan: starts, leaves acd-dbm's step running until `release` (or the run's
 * cancel), then finishes with `status`.
 */
function fakeRun(release: Promise<RunStatus>): (run: RunOptions) => Promise<RunSummary> {
  return async (run) => {
    const emitter = new Emitter(run.listeners);
    emitter.emit({ type: 'run-started', version: 1, action: 'up', topology: 'acd-small', file: 'small.yaml', dryRun: run.dryRun ?? false, waves: [['acd-dbm']] });
    emitter.emit({ type: 'step-started', host: 'acd-dbm', step: 'acd-dbm/power-on', name: 'power on', kind: 'power-on', target: 'hypervisor kvm1', command: 'virsh start acd-dbm' });
    const cancelled = new Promise<RunStatus>((resolve) => run.signal.addEventListener('abort', () => resolve('cancelled'), { once: true }));
    const status = await Promise.race([release, cancelled]);
    const host: HostStatus = status === 'succeeded' ? 'up' : 'cancelled';
    emitter.emit({ type: 'step-finished', host: 'acd-dbm', step: 'acd-dbm/power-on', name: 'power on', kind: 'power-on', status: status === 'succeeded' ? 'passed' : 'cancelled', durationMs: 1 });
    emitter.emit({ type: 'run-finished', status, durationMs: emitter.elapsedMs, hosts: { 'acd-dbm': host }, failures: [] });
    return { action: 'up', status, durationMs: emitter.elapsedMs, hosts: { 'acd-dbm': host }, failures: [], dryRun: run.dryRun ?? false };
  };
}

/** A promise and its resolve. */
function gate<T>(): { promise: Promise<T>; open: (value: T) => void } {
  let open!: (value: T) => void;
  const promise = new Promise<T>((resolve) => (open = resolve));
  return { promise, open };
}

describe('runSession: the lock and the journal of a run', () => {
  let dir: string;
  let err: string[];
  const io = { out: () => undefined, err: (l: string) => err.push(l), style: NO_COLOURS, errStyle: NO_COLOURS, env: {}, cwd: '/srv' };
  const options = (extra: Partial<SessionOptions> = {}): SessionOptions => ({
    dryRun: false, json: false, verbose: false, concurrency: undefined, onFailure: 'stop', stateDir: dir,
    signal: new AbortController().signal, argv: ['up', 'small.yaml'], ...extra,
  });
  const lockFile = (): string => topologyLockFile(dir, 'acd-small');

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'orchestrate-session-'));
    err = [];
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('holds the lock while it runs, journals every event after the header, and releases the lock at the end', async () => {
    const release = gate<RunStatus>();
    const running = runSession('acd-small', options({ planHash: 'cd'.repeat(32) }), io, fakeRun(release.promise));
    const holder = readLock(lockFile());
    expect(holder).to.include({ pid: process.pid, host: os.hostname(), command: 'orchestrate up small.yaml' });
    release.open('succeeded');
    expect(await running).to.equal(0);
    expect(existsSync(lockFile())).to.equal(false);

    const [entry] = listRuns(dir);
    expect(entry?.runId).to.equal(holder === 'unreadable' ? undefined : holder?.runId);
    const j = readJournal(entry?.file ?? '');
    if ('error' in j) throw new Error(j.error);
    expect(j.header).to.deep.equal({
      type: 'journal', version: 1, runId: entry?.runId, planHash: 'cd'.repeat(32), topology: 'acd-small', action: 'up', file: '/srv/small.yaml',
      user: os.userInfo().username, host: os.hostname(), pid: process.pid, argv: ['up', 'small.yaml'], cwd: '/srv', startedAt: holder === 'unreadable' ? '' : holder?.since,
    });
    expect(j.events.map((e) => e.type)).to.deep.equal(['run-started', 'step-started', 'step-finished', 'run-finished']);
    expect(journalState(j, thisMachine).outcome).to.equal('succeeded');
    expect(err).to.deep.equal([]);
  });

  it('a second run of the topology is refused (exit 3), naming the holder; --force-unlock takes the lock with a warning', async () => {
    const release = gate<RunStatus>();
    const first = runSession('acd-small', options(), io, fakeRun(release.promise));
    const holder = readLock(lockFile());
    if (holder === undefined || holder === 'unreadable') throw new Error('no lock');
    const second = await runSession('acd-small', options({ argv: ['down'] }), io, fakeRun(Promise.resolve('succeeded'))).then(() => undefined, (e: unknown) => e);
    expect(second).to.be.instanceOf(CliError);
    const e = second as CliError;
    expect(e.exitCode).to.equal(3);
    expect(e.message).to.equal(`topology acd-small is locked: another run holds its lock: run ${holder.runId} (pid ${process.pid} on ${os.hostname()}, since ${holder.since}: orchestrate up small.yaml)`);
    expect(e.suggestions).to.deep.equal([
      'wait until that run ends (orchestrate runs lists the runs)',
      `if that process is gone: orchestrate down --force-unlock (the lock is ${lockFile()})`,
    ]);
    // The refused run left no journal.
    expect(listRuns(dir)).to.have.length(1);

    expect(await runSession('acd-small', options({ forceUnlock: true }), io, fakeRun(Promise.resolve('succeeded')))).to.equal(0);
    expect(err[0]).to.equal(`warning: --force-unlock: removed the lock ${lockFile()} of run ${holder.runId} (pid ${process.pid} on ${os.hostname()}, since ${holder.since}: orchestrate up small.yaml)`);
    // The newest run before it was still running (its lock was forced): said too.
    expect(err[1]).to.match(new RegExp(`^warning: the last run of acd-small \\(up, ${holder.runId}, .*\\) is still running \\(pid ${process.pid}\\): in flight: acd-dbm/power-on \\(power on: virsh start acd-dbm\\)$`));
    release.open('succeeded');
    expect(await first).to.equal(0);
  });

  it('a cancelled run releases its lock, journals run-finished, and the next run warns that it was cancelled', async () => {
    const controller = new AbortController();
    const running = runSession('acd-small', options({ signal: controller.signal }), io, fakeRun(new Promise(() => undefined)));
    expect(existsSync(lockFile())).to.equal(true);
    controller.abort(new Error('cancelled by SIGINT'));
    expect(await running).to.equal(130);
    expect(existsSync(lockFile())).to.equal(false);
    const [entry] = listRuns(dir);
    expect(await runSession('acd-small', options(), io, fakeRun(Promise.resolve('succeeded')))).to.equal(0);
    expect(err).to.deep.equal([`warning: the last run of acd-small (up, ${entry?.runId ?? ''}, started ${entry?.header.startedAt ?? ''} by ${os.userInfo().username}@${os.hostname()}) was cancelled: cancelled: acd-dbm/power-on (power on)`]);
  });

  it('a run whose work throws still releases its lock', async () => {
    const failing = runSession('acd-small', options(), io, () => Promise.reject(new Error('boom')));
    await failing.then(() => expect.fail('it threw'), (e: unknown) => expect((e as Error).message).to.equal('boom'));
    expect(existsSync(lockFile())).to.equal(false);
  });

  it('a dry run takes no lock and writes no journal', async () => {
    const release = gate<RunStatus>();
    const running = runSession('acd-small', options({ dryRun: true }), io, fakeRun(release.promise));
    expect(existsSync(lockFile())).to.equal(false);
    release.open('succeeded');
    expect(await running).to.equal(0);
    expect(readdirSync(dir)).to.deep.equal([]);
  });

  it('degraded exits 4', async () => {
    expect(await runSession('acd-small', options(), io, fakeRun(Promise.resolve('degraded')))).to.equal(4);
  });
});
