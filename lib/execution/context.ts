/** What every part of a run shares: transport, events, cancellation, time. */
import { InternalError } from '../errors.js';
import type { Clock, Emitter, Failure, Listener } from '../events/index.js';
import type { Target } from '../power/index.js';
export { targetLabel } from '../power/index.js';
import type { Plan, PlanHostInfo } from '../plan/index.js';
import { own } from '../util/own.js';
import type { Endpoint, Transport } from '../transport/index.js';
import type { Secrets } from '../util/secrets.js';
import type { Members } from './members.js';
import type { PollCount } from './poll.js';
import type { SharedReads } from './shared-reads.js';
import type { WorkLimit } from './work-limit.js';

export type FailurePolicy = 'stop' | 'continue' | 'abort';

/** Where the run remembers which node of each pair went down last (the CLI keeps it in the state directory). */
export interface PairMemory {
  remember(pair: string, host: string): void;
}

/** Forgets everything (tests, dry runs). */
export const NO_PAIR_MEMORY: PairMemory = { remember: () => undefined };

export interface RunOptions {
  readonly transport: Transport;
  readonly listeners: readonly Listener[];
  /** Aborting it cancels the run: nothing new starts, running steps are stopped. */
  readonly signal: AbortSignal;
  /**
   * What a failure does. `stop` (default): start nothing new, let running hosts finish.
   * `continue`: keep going with everything that does not depend on the failed host.
   * `abort`: also cancel what is running.
   */
  readonly onFailure?: FailurePolicy;
  /**
   * Commands in flight at once (checks and probes included); Infinity for no limit. Waiting
   * hosts hold nothing. @default the topology's concurrency (no limit unless it sets one)
   */
  readonly concurrency?: number;
  /** Show what would run, run nothing. */
  readonly dryRun?: boolean;
  /** Emit `step-output` events. */
  readonly streamOutput?: boolean;
  /**
   * With streamOutput: also the output of polls (boot wait, wait until off, pair state waits) and
   * of check attempts, whose results are check-attempt and step-finished events. @default true
   */
  readonly streamPolls?: boolean;
  readonly clock?: Clock;
  /** Waits between polls and check attempts; tests make it instant. */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Records the last primary of each pair going down. @default nothing is recorded */
  readonly pairs?: PairMemory;
  /** Continuing an earlier run of this plan: its steps that must not run again. */
  readonly resume?: ResumeFrom;
  /**
   * The values of the plan's `{{secret:NAME}}` placeholders: filled in as each command is sent
   * (and in the URL and headers of the controller's own HTTP checks), masked as `***` in every
   * event and in what commands print. @default none: placeholders are sent as they are
   */
  readonly secrets?: Secrets;
}

/** What a resumed run takes from the run it continues (orchestrate resume). */
export interface ResumeFrom {
  readonly runId: string;
  /** Step ids (as in events) done there and not safe to repeat, or confirmed done by the operator: skipped. */
  readonly done: ReadonlySet<string>;
  /** Hosts that reached the target there: running, with checks passing on the first try (or none), they count as already up. */
  readonly reached: ReadonlySet<string>;
}

export interface ExecContext {
  /** The plan being run: the only source of what to do and where (endpoints, timeouts, roles). */
  readonly plan: Plan;
  /** The transport, every command under the run's concurrency limit. */
  readonly transport: Transport;
  /** The run's concurrency limit, for work that is not a command (the controller's own HTTP and TCP checks). */
  readonly limit: WorkLimit;
  readonly emitter: Emitter;
  /** Aborts on cancel, and on failure under the `abort` policy. */
  readonly signal: AbortSignal;
  /** The user's cancel only (to tell cancel from abort-after-failure). */
  readonly cancel: AbortSignal;
  readonly clock: Clock;
  readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  readonly dryRun: boolean;
  readonly streamOutput: boolean;
  readonly streamPolls: boolean;
  readonly fail: (failure: Failure) => void;
  readonly pairs: PairMemory;
  /** Where each host stands, for checks that count cluster members. */
  readonly members: Members;
  /** Reads shared by the hosts polling the same hypervisor. */
  readonly reads: SharedReads;
  /** Waits polling now (their pauses grow when they are many). */
  readonly polls: PollCount;
  readonly resume?: ResumeFrom;
  /** The run's secrets (RunOptions.secrets); the transport above already fills and masks them. */
  readonly secrets?: Secrets;
}

/** The host of that name, as the plan knows it (any host of the platform, not only those the plan changes). */
export function hostNamed(plan: Plan, name: string): PlanHostInfo | undefined {
  return own(plan.platform.hosts, name);
}

/** The SSH endpoint (or `local`) a target resolves to. */
export function endpointOf(plan: Plan, target: Target): Endpoint {
  switch (target.kind) {
    case 'local':
      return 'local';
    case 'host': {
      const host = hostNamed(plan, target.host);
      if (!host) throw new InternalError(`unknown host ${target.host}`);
      return host.ssh;
    }
    case 'hypervisor': {
      const hv = own(plan.platform.hypervisors, target.name);
      if (!hv) throw new InternalError(`unknown hypervisor ${target.name}`);
      return hv;
    }
  }
}
