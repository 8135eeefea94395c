import { expect } from 'chai';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { acquireLock, fleetLockFile, lockRun, readLock, topologyLockFile, type LockHolder } from '../../lib/journal/index.js';
import { machine } from '../support/journal.js';

const holder = (runId: string, pid: number, host = 'ctl'): LockHolder => ({ runId, pid, host, command: `orchestrate up large.yaml # ${runId}`, since: '2026-12-07T08:15:02.000Z' });

describe('run locks', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'orchestrate-lock-'));
    file = topologyLockFile(dir, 'acd-large');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('the first run takes the lock; a second is refused and told who holds it; release frees it', () => {
    const live = machine([1, 2]);
    const first = acquireLock(file, holder('run-1', 1), { machine: live });
    expect(first.ok && first.notes).to.deep.equal([]);
    expect(readLock(file)).to.deep.equal(holder('run-1', 1));
    expect(acquireLock(file, holder('run-2', 2), { machine: live })).to.deep.equal({ ok: false, file, holder: holder('run-1', 1) });
    if (first.ok) first.lock.release();
    expect(existsSync(file)).to.equal(false);
    expect(acquireLock(file, holder('run-2', 2), { machine: live }).ok).to.equal(true);
    // Nothing is left beside the lock file.
    expect(readdirSync(path.dirname(file))).to.deep.equal(['acd-large.lock']);
  });

  it('a lock whose process is gone (same host, no such pid) is taken over, with a note naming it', () => {
    acquireLock(file, holder('run-1', 1), { machine: machine([1]) });
    const r = acquireLock(file, holder('run-2', 2), { machine: machine([2]) });
    expect(r.ok && r.notes).to.deep.equal([{ kind: 'stale', file, previous: holder('run-1', 1) }]);
    expect(readLock(file)).to.deep.equal(holder('run-2', 2));
  });

  it('a lock held on another machine is never taken as stale: its pid cannot be checked from here', () => {
    acquireLock(file, holder('run-1', 1, 'elsewhere'), { machine: machine([], 'elsewhere') });
    expect(acquireLock(file, holder('run-2', 2), { machine: machine([2]) })).to.deep.equal({ ok: false, file, holder: holder('run-1', 1, 'elsewhere') });
  });

  it('force takes any lock, even a live one or an unreadable one, with a note', () => {
    const live = machine([1, 2, 3]);
    const first = acquireLock(file, holder('run-1', 1), { machine: live });
    const forced = acquireLock(file, holder('run-2', 2), { machine: live, force: true });
    expect(forced.ok && forced.notes).to.deep.equal([{ kind: 'forced', file, previous: holder('run-1', 1) }]);
    // The run that lost its lock does not remove the new holder's when it ends.
    if (first.ok) first.lock.release();
    expect(readLock(file)).to.deep.equal(holder('run-2', 2));

    writeFileSync(file, 'garbage');
    expect(readLock(file)).to.equal('unreadable');
    expect(acquireLock(file, holder('run-3', 3), { machine: live })).to.deep.equal({ ok: false, file, holder: undefined });
    const taken = acquireLock(file, holder('run-3', 3), { machine: live, force: true });
    expect(taken.ok && taken.notes).to.deep.equal([{ kind: 'forced', file, previous: undefined }]);
  });

  it('lockRun locks the topology and the fleet; refused by the fleet, it holds neither', () => {
    const fleet = path.join(dir, 'fleet');
    mkdirSync(fleet);
    const live = machine([1, 2]);
    const a = lockRun({ stateDir: path.join(dir, 'state-a'), topology: 'acd-small', fleetDir: fleet, holder: holder('run-1', 1), machine: live });
    expect(a.ok && a.locks.map((l) => l.file)).to.deep.equal([topologyLockFile(path.join(dir, 'state-a'), 'acd-small'), fleetLockFile(fleet)]);
    // Another state directory: its own topology lock is free, the fleet's is not.
    const b = lockRun({ stateDir: path.join(dir, 'state-b'), topology: 'acd-small', fleetDir: fleet, holder: holder('run-2', 2), machine: live });
    expect(b).to.deep.equal({ ok: false, what: 'fleet', file: fleetLockFile(fleet), holder: holder('run-1', 1) });
    expect(existsSync(topologyLockFile(path.join(dir, 'state-b'), 'acd-small'))).to.equal(false);
    if (a.ok) for (const l of a.locks) l.release();
    expect(existsSync(fleetLockFile(fleet))).to.equal(false);
  });

  it('a topology name is a safe file name', () => {
    expect(path.basename(topologyLockFile(dir, '../x y'))).to.equal('..%2Fx%20y.lock');
  });
});
