/**
 * The critical path of an `up` or `down` against the simulated fleet: the shortest wall time the
 * action can take, given its plan (lib/plan: who waits for whom, each host's steps, the pairs'
 * procedures) and what the fleet's models make each step wait for, if every command cost nothing
 * but the fleet's latency. Benchmarks divide the measured wall time by it (bench/scale.ts).
 *
 * The model, step by step (simulated ms, scaled by the time scale at the end; L is a machine's
 * mean command latency, 0 without one; a command "starts" L after it is sent):
 *
 *   up    host starts when every `requires` host is up and every `after` host is powered on
 *         power-state, power-on      L each on the hypervisor; powered once `virsh start` ran
 *         boot                       SSH answers `boot` later (slow-boot: its duration);
 *                                    units enabled at boot are active `unit_start` after that
 *         wait for boot              passes when is-system-running says running: `settle` after
 *                                    boot and no unit still activating (its last poll adds L)
 *         run                        L; `systemctl start U` of a unit not yet started waits
 *                                    `unit_start`; one already activating returns at once
 *         check                      passes at max(t + L, when its condition holds):
 *           systemd U, is-active U   U active
 *           mysql…, mysqladmin       the host's MySQL unit active (its master is up before it)
 *           mount                    the share mounted: at boot if the storage served it then,
 *                                    else by the mount step or the check's remedy
 *           http :8080 on the host   JBoss active + `deploy`
 *           http to the LB           haproxy active and the first web server ready (for the
 *                                    logo: the first ready web server with the share mounted)
 *           hazelcast                every member host's member unit active
 *         pair (both up)             once both nodes booted: a read to decide (L), drbdadm up
 *                                    ×2, a wait, promote ×2 (read + command each), a wait, pcs
 *                                    cluster start, pcs resource cleanup (L each), then the
 *                                    resources start `resource_start` after the cleanup (which
 *                                    places them again): Samba serves the share from then on
 *   down  host starts when every host depending on it is off
 *         power-state, each stop     L each; stopping a unit takes no time
 *         shutdown                   L, then off `shutdown` later; wait-off passes then (a
 *                                    poll can start at that moment), or L after it starts
 *         pair (both down)           find the active node, pcs cluster stop --all, drbdadm down
 *                                    (L each), then the secondary shuts down, then the primary
 *
 * Cross-host conditions (the LB's backends, Hazelcast members, the share) are solved by iterating
 * the timelines until they no longer change. Not modelled: polling granularity (a check passes
 * the moment its condition holds: poll intervals are the engine's overhead), a concurrency
 * limit (commands never wait for a slot: under `concurrency: N` the result is a lower bound;
 * `maxParallel` says how many hosts are in progress at once), faults other than slow-boot and
 * never-boots (never: Infinity), DRBD resyncs (a fleet that went down cleanly has none), declared
 * services' own start and stop times, and which node of a pair is found primary
 * (the first node is the primary unless the plan knows another).
 */
import type { HostPlan, Plan } from '../plan/index.js';
import type { Topology } from '../topology/index.js';
import { DEFAULT_TIMINGS, type HostBehaviour } from './config.js';
import { aggregate, type Aggregates, type PathModel, type Read, type VmTimes } from './critical-path-model.js';
import { pairTimeline } from './critical-path-pairs.js';
import { stepDone } from './critical-path-steps.js';
import { fleetUnits } from './fleet.js';

export interface CriticalPathOptions {
  readonly topology: Topology;
  /** The plan of the action (buildPlan): its hosts' steps, links and pairs. */
  readonly plan: Plan;
  /** Each machine's behaviour as the fleet resolves it (fleetBehaviour). @default the default timings, no faults, no latency */
  readonly behaviour?: (machine: string) => HostBehaviour;
  /** @default 1 */
  readonly timeScale?: number;
}

export interface HostTimeline {
  /** When its first step may start (what it waits for is done), real ms from the start of the run. */
  readonly start: number;
  /** Up: when it was powered on. */
  readonly powered?: number;
  /** When it is up (its last step passed) or, going down, off. */
  readonly done: number;
}

export interface CriticalPath {
  readonly action: Plan['action'];
  /** The shortest wall time, real ms. */
  readonly ms: number;
  readonly hosts: ReadonlyMap<string, HostTimeline>;
  /** The hosts whose waits make up the path, first to last. */
  readonly chain: readonly string[];
  /** Most hosts (a pair counts once) in progress at the same time in this schedule. */
  readonly maxParallel: number;
}

const NONE: HostBehaviour = { timings: DEFAULT_TIMINGS, faults: [] };

export function criticalPath(options: CriticalPathOptions): CriticalPath {
  const { plan, topology } = options;
  const behaviour = options.behaviour ?? ((): HostBehaviour => NONE);
  const scale = options.timeScale ?? 1;
  const model: PathModel = {
    topology, plan, behaviour, hosts: new Map(topology.hosts.map((h) => [h.name, h])),
    units: new Map(topology.hosts.map((h) => [h.name, fleetUnits(topology, h)])), latency: (m) => behaviour(m).latency?.ms ?? 0,
    aggregates: { served: Infinity, firstWeb: Infinity, firstWebWithShare: Infinity, lastActive: new Map() },
  };
  let prev = new Map<string, VmTimes>();
  let cur = new Map<string, VmTimes>();
  for (let i = 0; i < 100; i++) {
    cur = new Map();
    const read = (h: string): VmTimes | undefined => cur.get(h) ?? prev.get(h);
    for (const unit of unitsOf(plan)) {
      for (const [name, times] of runUnit(model, unit, read)) cur.set(name, times);
    }
    const next = aggregate(model, cur);
    if (same(prev, cur) && sameAggregates(model.aggregates, next)) break;
    prev = cur;
    model.aggregates = next;
  }
  const real = (ms: number): number => ms * scale;
  const hosts = new Map([...cur].map(([name, t]) => [name, { start: real(t.start), ...(t.powered === undefined ? {} : { powered: real(t.powered) }), done: real(t.done) }]));
  const end = Math.max(0, ...[...hosts.values()].map((h) => h.done));
  return { action: plan.action, ms: end, hosts, chain: chainTo(cur, end / scale), maxParallel: maxParallel(plan, cur) };
}

/** Hosts and pairs as the scheduler runs them: a host alone, or both hosts of a pair. */
function unitsOf(plan: Plan): (readonly HostPlan[])[] {
  const inPair = new Set(plan.pairs.flatMap((p) => p.members));
  const byName = new Map(plan.hosts.map((h) => [h.name, h]));
  const units: (readonly HostPlan[])[] = [];
  const seen = new Set<string>();
  for (const h of plan.hosts) {
    if (seen.has(h.name)) continue;
    const pair = inPair.has(h.name) ? plan.pairs.find((p) => p.members.includes(h.name)) : undefined;
    const members = pair ? pair.members.map((m) => byName.get(m)).filter((x): x is HostPlan => x !== undefined) : [h];
    for (const m of members) seen.add(m.name);
    units.push(members);
  }
  return units;
}

/** When a host may start: its links done (up: `requires` up, `after` powered; down: dependants off). */
function startOf(h: HostPlan, read: Read, action: Plan['action']): { at: number; by?: string } {
  let at = 0;
  let by: string | undefined;
  for (const l of h.waitsFor) {
    const t = read(l.host);
    const ready = t === undefined ? Infinity : action === 'up' && l.kind === 'after' ? t.powered ?? Infinity : t.done;
    if (ready > at) {
      at = ready;
      by = l.host;
    }
  }
  return by === undefined ? { at } : { at, by };
}

function runUnit(model: PathModel, unit: readonly HostPlan[], read: Read): Map<string, VmTimes> {
  const out = new Map<string, VmTimes>();
  for (const h of unit) out.set(h.name, hostTimeline(model, h, startOf(h, read, model.plan.action), read));
  const pair = model.plan.pairs.find((p) => p.members.includes(unit[0]?.name ?? ''));
  return pair ? pairTimeline(model, pair, out, read) : out;
}

/** One host's steps up to its end, or to its `pair` step (the pair's procedure goes on from there). */
function hostTimeline(model: PathModel, h: HostPlan, s: { at: number; by?: string }, read: Read): VmTimes {
  const vm: VmTimes = { start: s.at, done: s.at, units: new Map(), ...(s.by === undefined ? {} : { by: s.by }) };
  const b = model.behaviour(h.name);
  let t = s.at;
  for (const step of h.steps) {
    if (step.kind === 'pair') break;
    t = stepDone(model, { step, name: h.name, b, vm, t, read });
  }
  vm.done = model.plan.action === 'down' && vm.off !== undefined ? Math.max(t, vm.off) : t;
  return vm;
}

function same(a: ReadonlyMap<string, VmTimes>, b: ReadonlyMap<string, VmTimes>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, x] of a) {
    const y = b.get(k);
    if (!y || x.start !== y.start || x.done !== y.done || x.powered !== y.powered) return false;
  }
  return true;
}

function sameAggregates(a: Aggregates, b: Aggregates): boolean {
  if (a.served !== b.served || a.firstWeb !== b.firstWeb || a.firstWebWithShare !== b.firstWebWithShare || a.lastActive.size !== b.lastActive.size) return false;
  for (const [role, t] of a.lastActive) if (b.lastActive.get(role) !== t) return false;
  return true;
}

/** Back from the host that finishes last, through whatever made each start when it did. */
function chainTo(times: ReadonlyMap<string, VmTimes>, end: number): string[] {
  const last = [...times].find(([, t]) => t.done === end)?.[0];
  const chain: string[] = [];
  for (let h = last; h !== undefined && !chain.includes(h); h = times.get(h)?.by) chain.unshift(h);
  return chain;
}

/** The most units between their start and done at any instant. */
function maxParallel(plan: Plan, times: ReadonlyMap<string, VmTimes>): number {
  const edges: [number, number][] = [];
  for (const unit of unitsOf(plan)) {
    const ts = unit.map((h) => times.get(h.name)).filter((t): t is VmTimes => t !== undefined && Number.isFinite(t.done));
    if (ts.length === 0) continue;
    edges.push([Math.min(...ts.map((t) => t.start)), 1], [Math.max(...ts.map((t) => t.done)), -1]);
  }
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let n = 0;
  let most = 0;
  for (const [, d] of edges) {
    n += d;
    most = Math.max(most, n);
  }
  return most;
}
