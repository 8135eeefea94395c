/**
 * A redundant pair's procedure in the critical path (critical-path.ts has the rules): it starts
 * once both nodes reached their `pair` step, and each of its steps costs its commands' latency,
 * except the waits the fleet's models impose: resources start `resource_start` after Pacemaker
 * last placed them (pcs resource cleanup places them again), and a node shuts down in its
 * `shutdown` time.
 */
import type { PairPlan } from '../plan/index.js';
import type { PathModel, Read, VmTimes } from './critical-path-model.js';
import { stepDone } from './critical-path-steps.js';

/** The pair's procedure from where its nodes' own steps ended (`nodes`); returns their times at the end. */
export function pairTimeline(model: PathModel, pair: PairPlan, nodes: ReadonlyMap<string, VmTimes>, read: Read): Map<string, VmTimes> {
  const out = new Map(nodes);
  const primary = pair.primary?.host ?? pair.hosts[0];
  const secondary = pair.hosts.find((h) => h !== primary) ?? pair.hosts[1];
  const roles = { primary, secondary };
  let t = Math.max(...[...nodes.values()].map((v) => v.done));
  const L = (node: string): number => model.latency(node);
  // Going up, the engine reads both nodes once to choose the procedure and the primary.
  if (model.plan.action === 'up') t += L(primary);
  let resourcesAt = Infinity;
  for (const step of pair.steps) {
    const node = roles[step.on];
    switch (step.kind) {
      case 'run':
        t += L(node);
        if (/\bpcs cluster start\b/.test(step.command)) for (const n of pair.hosts) clusterStack(out.get(n), t);
        if (/\bpcs (resource cleanup|cluster start)\b/.test(step.command)) resourcesAt = t + model.behaviour(primary).timings.resourceStartMs;
        break;
      case 'promote':
        t += 2 * L(node); // the state read, then drbdadm primary
        break;
      case 'drbd-wait':
      case 'find-primary':
        t += L(node);
        break;
      case 'pcs-wait':
        t = Math.max(t + L(node), step.resources.length > 0 ? resourcesAt : t);
        break;
      case 'shutdown':
        t = shutdownNode(model, pair, node, out, t, read);
        break;
    }
  }
  if (model.plan.action === 'up') startResources(model.topology.pairs.find((p) => p.name === pair.name)?.replaces ?? [], out.get(primary), resourcesAt);
  for (const [name, vm] of out) if (pair.members.includes(name)) vm.done = model.plan.action === 'down' ? Math.max(t, vm.off ?? t) : t;
  return out;
}

function clusterStack(vm: VmTimes | undefined, at: number): void {
  for (const unit of ['corosync', 'pacemaker']) {
    const u = vm?.units.get(unit);
    if (u && u.enabledAt === undefined) Object.assign(u, { active: at, enabledAt: at });
  }
}

/** Pacemaker starts the replaced roles' units (Samba) where the resources run: the primary. */
function startResources(replaces: readonly string[], vm: VmTimes | undefined, at: number): void {
  for (const u of vm?.units.values() ?? []) {
    if (u.enabledAt !== undefined || !replaces.includes(u.role)) continue;
    u.active = at;
    u.enabledAt = at;
  }
}

/** A node's own shutdown steps (graceful, wait until off, forced off), run where the procedure says. */
function shutdownNode(model: PathModel, pair: PairPlan, node: string, out: Map<string, VmTimes>, t: number, read: Read): number {
  const vm = out.get(node) ?? { start: t, done: t, units: new Map() };
  out.set(node, vm);
  let at = t;
  for (const step of pair.shutdown[node] ?? []) at = stepDone(model, { step, name: node, b: model.behaviour(node), vm, t: at, read });
  return at;
}
