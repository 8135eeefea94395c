/**
 * buildPlan: Topology + HostGraph + action → Plan. `down` is the same graph read the other way:
 * a host goes down once every host that depends on it is down. The two hosts of a redundant
 * pair wait for the union of what either waits for, so they start and stop together (their
 * pair's procedure runs once both are there). Pure and deterministic.
 */
import { InternalError } from '../errors.js';
import type { HostGraph, HostLink } from '../graph/index.js';
import { pairSteps, type PairProcedure } from '../procedures/index.js';
import type { Host, Pair, Topology } from '../topology/index.js';
import { compareNames } from '../util/names.js';
import { own } from '../util/own.js';
import { hostSteps, shutdownSteps } from './host-steps.js';
import { PLAN_VERSION, type Action, type HostPlan, type KnownPrimary, type PairPlan, type Plan, type PlanAction, type PlanLimit, type PlanSource, type SideOperation } from './model.js';
import { gatesOf, platformOf, secretsOf } from './platform.js';
import { planWaves } from './waves.js';

/** Which way a plan's hosts go: a failover takes its side down, a failback and a check look upward. */
export function directionOf(action: PlanAction): Action {
  return action === 'failover' || action === 'down' ? 'down' : 'up';
}

/** What `host` waits for in `action`. Going down, every link is a full wait: a tier is down before the next goes. */
export function waitsFor(graph: HostGraph, action: Action, host: string): readonly HostLink[] {
  return action === 'up' ? graph.dependencies(host) : graph.dependants(host).map((l) => ({ ...l, kind: 'requires' as const, roles: [], direct: true }));
}

export interface PlanOptions {
  /** The primary of each pair, when known before the run (recorded at the last shutdown, or --primary). */
  readonly primaries?: Readonly<Record<string, KnownPrimary>>;
  /**
   * Only these hosts (a failover's leaving side, a failback's returning side). The others keep
   * running: nothing waits for them, and a pair with one host here gets the one-node procedure
   * with the other host, which stays, as its primary.
   */
  readonly only?: ReadonlySet<string>;
  /**
   * `--limit` (limitHosts): only the hosts it selected and added. Pairs are whole in it, and the
   * hosts outside it are left as they are. Recorded in the plan.
   */
  readonly limit?: { readonly limit: PlanLimit; readonly hosts: ReadonlySet<string> };
  /** Adds the roles' failover (before down) or failback (after up) steps. */
  readonly operation?: SideOperation;
  /** The files the topology was made from, by content (the CLI reads them; `apply` compares). */
  readonly sources?: readonly PlanSource[];
}

/** The links of a pair's hosts, merged (a link to the partner is dropped); `requires` wins over `after`. Only links to hosts in the plan count. */
function unitWaits(graph: HostGraph, action: Action, pair: Pair | undefined, host: string, inPlan: (h: string) => boolean): readonly HostLink[] {
  if (!pair) {
    // Usually every link is in the plan: the list is then used as it is (it is shared by the hosts of a role).
    const links = waitsFor(graph, action, host);
    return links.every((l) => inPlan(l.host)) ? links : links.filter((l) => inPlan(l.host));
  }
  const merged = new Map<string, HostLink>();
  for (const h of pair.hosts.filter(inPlan)) {
    for (const l of waitsFor(graph, action, h)) {
      if (pair.hosts.includes(l.host) || !inPlan(l.host)) continue;
      const seen = merged.get(l.host);
      merged.set(l.host, seen ? {
        ...seen, kind: seen.kind === 'requires' || l.kind === 'requires' ? 'requires' : 'after', reasons: [...new Set([...seen.reasons, ...l.reasons])],
        roles: [...new Set([...seen.roles, ...l.roles])], direct: seen.direct || l.direct,
      } : l);
    }
  }
  return [...merged.values()].sort((a, b) => compareNames(a.host, b.host));
}

export function buildPlan(topology: Topology, graph: HostGraph, action: Action, options: PlanOptions = {}): Plan {
  const outline = planOutline(topology, graph, action, options);
  return { ...outline, hosts: [...outline.hosts] };
}

/** A plan whose hosts are planned one at a time as they are read: `plan --json` of 10,000 hosts writes each and lets it go. */
export type PlanOutline = Omit<Plan, 'hosts'> & { readonly hosts: Iterable<HostPlan> };

/** The plan of buildPlan, but each host's steps are worked out only when its turn comes in `hosts`. */
export function planOutline(topology: Topology, graph: HostGraph, action: Action, options: PlanOptions = {}): PlanOutline {
  const only = options.only ?? options.limit?.hosts;
  const inPlan = (h: string): boolean => only === undefined || only.has(h);
  const pairOf = new Map(topology.pairs.flatMap((p) => p.hosts.map((h) => [h, p] as const)));
  // Each host's links are merged once: the waves and the host plans both read them.
  const links = new Map<string, readonly HostLink[]>();
  const waits = (h: string): readonly HostLink[] => {
    let l = links.get(h);
    if (!l) {
      l = unitWaits(graph, action, pairOf.get(h), h, inPlan);
      links.set(h, l);
    }
    return l;
  };
  const waves = planWaves(graph.hosts.filter(inPlan), waits);
  const byName = new Map(topology.hosts.map((h) => [h.name, h]));
  const hostPlan = (name: string, wave: number): HostPlan => {
    const host = byName.get(name);
    if (!host) throw new InternalError(`host ${name} is in the graph but not in the topology`);
    const pair = pairOf.get(name);
    return {
      name, address: host.ssh.address, roles: host.roles, wave, waitsFor: waits(name),
      steps: hostSteps(topology, host, action, pair ? { name: pair.name, replaces: pair.replaces } : undefined, options.operation),
    };
  };
  const hosts: Iterable<HostPlan> = {
    *[Symbol.iterator]() {
      for (const [i, wave] of waves.entries()) for (const name of wave) yield hostPlan(name, i + 1);
    },
  };
  const pairs = topology.pairs.flatMap((p) => {
    const members = p.hosts.filter(inPlan);
    if (members.length === 0) return [];
    const staying = p.hosts.find((h) => !inPlan(h));
    // Going down, the primary is the node found running the resources, whatever was recorded.
    const primary: KnownPrimary | undefined = staying !== undefined ? { host: staying, source: 'staying' } : action === 'up' ? own(options.primaries, p.name) : undefined;
    return [pairPlan(topology, byName, p, action, members, primary)];
  });
  return {
    version: PLAN_VERSION, action, topology: topology.name, file: topology.file, sources: options.sources ?? [],
    ...(options.limit ? { limit: options.limit.limit } : {}), ...secretsOf(topology),
    platform: platformOf(topology), gates: action === 'up' ? gatesOf(topology, inPlan) : [],
    waves, hosts, concurrency: topology.concurrency, pairs,
  };
}

function pairPlan(topology: Topology, byName: ReadonlyMap<string, Host>, pair: Pair, action: Action, members: readonly string[], primary: KnownPrimary | undefined): PairPlan {
  const hosts = pair.hosts.map((h) => byName.get(h)).filter((h) => h !== undefined);
  const first = hosts[0];
  if (!first || hosts.length !== 2) throw new InternalError(`pair ${pair.name} has unknown hosts`);
  const both = members.length === 2;
  const procedure: PairProcedure = action === 'up' ? (both ? 'both-up' : 'one-up') : both ? 'both-down' : 'one-down';
  const o = { pollMs: first.timeouts.pollMs, stepMs: first.timeouts.stepMs };
  return {
    name: pair.name, hosts: pair.hosts, members,
    ...(pair.drbd ? { drbd: pair.drbd } : {}),
    ...(pair.pacemaker ? { pacemaker: pair.pacemaker } : {}),
    procedure, ...(primary ? { primary } : {}),
    steps: pairSteps(pair, procedure, o),
    ...(both ? { oneNode: pairSteps(pair, action === 'up' ? 'one-up' : 'one-down', o) } : {}),
    shutdown: Object.fromEntries(hosts.filter((h) => members.includes(h.name)).map((h) => [h.name, shutdownSteps(topology, h)])),
  };
}
