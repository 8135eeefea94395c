/**
 * The live view's model: what each host is doing, folded from the RunEvent stream. Pure: no
 * clock, no I/O; `applyEvent` updates the state in place (a 10,000-host run has too many events
 * to copy the state on each) and returns it. The waits (which hosts and quorum gates a host is
 * waiting for) come from the plan, the same links the scheduler decides by (execution/scheduler.ts).
 * Drawing is live-frame.ts; writing to the terminal is live.ts.
 */
import type { HostStatus, RunEvent, RunStatus } from '../events/index.js';
import { gateUp, linkSatisfied, REACHED, throughGates, type GatePlan, type Plan, type WaitLink } from '../plan/index.js';

/** One host link as the view needs it (graph/model.ts HostLink; the fields plan/waits.ts reads). */
export type LiveLink = WaitLink;

/** What the view knows of the plan: each host's waits and the quorum gates. */
export interface LivePlan {
  readonly waitsFor: Readonly<Record<string, readonly LiveLink[]>>;
  readonly gates: readonly GatePlan[];
}

/** A step that is running on a host now. */
export interface LiveStep {
  readonly step: string;
  readonly name: string;
  readonly kind: string;
  /** Run time (elapsedMs) when it started. */
  readonly startedMs: number;
  /** The last failed attempt of a check: `attempt` of `attempts`, and what it saw. */
  attempt?: { readonly n: number; readonly of: number; readonly observed: string };
}

export interface LiveHost {
  readonly name: string;
  readonly wave: number;
  /** `waiting`: not started; `working`: started; `finished`: has a status. */
  phase: 'waiting' | 'working' | 'finished';
  powered: boolean;
  startedMs?: number;
  /** In start order; the last is what the host is doing. */
  readonly running: LiveStep[];
  status?: HostStatus;
  durationMs?: number;
  reason?: string;
}

export interface LiveState {
  action: string;
  topology: string;
  side?: string;
  dryRun: boolean;
  /** Hosts per wave, from run-started. */
  waves: readonly (readonly string[])[];
  readonly hosts: Map<string, LiveHost>;
  readonly plan: LivePlan;
  /** The failover or failback phase under way, and its description. */
  phase?: { readonly name: string; readonly description: string };
  /** Health checks of the current phase. */
  health: { passed: number; failed: number };
  /** Each continuity probe's last result. */
  readonly probes: Map<string, boolean>;
  /** Run time of the last event. */
  lastMs: number;
  finished?: RunStatus;
}

/** The waits of a plan, for the view. */
export function livePlanOf(plan: Pick<Plan, 'hosts' | 'gates'>): LivePlan {
  const waitsFor: Record<string, readonly LiveLink[]> = {};
  for (const h of plan.hosts) waitsFor[h.name] = h.waitsFor;
  return { waitsFor, gates: plan.gates };
}

export const NO_PLAN: LivePlan = { waitsFor: {}, gates: [] };

export function createLiveState(plan: LivePlan = NO_PLAN): LiveState {
  return { action: '', topology: '', dryRun: false, waves: [], hosts: new Map(), plan, health: { passed: 0, failed: 0 }, probes: new Map(), lastMs: 0 };
}

/** The host statuses that reached the target (the scheduler's, plan/waits.ts). */
export const REACHED_STATUSES: ReadonlySet<HostStatus> = REACHED;

type Handlers = { readonly [T in RunEvent['type']]: (s: LiveState, e: Extract<RunEvent, { type: T }>) => void };

const host = (s: LiveState, name: string, wave = 0): LiveHost => {
  let h = s.hosts.get(name);
  if (!h) {
    h = { name, wave, phase: 'waiting', powered: false, running: [] };
    s.hosts.set(name, h);
  }
  return h;
};

const HANDLERS: Handlers = {
  'run-started': (s, e) => {
    s.action = e.action;
    s.topology = e.topology;
    s.dryRun = e.dryRun;
    s.waves = e.waves;
    if (e.side !== undefined) s.side = e.side;
    e.waves.forEach((hosts, i) => { for (const name of hosts) host(s, name, i + 1); });
  },
  phase: (s, e) => {
    s.phase = { name: e.phase, description: e.description };
    s.health = { passed: 0, failed: 0 };
  },
  health: (s, e) => {
    if (e.ok) s.health.passed++;
    else s.health.failed++;
  },
  probe: (s, e) => void s.probes.set(e.probe, e.ok),
  continuity: () => undefined,
  'wave-started': () => undefined,
  'wave-finished': () => undefined,
  'host-started': (s, e) => {
    const h = host(s, e.host, e.wave);
    h.phase = 'working';
    h.startedMs = e.elapsedMs;
  },
  'host-powered': (s, e) => void (host(s, e.host).powered = true),
  'host-finished': (s, e) => {
    const h = host(s, e.host, e.wave);
    h.phase = 'finished';
    h.status = e.status;
    h.durationMs = e.durationMs;
    h.running.length = 0;
    if (e.reason !== undefined) h.reason = e.reason;
  },
  'step-started': (s, e) => void host(s, e.host).running.push({ step: e.step, name: e.name, kind: e.kind, startedMs: e.elapsedMs }),
  'step-output': () => undefined,
  'step-finished': (s, e) => {
    const running = host(s, e.host).running;
    const i = running.findIndex((r) => r.step === e.step);
    if (i >= 0) running.splice(i, 1);
  },
  'check-attempt': (s, e) => {
    const r = host(s, e.host).running.find((x) => x.step === e.step);
    if (r) r.attempt = { n: e.attempt, of: e.attempts, observed: e.observed };
  },
  warning: () => undefined,
  'run-finished': (s, e) => {
    s.finished = e.status;
  },
};

/** Folds one event into the state. */
export function applyEvent(s: LiveState, e: RunEvent): LiveState {
  (HANDLERS[e.type] as (s: LiveState, e: RunEvent) => void)(s, e);
  s.lastMs = Math.max(s.lastMs, e.elapsedMs);
  return s;
}

/** What a waiting host still waits for: hosts, and quorum gates (role, how many are up, how many needed). */
export interface Waits {
  readonly hosts: readonly { readonly host: string; readonly kind: 'requires' | 'after' }[];
  readonly gates: readonly { readonly role: string; readonly up: number; readonly min: number; readonly of: number }[];
}

/** The links of `name` not yet satisfied, by the scheduler's rules: reached, quorum of gated roles, or (`after`) powered. */
export function waitsOf(s: LiveState, name: string): Waits {
  const reached = (n: string): boolean => {
    const status = s.hosts.get(n)?.status;
    return status !== undefined && REACHED.has(status);
  };
  const gates = new Map(s.plan.gates.map((g) => [g.role, g]));
  const facts = { reached, powered: (n: string) => s.hosts.get(n)?.powered === true, gates };
  const open = (s.plan.waitsFor[name] ?? []).filter((l) => !linkSatisfied(l, facts));
  const gated = [...new Set(open.filter((l) => throughGates(l, gates)).flatMap((l) => l.roles))].sort().flatMap((r) => {
    const g = gates.get(r);
    return g ? [{ role: r, up: gateUp(g, reached), min: g.min, of: g.hosts.length }] : [];
  });
  return { hosts: open.filter((l) => !throughGates(l, gates)).map((l) => ({ host: l.host, kind: l.kind })), gates: gated };
}

/** How many hosts reached the target, failed, and are in the run. */
export function countHosts(s: LiveState): { readonly reached: number; readonly failed: number; readonly total: number } {
  let reached = 0;
  let failed = 0;
  for (const h of s.hosts.values()) {
    if (h.status !== undefined && REACHED_STATUSES.has(h.status)) reached++;
    else if (h.status === 'failed') failed++;
  }
  return { reached, failed, total: s.hosts.size };
}
