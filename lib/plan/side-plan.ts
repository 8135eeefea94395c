/**
 * The plans of a failover, a failback and a health check. A failover's plan is the side's `down`
 * (each role's failover steps first, pairs by the one-node procedure) with the preflight, the
 * pairs' moves and the continuity probes; a failback's is the side's `up` (failback steps after)
 * with its preflight, the rejoins, and a final health check of the whole platform. Pure.
 */
import type { HostGraph } from '../graph/index.js';
import { hostVars, needsMissingPartner, type Topology } from '../topology/index.js';
import { buildPlan, type PlanOptions } from './build.js';
import { continuityPlan } from './continuity-plan.js';
import { healthPlan } from './health-plan.js';
import { PLAN_VERSION, type Plan, type PlanLimit, type SideOperation, type SidePlan } from './model.js';
import { moveSteps } from './moves.js';
import { platformOf, secretsOf } from './platform.js';
import { splitSides, type SideSplit } from './sides.js';

/** The failover or failback steps left out of the plan because their host has no partner. */
function partnerless(topology: Topology, split: SideSplit, op: SideOperation): { host: string; message: string }[] {
  return topology.hosts.filter((h) => split.moving.includes(h.name)).flatMap((h) => h.roles.flatMap((name) => {
    const role = topology.roles.get(name);
    if (!role) return [];
    const vars = hostVars(topology, h, role);
    return [...role[op].steps, ...role[op].checks].filter((s) => needsMissingPartner(s, vars))
      .map((s) => ({ host: h.name, message: `'${s.name}' of role ${name} is left out: no ${name} host on another side to be its partner` }));
  }));
}

/** The plan of a failover or failback of `side`, or why there is none. */
export function sideOperationPlan(topology: Topology, graph: HostGraph, op: SideOperation, side: string, options: Pick<PlanOptions, 'sources'> = {}): Plan | { readonly error: string } {
  const split = splitSides(topology, side);
  if ('error' in split) return split;
  const base = buildPlan(topology, graph, op === 'failover' ? 'down' : 'up', { ...options, only: new Set(split.moving), operation: op });
  const moving = new Set(split.pairs.map((p) => p.pair.name));
  const hosts = platformOf(topology).hosts;
  const sidePlan: SidePlan = {
    side: split.side, moving: split.moving, staying: split.staying,
    pairs: split.pairs.map((sp) => ({
      pair: sp.pair, moving: sp.moving, staying: sp.staying,
      steps: moveSteps(op, sp.pair, sp.moving, sp.staying, hosts[sp.staying]?.timeouts ?? { pollMs: 2000, stepMs: 300_000 }),
    })),
    warnings: [
      ...split.uncovered.map((role) => ({ message: `role ${role} has no host outside side ${split.side}: it is out of service until the failback` })),
      ...partnerless(topology, split, op),
    ],
    preflight: op === 'failover'
      ? healthPlan(topology)
      : healthPlan(topology, split.staying, [
          ...split.pairs.map((sp) => ({ pair: sp.pair, scope: sp.staying })),
          ...topology.pairs.filter((p) => !moving.has(p.name)).map((pair) => ({ pair, scope: 'both' })),
        ]),
    ...(op === 'failback' ? { health: healthPlan(topology) } : {}),
    continuity: continuityPlan(topology),
  };
  return { ...base, action: op, side: sidePlan };
}

/** The plan of `orchestrate check`: the health check of these hosts (default all) and the pairs they touch; `limit` is recorded. */
export function checkPlanOf(topology: Topology, hosts?: readonly string[], options: Pick<PlanOptions, 'sources'> & { readonly limit?: PlanLimit } = {}): Plan {
  return {
    version: PLAN_VERSION, action: 'check', topology: topology.name, file: topology.file, sources: options.sources ?? [],
    ...(options.limit ? { limit: options.limit } : {}), ...secretsOf(topology),
    platform: platformOf(topology), gates: [], waves: [], hosts: [], concurrency: topology.concurrency, pairs: [],
    health: healthPlan(topology, hosts),
  };
}
