/**
 * The record of a run that changes machines, as a session starts it: take the lock(s) (or refuse
 * with exit 3, naming the holder), warn when the last run of the topology was interrupted or
 * cancelled, and journal every event. Not for dry runs or read-only commands; the journal's
 * format and the lock rules are lib/journal's.
 */
import os from 'node:os';
import path from 'node:path';
import { CliError, InternalError } from '../errors.js';
import type { Listener, RunEvent, RunSummary } from '../events/index.js';
import {
  describeInterruption, interruptedLastRun, JOURNAL_VERSION, JournalWriter, lockRun, thisMachine,
  type HeldLock, type JournalHeader, type LockHolder, type LockNote, type Machine, type RunLockResult,
} from '../journal/index.js';
import { EXIT } from './exit.js';
import type { CliIO } from './io.js';

export interface RunRecordOptions {
  readonly stateDir: string;
  /** The topology's `name`. */
  readonly topology: string;
  /** `--fleet DIR`, absolute: that simulated fleet is locked too. */
  readonly fleetDir?: string | undefined;
  /** hashDocument of the plan, for the header. */
  readonly planHash?: string | undefined;
  /** `--force-unlock`: take the locks from whoever holds them. */
  readonly forceUnlock?: boolean | undefined;
  /** The command line after `orchestrate`. @default process.argv.slice(2) */
  readonly argv?: readonly string[] | undefined;
  /** @default this machine */
  readonly machine?: Machine | undefined;
  /** @default the current time */
  readonly now?: (() => Date) | undefined;
}

export interface RunRecord {
  readonly runId: string;
  /** The journal file. */
  readonly file: string;
  /** Journals each event (the header before the first); a journal that cannot be written warns once and the run goes on. */
  readonly listener: Listener;
  /**
   * Ends the record whatever the outcome (call it in `finally`): syncs and closes the journal
   * (a run that emitted nothing leaves none; one that returned `summary` without emitting
   * run-finished gets one from it) and releases the locks. Idempotent.
   */
  finish(summary?: RunSummary): void;
}

function userName(io: CliIO): string {
  try {
    return os.userInfo().username;
  } catch {
    return io.env.USER ?? io.env.LOGNAME ?? 'unknown';
  }
}

function describeHolder(h: LockHolder): string {
  return `run ${h.runId} (pid ${h.pid} on ${h.host}, since ${h.since}: ${h.command})`;
}

function refusal(r: Extract<RunLockResult, { ok: false }>, options: RunRecordOptions, argv: readonly string[]): CliError {
  const what = r.what === 'topology' ? `topology ${options.topology}` : `the fleet in ${options.fleetDir ?? '?'}`;
  const by = r.holder ? `another run holds its lock: ${describeHolder(r.holder)}` : `its lock file ${r.file} cannot be read`;
  const again = ['orchestrate', ...argv.filter((a) => a !== '--force-unlock'), '--force-unlock'].join(' ');
  return new CliError(`${what} is locked: ${by}`, {
    exitCode: EXIT.refused,
    suggestions: [
      r.holder ? 'wait until that run ends (orchestrate runs lists the runs)' : `look at ${r.file}`,
      `if ${r.holder ? 'that process is gone' : 'no run holds it'}: ${again} (the lock is ${r.file})`,
    ],
  });
}

function note(n: LockNote): string {
  const previous = n.previous ? describeHolder(n.previous) : 'an unreadable lock';
  return n.kind === 'stale'
    ? `warning: took over the lock ${n.file} of ${previous}: that process is gone`
    : `warning: --force-unlock: removed the lock ${n.file} of ${previous}`;
}

/** The run-finished a summary stands for, for a run that returned one without emitting it. */
function finishedFrom(summary: RunSummary, seq: number, now: Date): RunEvent {
  return { seq, time: now.toISOString(), elapsedMs: summary.durationMs, type: 'run-finished', status: summary.status, durationMs: summary.durationMs, hosts: summary.hosts, failures: summary.failures };
}

/** Takes the run's locks, saying what it took over; a refusal deletes the new journal and throws. */
function takeLocks(options: RunRecordOptions, writer: JournalWriter, holder: LockHolder, argv: readonly string[], io: CliIO): () => void {
  let locked: RunLockResult;
  try {
    locked = lockRun({ stateDir: options.stateDir, topology: options.topology, fleetDir: options.fleetDir, holder, force: options.forceUnlock === true, ...(options.machine ? { machine: options.machine } : {}) });
  } catch (e) {
    writer.discard();
    throw e;
  }
  if (!locked.ok) {
    writer.discard();
    throw refusal(locked, options, argv);
  }
  for (const n of locked.notes) io.err(note(n));
  const locks: readonly HeldLock[] = locked.locks;
  return () => {
    for (const lock of locks) lock.release();
  };
}

/** The journal's header, from the run's first event (run-started says what the run does: action, side, file). */
function headerFor(first: RunEvent, context: { options: RunRecordOptions; runId: string; host: string; argv: readonly string[]; started: Date; io: CliIO }): JournalHeader {
  if (first.type !== 'run-started') throw new InternalError(`a run's first event is ${first.type}, not run-started`);
  const { options, io } = context;
  return {
    type: 'journal', version: JOURNAL_VERSION, runId: context.runId,
    ...(options.planHash === undefined ? {} : { planHash: options.planHash }),
    topology: options.topology, action: first.action, ...(first.side === undefined ? {} : { side: first.side }),
    file: path.resolve(io.cwd, first.file), user: userName(io), host: context.host, pid: process.pid,
    argv: [...context.argv], cwd: io.cwd, startedAt: context.started.toISOString(),
  };
}

/** Starts the record of a run (see the module header); throws a CliError (exit 3) when another run holds a lock. */
export function beginRunRecord(options: RunRecordOptions, io: CliIO): RunRecord {
  const machine = options.machine ?? thisMachine;
  const started = (options.now ?? (() => new Date()))();
  const argv = options.argv ?? process.argv.slice(2);
  const writer = JournalWriter.create(options.stateDir, started);
  const holder: LockHolder = { runId: writer.runId, pid: process.pid, host: machine.hostname, command: ['orchestrate', ...argv].join(' '), since: started.toISOString() };
  const release = takeLocks(options, writer, holder, argv, io);
  // A second Ctrl-C exits at once: the locks go with the process.
  process.on('exit', release);
  const interruption = interruptedLastRun(options.stateDir, options.topology, { exclude: writer.runId, machine });
  if (interruption) io.err(`warning: ${describeInterruption(interruption)}`);
  const context = { options, runId: writer.runId, host: machine.hostname, argv, started, io };
  return new Recorder(writer, (first) => headerFor(first, context), io, release);
}

class Recorder implements RunRecord {
  readonly #writer: JournalWriter;
  readonly #header: (first: RunEvent) => JournalHeader;
  readonly #io: CliIO;
  readonly #release: () => void;
  #lines = 0;
  #lastSeq = 0;
  #finished = false;
  #broken = false;
  #done = false;

  constructor(writer: JournalWriter, header: (first: RunEvent) => JournalHeader, io: CliIO, release: () => void) {
    this.#writer = writer;
    this.#header = header;
    this.#io = io;
    this.#release = release;
  }

  get runId(): string {
    return this.#writer.runId;
  }

  get file(): string {
    return this.#writer.file;
  }

  readonly listener: Listener = (e) => {
    if (this.#broken || this.#done) return;
    try {
      if (this.#lines === 0) this.#writer.write(this.#header(e));
      this.#writer.write(e);
      this.#lines++;
      this.#lastSeq = e.seq;
      if (e.type === 'run-finished') {
        this.#finished = true;
        this.#writer.sync();
      }
    } catch (err) {
      this.#broken = true;
      this.#io.err(`warning: cannot write the journal ${this.#writer.file}: ${(err as Error).message}; the run goes on without it`);
    }
  };

  finish(summary?: RunSummary): void {
    if (this.#done) return;
    if (summary && this.#lines > 0 && !this.#finished) this.listener(finishedFrom(summary, this.#lastSeq + 1, new Date()));
    this.#done = true;
    try {
      if (this.#lines === 0) this.#writer.discard();
      else if (this.#broken) this.#writer.close();
      else {
        this.#writer.sync();
        this.#writer.close();
      }
    } catch (err) {
      this.#io.err(`warning: cannot close the journal ${this.#writer.file}: ${(err as Error).message}`);
    } finally {
      process.off('exit', this.#release);
      this.#release();
    }
  }
}
