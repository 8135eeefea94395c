/**
 * The journal of a run as data: the header line, the events, and what they say about the run
 * (which hosts and steps finished, which were in flight, how it ended). Types only.
 */
import type { Failure, HostStatus, RunEvent, RunStatus, StepStatus } from '../events/index.js';

/** The version of the journal format (the header's fields); the events follow EVENTS_VERSION. */
export const JOURNAL_VERSION = 1;

/** What `run-started` says the run does: `up`, `down`, `failover`, `failback`. */
export type JournalAction = Extract<RunEvent, { type: 'run-started' }>['action'];

/** The first line of a journal: which run, of what, started by whom, where and how. */
export interface JournalHeader {
  readonly type: 'journal';
  readonly version: typeof JOURNAL_VERSION;
  /** `20261207-081502-3f9a`: the UTC start time and 4 random hex digits; the journal's file name. */
  readonly runId: string;
  /** sha256 (hex) of the plan the run executed, when the command gave one (hashDocument). */
  readonly planHash?: string;
  /** The topology's `name`. */
  readonly topology: string;
  readonly action: JournalAction;
  /** Failover and failback: the side taken down or brought back. */
  readonly side?: string;
  /** The topology file, absolute. */
  readonly file: string;
  /** The user who ran it (os.userInfo). */
  readonly user: string;
  /** The controller's hostname (os.hostname). */
  readonly host: string;
  /** The process that wrote the journal: a journal without `run-finished` whose process is gone was interrupted. */
  readonly pid: number;
  /** The command line after `orchestrate`. */
  readonly argv: readonly string[];
  readonly cwd: string;
  /** ISO time the run took its lock. */
  readonly startedAt: string;
}

/** A journal as read back: the header (when the first line is one) and every whole event after it. */
export interface Journal {
  readonly header: JournalHeader;
  readonly events: readonly RunEvent[];
  /** The last line was cut short (the writer was killed mid-write); it is left out of `events`. */
  readonly torn: boolean;
  /** Lines that could not be read (other than a torn last line), as `line N: why`. */
  readonly problems: readonly string[];
}

/**
 * How a run ended, as its journal tells it: its RunStatus when `run-finished` was written;
 * `running` while the process that writes it is alive on this machine; else `interrupted`
 * (killed, or the machine went down, or written on another machine and never finished).
 */
export type RunOutcome = RunStatus | 'interrupted' | 'running';

/** A step that ended: the identifiers from `step-finished`. */
export interface StepDone {
  readonly host: string;
  /** `host/step` or `host/role/step`, or for a pair procedure `host/pair/step`. */
  readonly step: string;
  readonly name: string;
  readonly kind: string;
  readonly status: StepStatus;
  readonly command?: string;
  readonly message?: string;
}

/** A step that started and has no `step-finished`. */
export interface StepInFlight {
  readonly host: string;
  readonly step: string;
  readonly name: string;
  readonly kind: string;
  /** Where it runs: the host, `hypervisor kvm1` or `local`. */
  readonly target: string;
  readonly command?: string;
  /** `seq` of its `step-started`. */
  readonly seq: number;
}

/** One host of the run, from its events. */
export interface HostProgress {
  readonly host: string;
  /** From `host-finished`; undefined while the host had not finished. */
  readonly status?: HostStatus;
  /** A `host-started` was seen. */
  readonly started: boolean;
  /** A `host-powered` was seen (hosts that only come `after` it could start). */
  readonly powered: boolean;
  /** Steps that finished, in the order they finished (a step run twice appears twice). */
  readonly done: readonly StepDone[];
  readonly inFlight: readonly StepInFlight[];
}

/** A redundant pair's procedure steps (ids `host/pair/step`, on either node). */
export interface PairProgress {
  readonly pair: string;
  readonly done: readonly StepDone[];
  readonly inFlight: readonly StepInFlight[];
}

/** What a journal says about its run: the input of `runs`, `show` and `resume`. */
export interface JournalState {
  readonly outcome: RunOutcome;
  /** Every host named by run-started (in wave order), then any other host seen, in order of appearance. */
  readonly hosts: readonly HostProgress[];
  readonly pairs: readonly PairProgress[];
  /** Every step in flight, in the order they started. */
  readonly inFlight: readonly StepInFlight[];
  /** The failures of `run-finished`; without one, every failed or timed-out step. */
  readonly failures: readonly Failure[];
  /** `run-finished`'s duration; without one, the elapsed time of the last event. */
  readonly durationMs: number;
  /** `seq` of the last event read (0 when none). */
  readonly lastSeq: number;
}

/** What a journal needs from the machine to tell `running` from `interrupted`. */
export interface Machine {
  readonly hostname: string;
  /** The process exists (it may belong to another user). */
  isAlive(pid: number): boolean;
}
