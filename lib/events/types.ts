/**
 * Every event a run emits, as one union. The NDJSON output (`--json`) is exactly these objects,
 * one per line: a versioned contract documented in docs/events.md. Add fields freely; never
 * rename or remove one without bumping EVENTS_VERSION.
 */
import type { Action, SideOperation, StepKind } from '../plan/index.js';
import type { PairStepKind } from '../procedures/index.js';

export const EVENTS_VERSION = 1;

/**
 * How a host ended.
 * - `up` / `down`: reached the target state.
 * - `already-up` / `already-down`: was in the target state; nothing was changed.
 * - `failed`: a step or check failed (see the failure in `run-finished`).
 * - `cancelled`: stopped by Ctrl-C / SIGTERM while working.
 * - `blocked`: never started because something it waits for failed.
 * - `not-started`: never started because the run stopped starting new hosts.
 * - `planned`: dry run; nothing was run.
 */
export type HostStatus = 'up' | 'down' | 'already-up' | 'already-down' | 'failed' | 'cancelled' | 'blocked' | 'not-started' | 'planned';

/** How a step ended. `skipped`: not needed (e.g. already running); `planned`: dry run. */
export type StepStatus = 'passed' | 'failed' | 'timed-out' | 'cancelled' | 'skipped' | 'planned';

/**
 * `refused`: a failover or failback found the platform unfit before it changed anything.
 * `degraded`: every required host is up, but a quorum gate lost members.
 */
export type RunStatus = 'succeeded' | 'failed' | 'cancelled' | 'refused' | 'degraded';

/** One continuity probe over a failover or failback. */
export interface ProbeSummary {
  readonly name: string;
  readonly attempts: number;
  readonly passed: number;
  /** passed / attempts, 0..1 (1 when there were no attempts). */
  readonly availability: number;
  /** The longest time the probe kept failing: from the start of the first failed attempt to the end of the next passing one. 0 if it never failed. */
  readonly longestGapMs: number;
  /** The last failure seen, if any. */
  readonly lastFailure?: string;
}

/** What went wrong on one host, for the summary. */
export interface Failure {
  readonly host: string;
  readonly step: string;
  readonly name: string;
  /** Where it ran: `acd-dbm`, `hypervisor kvm1` or `local`. */
  readonly target: string;
  readonly command?: string;
  readonly exitCode?: number;
  readonly signal?: string;
  readonly reason: string;
  /** The last lines of stderr (or of stdout when stderr was empty). */
  readonly outputTail?: string;
}

interface Base {
  /** 1, 2, 3 … within a run. */
  readonly seq: number;
  /** Wall-clock time, ISO 8601. */
  readonly time: string;
  /** Milliseconds since the run started. */
  readonly elapsedMs: number;
}

export type RunEventBody =
  /** The run begins: what it will do, to what. A failover or failback names the side it takes down or brings back. */
  | { readonly type: 'run-started'; readonly version: typeof EVENTS_VERSION; readonly action: Action | SideOperation; readonly side?: string; readonly topology: string; readonly file: string; readonly dryRun: boolean; readonly waves: readonly (readonly string[])[] }
  /** A failover or failback enters one of its phases (preflight, move, shutdown, boot, rejoin, health). */
  | { readonly type: 'phase'; readonly phase: string; readonly description: string }
  /** One health check: of `orchestrate check`, or of a failover's or failback's preflight or final check. */
  | { readonly type: 'health'; readonly check: string; readonly host?: string; readonly ok: boolean; readonly observed: string; readonly skipped?: boolean; readonly durationMs?: number }
  /** A continuity probe's first result, and every change between passing and failing. */
  | { readonly type: 'probe'; readonly probe: string; readonly ok: boolean; readonly host?: string; readonly observed: string }
  /** The continuity probes over the whole operation. */
  | { readonly type: 'continuity'; readonly probes: readonly ProbeSummary[] }
  /** The first host of a wave started. */
  | { readonly type: 'wave-started'; readonly wave: number; readonly hosts: readonly string[] }
  /** Every host of a wave has ended. `done`: all reached the target state. */
  | { readonly type: 'wave-finished'; readonly wave: number; readonly status: 'done' | 'failed' | 'cancelled' | 'incomplete'; readonly durationMs: number }
  /** Work on a host begins (everything it waits for is satisfied). */
  | { readonly type: 'host-started'; readonly host: string; readonly wave: number }
  /** The host has been started (powered on, or found running): hosts that only come `after` it may start. */
  | { readonly type: 'host-powered'; readonly host: string }
  | { readonly type: 'host-finished'; readonly host: string; readonly wave: number; readonly status: HostStatus; readonly durationMs: number; readonly reason?: string }
  | { readonly type: 'step-started'; readonly host: string; readonly step: string; readonly name: string; readonly kind: StepKind | PairStepKind; readonly role?: string; readonly target: string; readonly command?: string }
  /** Output of a running step, as it arrives (only with output streaming on). */
  | { readonly type: 'step-output'; readonly host: string; readonly step: string; readonly stream: 'stdout' | 'stderr'; readonly text: string }
  | {
      readonly type: 'step-finished'; readonly host: string; readonly step: string; readonly name: string; readonly kind: StepKind | PairStepKind; readonly status: StepStatus; readonly durationMs: number;
      /** The step's command, when it has one. */
      readonly command?: string;
      readonly exitCode?: number; readonly signal?: string;
      /** Why it failed or was skipped, or what was observed (`running`, `already running`). */
      readonly message?: string;
      readonly outputTail?: string;
    }
  /** One attempt of a check or a poll that did not pass yet. */
  | { readonly type: 'check-attempt'; readonly host: string; readonly step: string; readonly attempt: number; readonly attempts: number; readonly ok: boolean; readonly observed: string }
  | { readonly type: 'warning'; readonly host?: string; readonly message: string }
  | {
      readonly type: 'run-finished'; readonly status: RunStatus; readonly durationMs: number;
      readonly hosts: Readonly<Record<string, HostStatus>>; readonly failures: readonly Failure[];
    };

export type RunEvent = Base & RunEventBody;
export type RunEventType = RunEvent['type'];

/** What runPlan returns; the CLI maps `status` to the exit code. */
export interface RunSummary {
  readonly action: Action | SideOperation;
  readonly status: RunStatus;
  readonly durationMs: number;
  readonly hosts: Readonly<Record<string, HostStatus>>;
  readonly failures: readonly Failure[];
  readonly dryRun: boolean;
  /** Failover and failback: the continuity probes. */
  readonly continuity?: readonly ProbeSummary[];
}
