/** A plan: every host's steps for one action, and the order constraints between hosts. Readonly data. */
import type { HostLink } from '../graph/index.js';
import type { Target } from '../power/index.js';
import type { PairProcedure, PairStep } from '../procedures/index.js';
import type { CheckProbe, Pair, PairDrbd, PairPacemaker, PowerDriver, ServiceSpec, SshEndpoint, Timeouts } from '../topology/index.js';

/** A check as planned: its probe rendered for the host, how it is tried, what it runs. */
export interface CheckPlan {
  readonly probe: CheckProbe;
  /** The command it runs; absent when the controller makes the HTTP request or TCP connection itself. */
  readonly command?: string;
  /** What it looks at and what passes, in one line. */
  readonly describe: string;
  readonly attempts: number;
  readonly intervalMs: number;
  readonly deadlineMs?: number;
  readonly successes: number;
}

export type Action = 'up' | 'down';

/** A failover takes one side down while the others keep the service; a failback brings it back. */
export type SideOperation = 'failover' | 'failback';

/** Everything orchestrate can run; each is first a plan. */
export type PlanAction = Action | SideOperation | 'check';

/** What a run needs to know of one host, resolved: where it is, how long to wait, how it boots. */
export interface PlanHostInfo {
  readonly name: string;
  readonly ssh: SshEndpoint;
  readonly roles: readonly string[];
  readonly side?: string;
  readonly driver: PowerDriver;
  readonly bootCheck: 'systemd' | 'ssh';
  readonly timeouts: Timeouts;
}

/** The platform as the plan sees it: every host (not only those it changes), hypervisor and role. */
export interface Platform {
  readonly hosts: Readonly<Record<string, PlanHostInfo>>;
  readonly hypervisors: Readonly<Record<string, SshEndpoint>>;
  /** The hosts of each role, in name order. */
  readonly roles: Readonly<Record<string, readonly string[]>>;
}

/** A quorum gate going up: dependants of the role start once `min` of its hosts are up. */
export interface GatePlan {
  readonly role: string;
  readonly min: number;
  /** The role's hosts in this plan. */
  readonly hosts: readonly string[];
}

/** A file the plan was made from, by content: `apply` refuses a plan whose sources changed. */
export interface PlanSource {
  readonly file: string;
  readonly sha256: string;
}

/**
 * A secret the plan's commands may carry as `{{secret:NAME}}`, and where its value is read when a
 * run starts: an environment variable, a file, or the topology file (`value:`). Never the value.
 */
export type PlanSecret = { readonly name: string } & ({ readonly env: string } | { readonly file: string } | { readonly topology: string });

/** A health check run: is each host running, then its up checks (one attempt, or as `up` tries them); each pair whole. */
export interface HealthPlan {
  readonly hosts: readonly HealthHost[];
  readonly pairs: readonly HealthPair[];
}

export interface HealthHost {
  readonly name: string;
  /** Asks whether it is running: `systemctl is-system-running` (must say running or degraded) or `true`. */
  readonly running: { readonly command: string; readonly systemd: boolean; readonly timeoutMs: number };
  readonly checks: readonly Extract<PlanStep, { kind: 'check' }>[];
}

export interface HealthPair {
  readonly pair: Pair;
  /** `both`, or the one node expected to carry the pair alone. */
  readonly scope: string;
}

/** A continuity probe, rendered for every place it may run (in this order of preference when nothing has passed yet). */
export interface ContinuityPlan {
  readonly intervalMs: number;
  readonly probes: readonly {
    readonly name: string;
    readonly timeoutMs: number;
    readonly on: readonly { readonly host?: string; readonly command: string }[];
  }[];
}

/** The side part of a failover or failback plan. */
export interface SidePlan {
  readonly side: string;
  readonly moving: readonly string[];
  readonly staying: readonly string[];
  readonly pairs: readonly SidePairPlan[];
  /** Said before the run starts (roles left without hosts, steps left out for want of a partner). */
  readonly warnings: readonly { readonly host?: string; readonly message: string }[];
  /** Failover: the whole platform; failback: the staying side. Must pass before anything changes. */
  readonly preflight: HealthPlan;
  /** Failback: the whole platform once more at the end. */
  readonly health?: HealthPlan;
  readonly continuity: ContinuityPlan;
}

/** A pair whose service moves (failover) or whose returning node rejoins (failback), and how. */
export interface SidePairPlan {
  readonly pair: Pair;
  readonly moving: string;
  readonly staying: string;
  /** In order; `when: leaving-primary` steps run only when the leaving node is the DRBD Primary. */
  readonly steps: readonly MoveStep[];
}

export type MoveStep = PairStep & { readonly host: string; readonly when?: 'leaving-primary'; readonly judge?: 'stopped-on' | 'running-on' | 'whole' };

interface StepBase {
  /** `host/step` or `host/role/step`; unique within a plan. */
  readonly id: string;
  readonly name: string;
  readonly target: Target;
  readonly timeoutMs: number;
  readonly role?: string;
}

/**
 * One step of a host's procedure.
 * - `power-state`: asks the driver (or, without one, SSH) whether the host is on; decides whether the host is already in the target state.
 *   With `list`, the VM's line of the hypervisor's VM list is read first (one read shared by all
 *   its VMs); `command` asks the VM alone when the list does not show it.
 * - `power-on`: powers the host on.
 * - `wait-boot`: polls until SSH answers and, with `command`, the OS reports booted.
 * - `run`: a role's command.
 * - `check`: a role's check, tried up to `attempts` times (see CheckPlan).
 * - `service`: service control with its manager's semantics (lib/services); `command` is the first command it runs.
 * - `shutdown`: graceful shutdown, in the guest or through the hypervisor; a dropped connection is success.
 * - `wait-off`: polls until the host is off (driver state, or SSH gone without one). With `vm`,
 *   `command` lists every VM of the hypervisor and this VM's line is read: the polls of all VMs
 *   on one hypervisor share that one command; `fallback` (the VM's own state command) is used
 *   instead where the list cannot be read.
 * - `force-off`: immediate power off, run only when `wait-off` ran out of time.
 * - `pair`: the host joins its redundant pair's procedure (see Plan.pairs), run for both hosts at once.
 */
export type PlanStep =
  | (StepBase & { readonly kind: 'power-state'; readonly command?: string; readonly list?: { readonly command: string; readonly vm: string } })
  | (StepBase & { readonly kind: 'power-on'; readonly command: string })
  | (StepBase & { readonly kind: 'wait-boot'; readonly command?: string; readonly pollMs: number; readonly reset?: { readonly command: string; readonly on: string } })
  | (StepBase & { readonly kind: 'run'; readonly command: string; readonly safeToRepeat: boolean })
  | (StepBase & CheckPlan & { readonly kind: 'check' })
  | (StepBase & { readonly kind: 'service'; readonly service: ServiceSpec; readonly command: string; readonly check?: CheckPlan & { readonly timeoutMs: number } })
  | (StepBase & { readonly kind: 'shutdown'; readonly command: string; readonly mode: 'guest' | 'hypervisor' })
  | (StepBase & { readonly kind: 'wait-off'; readonly command?: string; readonly vm?: string; readonly fallback?: string; readonly pollMs: number })
  | (StepBase & { readonly kind: 'force-off'; readonly command: string })
  | (StepBase & { readonly kind: 'pair'; readonly pair: string });

export type StepKind = PlanStep['kind'];

export interface HostPlan {
  readonly name: string;
  readonly address: string;
  readonly roles: readonly string[];
  /** 1-based wave: how the plan is shown; execution does not wait for whole waves. */
  readonly wave: number;
  /** What this host waits for in this action (for `down`: the hosts that depend on it, which must be down first). */
  readonly waitsFor: readonly HostLink[];
  readonly steps: readonly PlanStep[];
}

/** Who the primary of a pair is before the run, and how that is known. */
export interface KnownPrimary {
  readonly host: string;
  /** `recorded`: shut down last (state directory); `option`: --primary; `staying`: the node that keeps running in a failover or failback. */
  readonly source: 'recorded' | 'option' | 'staying';
}

/** A redundant pair's part of a plan: its procedure, run once both hosts reach their `pair` step. */
export interface PairPlan {
  readonly name: string;
  readonly hosts: readonly [string, string];
  /** The pair's hosts in this plan: both, or in a failover or failback the one that leaves or returns (the other, the primary, keeps running). */
  readonly members: readonly string[];
  readonly drbd?: PairDrbd;
  readonly pacemaker?: PairPacemaker;
  /** The procedure expected; the run picks a one-node variant when it finds one node already in the target state. */
  readonly procedure: PairProcedure;
  readonly primary?: KnownPrimary;
  readonly steps: readonly PairStep[];
  /** With both nodes in the plan: the one-node procedure, run instead when one node is found already in the target state. */
  readonly oneNode?: readonly PairStep[];
  /** Each host's own shutdown steps (graceful, wait until off, forced off), run where the procedure says `shutdown`. */
  readonly shutdown: Readonly<Record<string, readonly PlanStep[]>>;
}

/** A host a limited plan added to the hosts its `--limit` selected, and why. */
export interface LimitAddition {
  readonly host: string;
  /**
   * - `required`: going up, hosts of the plan (`of`) require it;
   * - `dependant`: going down, it requires hosts of the plan (`of`), so it stops first;
   * - `pair`: the other node of a redundant pair in the plan (`of`): a pair starts and stops whole.
   */
  readonly because: 'required' | 'dependant' | 'pair';
  readonly of: readonly string[];
  /** The role dependencies behind it (`web requires db-slave`), or `pair NAME`. */
  readonly reasons: readonly string[];
}

/** `--limit`: the patterns, the hosts they selected, and what was added for them. */
export interface PlanLimit {
  /** As given (each may be a comma-separated list). */
  readonly patterns: readonly string[];
  /** The hosts the patterns select, in name order. */
  readonly selected: readonly string[];
  /** The hosts added, in the order they were found (empty for `check`). */
  readonly added: readonly LimitAddition[];
}

export const PLAN_VERSION = 2;

export interface Plan {
  readonly version: typeof PLAN_VERSION;
  readonly action: PlanAction;
  readonly topology: string;
  readonly file: string;
  /** The topology, its overlays and playbooks, by content hash. */
  readonly sources: readonly PlanSource[];
  /** `--limit`: only these hosts; absent for the whole platform. */
  readonly limit?: PlanLimit;
  /** The topology's secrets, by name; absent when it has none. */
  readonly secrets?: readonly PlanSecret[];
  readonly platform: Platform;
  /** Going up (and failing back): the quorum gates of the plan's hosts. */
  readonly gates: readonly GatePlan[];
  /** `check`: the checks; absent otherwise. */
  readonly health?: HealthPlan;
  /** `failover` and `failback`. */
  readonly side?: SidePlan;
  /** Hosts per wave, each wave in name order. */
  readonly waves: readonly (readonly string[])[];
  /** In wave order, then name order. */
  readonly hosts: readonly HostPlan[];
  /** How many commands run at once; Infinity (null in JSON) for no limit. */
  readonly concurrency: number;
  readonly pairs: readonly PairPlan[];
}
