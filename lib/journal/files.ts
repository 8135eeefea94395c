/**
 * The journal files: `<stateDir>/runs/<runId>.jsonl`, written line by line with synchronous
 * appends (a line is on disk before the next event is handled, so a SIGKILL loses at most the
 * line being written), and read back, listed and matched. The only I/O of journal/ besides
 * lock.ts; what the lines mean is parse.ts and state.ts.
 */
import { closeSync, fdatasyncSync, openSync, readdirSync, readFileSync, readSync, rmSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { createFileSafe, makeDirSafe, PRIVATE, PRIVATE_DIR } from '../util/safe-write.js';
import { parseHeader, parseJournal } from './parse.js';
import { formatRunId, RUN_ID_PATTERN } from './run-id.js';
import type { Journal, JournalHeader, Machine } from './types.js';

/** Where a state directory keeps its journals. */
export function runsDir(stateDir: string): string {
  return path.join(stateDir, 'runs');
}

/** Where the plan of a run is kept, beside its journal (runs/RUN.plan.json), for resume and reports. */
export function planFileOf(stateDir: string, runId: string): string {
  return path.join(runsDir(stateDir), `${runId}.plan.json`);
}

export function journalFile(stateDir: string, runId: string): string {
  return path.join(runsDir(stateDir), `${runId}.jsonl`);
}

/** This machine: its hostname, and whether a pid is alive. */
export const thisMachine: Machine = {
  hostname: os.hostname(),
  isAlive(pid: number): boolean {
    if (!Number.isInteger(pid) || pid <= 0) return false;
    try {
      process.kill(pid, 0);
      return true;
    } catch (e) {
      // EPERM: it exists, as another user's process; ESRCH (or anything else): gone.
      return (e as NodeJS.ErrnoException).code === 'EPERM';
    }
  },
};

/** An open journal: appends one JSON line per record, synchronously. Not thread-safe, not buffered. */
export class JournalWriter {
  readonly runId: string;
  readonly file: string;
  #fd: number | undefined;

  private constructor(runId: string, file: string, fd: number) {
    this.runId = runId;
    this.file = file;
    this.#fd = fd;
  }

  /**
   * Creates the journal of a new run started at `at`: a new file (a run id taken already draws
   * another suffix), 0600 in a 0700 directory: it holds what the hosts printed.
   */
  static create(stateDir: string, at: Date): JournalWriter {
    makeDirSafe(runsDir(stateDir), PRIVATE_DIR);
    for (let attempt = 0; ; attempt++) {
      const runId = formatRunId(at, randomBytes(2).toString('hex'));
      const file = journalFile(stateDir, runId);
      try {
        // O_EXCL|O_NOFOLLOW: never two runs in one file, never through a symlink; O_APPEND: every write goes to the end.
        return new JournalWriter(runId, file, createFileSafe(file, PRIVATE));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 20) throw e;
      }
    }
  }

  get open(): boolean {
    return this.#fd !== undefined;
  }

  /** Appends `record` as one line. */
  write(record: object): void {
    if (this.#fd === undefined) return;
    const bytes = Buffer.from(`${JSON.stringify(record)}\n`);
    for (let done = 0; done < bytes.length;) done += writeSync(this.#fd, bytes, done, bytes.length - done);
  }

  /** Flushes the written lines to the disk (fdatasync). */
  sync(): void {
    if (this.#fd !== undefined) fdatasyncSync(this.#fd);
  }

  close(): void {
    if (this.#fd === undefined) return;
    const fd = this.#fd;
    this.#fd = undefined;
    closeSync(fd);
  }

  /** Closes and deletes the journal: for a run that never started (nothing was written). */
  discard(): void {
    this.close();
    rmSync(this.file, { force: true });
  }
}

/** The journal in `file`, or why it cannot be read. */
export function readJournal(file: string): Journal | { readonly error: string } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    return { error: `cannot read ${file}: ${(e as Error).message}` };
  }
  return parseJournal(text);
}

/** The header of the journal in `file` (from its first 64 KiB), or undefined. */
export function readHeader(file: string): JournalHeader | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const buffer = Buffer.alloc(64 * 1024);
    const n = readSync(fd, buffer, 0, buffer.length, 0);
    return parseHeader(buffer.subarray(0, n).toString('utf8'));
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** A journal in the state directory, by its header. */
export interface RunEntry {
  readonly runId: string;
  readonly file: string;
  readonly header: JournalHeader;
}

/** The journals of `stateDir`, newest first (by start time, then run id); files without a header are left out. */
export function listRuns(stateDir: string): RunEntry[] {
  let names: string[];
  try {
    names = readdirSync(runsDir(stateDir));
  } catch {
    return [];
  }
  const entries: RunEntry[] = [];
  for (const name of names) {
    const runId = name.replace(/\.jsonl$/, '');
    if (runId === name || !RUN_ID_PATTERN.test(runId)) continue;
    const file = path.join(runsDir(stateDir), name);
    const header = readHeader(file);
    if (header) entries.push({ runId, file, header });
  }
  return entries.sort((a, b) => compareDesc(a.header.startedAt, b.header.startedAt) || compareDesc(a.runId, b.runId));
}

function compareDesc(a: string, b: string): number {
  return a < b ? 1 : a > b ? -1 : 0;
}
