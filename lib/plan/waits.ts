/**
 * When a host's wait is over, by the rules the scheduler runs (execution/scheduler.ts) and the
 * live view shows (reporters/live-state.ts): a link is satisfied when its host reached the
 * target, when it is an `after` link and its host was powered, or when every role it came through
 * is gated and each of those gates has its quorum. Pure: the caller says what it knows.
 */
import type { HostStatus } from '../events/index.js';
import type { HostLink } from '../graph/index.js';
import type { GatePlan } from './model.js';

/** Host statuses that reached the action's target state. */
export const REACHED: ReadonlySet<HostStatus> = new Set<HostStatus>(['up', 'down', 'already-up', 'already-down', 'planned']);

/** The parts of a link the rules read. */
export type WaitLink = Pick<HostLink, 'host' | 'kind' | 'direct' | 'roles'>;

/** What is known of the run so far. */
export interface WaitFacts {
  readonly reached: (host: string) => boolean;
  readonly powered: (host: string) => boolean;
  /** The plan's quorum gates, by role. */
  readonly gates: ReadonlyMap<string, GatePlan>;
}

/** How many of a gate's hosts reached the target. */
export function gateUp(g: GatePlan, reached: (host: string) => boolean): number {
  return g.hosts.filter(reached).length;
}

/** A link through gated roles only (not a direct dependency): quorums decide it, not its one host. */
export function throughGates(l: WaitLink, gates: ReadonlyMap<string, GatePlan>): boolean {
  return !l.direct && l.roles.length > 0 && l.roles.every((r) => gates.has(r));
}

/** A link to a host of gated roles only is satisfied once each of them has its quorum. */
function byQuorum(l: WaitLink, f: WaitFacts): boolean {
  return !l.direct && l.roles.length > 0 && l.roles.every((r) => {
    const g = f.gates.get(r);
    return g !== undefined && gateUp(g, f.reached) >= g.min;
  });
}

export function linkSatisfied(l: WaitLink, f: WaitFacts): boolean {
  return f.reached(l.host) || byQuorum(l, f) || (l.kind === 'after' && f.powered(l.host));
}
