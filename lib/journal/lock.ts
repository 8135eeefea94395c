/**
 * Run locks: one run at a time per topology (`<stateDir>/locks/<topology>.lock`) and per
 * simulated fleet (`<fleetDir>/orchestrate.lock`). A lock file is created atomically (written
 * aside, then hard-linked into place, which fails if it exists; so a lock is never seen half
 * written) and holds its holder as JSON. A lock whose process is gone (same host, no such pid) is
 * taken over; `force` takes over any lock. It returns results and notes; saying them, and
 * refusing the run, is the caller's.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, linkSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createFileSafe, makeDirSafe, PRIVATE, PRIVATE_DIR } from '../util/safe-write.js';
import { thisMachine } from './files.js';
import type { Machine } from './types.js';

/** Who holds a lock: the lock file's contents. */
export interface LockHolder {
  readonly runId: string;
  readonly pid: number;
  /** The hostname of the machine it runs on. */
  readonly host: string;
  /** The command line, `orchestrate up topologies/large.yaml …`. */
  readonly command: string;
  /** ISO time the lock was taken. */
  readonly since: string;
}

/** A lock this process holds. */
export interface HeldLock {
  readonly file: string;
  readonly holder: LockHolder;
  /** Deletes the lock file if it is still this holder's (a --force-unlock may have given it to another run). Idempotent. */
  release(): void;
}

/** A lock taken from another holder: `stale` (its process is gone) or `forced` (--force-unlock). */
export interface LockNote {
  readonly kind: 'stale' | 'forced';
  readonly file: string;
  /** Undefined when the lock file could not be read. */
  readonly previous: LockHolder | undefined;
}

export type LockResult =
  | { readonly ok: true; readonly lock: HeldLock; readonly notes: readonly LockNote[] }
  /** Held by a live process, by one on another machine, or unreadable (`holder` undefined). */
  | { readonly ok: false; readonly file: string; readonly holder: LockHolder | undefined };

export interface LockOptions {
  /** Take the lock from whoever holds it. @default false */
  readonly force?: boolean;
  /** @default this machine */
  readonly machine?: Machine;
}

export function topologyLockFile(stateDir: string, topology: string): string {
  return path.join(stateDir, 'locks', `${encodeURIComponent(topology)}.lock`);
}

export function fleetLockFile(fleetDir: string): string {
  return path.join(fleetDir, 'orchestrate.lock');
}

function asHolder(text: string): LockHolder | undefined {
  try {
    const h = JSON.parse(text) as Partial<LockHolder>;
    return typeof h.runId === 'string' && typeof h.pid === 'number' && typeof h.host === 'string' && typeof h.command === 'string' && typeof h.since === 'string' ? (h as LockHolder) : undefined;
  } catch {
    return undefined;
  }
}

/** The lock file's text, or undefined when there is none. */
function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** Who holds the lock in `file`: undefined when it is free, `unreadable` when it is not a holder's JSON. */
export function readLock(file: string): LockHolder | 'unreadable' | undefined {
  const text = readText(file);
  return text === undefined ? undefined : asHolder(text) ?? 'unreadable';
}

/**
 * Creates `file` holding `text` unless it exists. The text is written aside first, in a new file
 * of a random name (O_EXCL|O_NOFOLLOW: nothing planted there is written through), 0600.
 */
function create(file: string, text: string, runId: string): boolean {
  const aside = `${file}.${runId}.${randomBytes(4).toString('hex')}.new`;
  const fd = createFileSafe(aside, PRIVATE);
  try {
    writeFileSync(fd, text);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(aside, file);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  } finally {
    rmSync(aside, { force: true });
  }
}

/**
 * Removes the lock file if it still holds `seen`. It is first moved aside (atomic), so two runs
 * taking over the same stale lock cannot both remove it; a lock that changed meanwhile is put back.
 */
function remove(file: string, seen: string, runId: string): void {
  const aside = `${file}.${runId}.old`;
  try {
    renameSync(file, aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  if (readText(aside) !== seen) {
    try {
      linkSync(aside, file);
    } catch {
      // Another run took it meanwhile: it keeps it.
    }
  }
  rmSync(aside, { force: true });
}

function held(file: string, holder: LockHolder): HeldLock {
  let released = false;
  return {
    file,
    holder,
    release() {
      if (released) return;
      released = true;
      const text = readText(file);
      if (text !== undefined && asHolder(text)?.runId === holder.runId) rmSync(file, { force: true });
    },
  };
}

/** Takes the lock in `file` for `holder` (see the module header), or says who holds it. */
export function acquireLock(file: string, holder: LockHolder, options: LockOptions = {}): LockResult {
  const machine = options.machine ?? thisMachine;
  makeDirSafe(path.dirname(file), PRIVATE_DIR);
  const text = `${JSON.stringify(holder, null, 2)}\n`;
  const notes: LockNote[] = [];
  // A few rounds: between reading a lock and creating ours, another run may release or take it.
  for (let round = 0; round < 5; round++) {
    if (create(file, text, holder.runId)) return { ok: true, lock: held(file, holder), notes };
    const seen = readText(file);
    if (seen === undefined) continue;
    const previous = asHolder(seen);
    const stale = previous !== undefined && previous.host === machine.hostname && !machine.isAlive(previous.pid);
    if (!options.force && !stale) return { ok: false, file, holder: previous };
    remove(file, seen, holder.runId);
    notes.push({ kind: options.force ? 'forced' : 'stale', file, previous });
  }
  const last = readLock(file);
  return { ok: false, file, holder: last === 'unreadable' ? undefined : last };
}

/** What a run locks: its topology in the state directory and, against a simulated fleet, the fleet. */
export interface RunLockOptions extends LockOptions {
  readonly stateDir: string;
  readonly topology: string;
  /** The fleet directory, absolute. */
  readonly fleetDir?: string | undefined;
  readonly holder: LockHolder;
}

export type RunLockResult =
  | { readonly ok: true; readonly locks: readonly HeldLock[]; readonly notes: readonly LockNote[] }
  | { readonly ok: false; readonly what: 'topology' | 'fleet'; readonly file: string; readonly holder: LockHolder | undefined };

/** Takes the topology's lock, then the fleet's; on a refusal, holds nothing. */
export function lockRun(options: RunLockOptions): RunLockResult {
  const targets = [
    { what: 'topology' as const, file: topologyLockFile(options.stateDir, options.topology) },
    ...(options.fleetDir === undefined ? [] : [{ what: 'fleet' as const, file: fleetLockFile(options.fleetDir) }]),
  ];
  const locks: HeldLock[] = [];
  const notes: LockNote[] = [];
  for (const target of targets) {
    const r = acquireLock(target.file, options.holder, options);
    if (!r.ok) {
      for (const lock of locks) lock.release();
      return { ok: false, what: target.what, file: r.file, holder: r.holder };
    }
    locks.push(r.lock);
    notes.push(...r.notes);
  }
  return { ok: true, locks, notes };
}
