/**
 * Sides of a redundant platform (typically one per VM host): which hosts a failover takes down
 * or a failback brings back, which keep the service, and which pair member does what. Pure.
 */
import type { Pair, Topology } from '../topology/index.js';
import { compareNames } from '../util/names.js';

export interface SidePair {
  readonly pair: Pair;
  /** The member on the side that leaves or returns. */
  readonly moving: string;
  /** The member that keeps running: the pair's primary throughout. */
  readonly staying: string;
}

export interface SideSplit {
  readonly side: string;
  /** The side's hosts, by name. */
  readonly moving: readonly string[];
  /** Every other host: other sides and hosts without a side. */
  readonly staying: readonly string[];
  readonly pairs: readonly SidePair[];
  /** Roles with no host left while the side is away. */
  readonly uncovered: readonly string[];
}

export function sidesOf(topology: Topology): string[] {
  return [...new Set(topology.hosts.flatMap((h) => (h.side === undefined ? [] : [h.side])))].sort(compareNames);
}

/** The split for `side`, or why there is none. */
export function splitSides(topology: Topology, side: string): SideSplit | { readonly error: string } {
  const sides = sidesOf(topology);
  if (sides.length === 0) return { error: `${topology.file} declares no sides: give hosts a side (side: a, side: b) to fail one over` };
  if (!sides.includes(side)) return { error: `no side '${side}' in ${topology.file} (sides: ${sides.join(', ')})` };
  if (sides.length < 2) return { error: `${topology.file} has only side '${side}': nothing would keep the service` };
  const moving = topology.hosts.filter((h) => h.side === side).map((h) => h.name);
  const staying = topology.hosts.filter((h) => h.side !== side).map((h) => h.name);
  const pairs: SidePair[] = [];
  for (const pair of topology.pairs) {
    const [a, b] = pair.hosts;
    const inside = pair.hosts.filter((h) => moving.includes(h));
    if (inside.length === 2) return { error: `pair '${pair.name}' has both ${a} and ${b} on side '${side}': taking the side down would stop it` };
    if (inside.length === 1) pairs.push({ pair, moving: inside[0] ?? a, staying: inside[0] === a ? b : a });
  }
  const roleHosts = (names: readonly string[]): Set<string> => new Set(topology.hosts.filter((h) => names.includes(h.name)).flatMap((h) => h.roles));
  const kept = roleHosts(staying);
  const uncovered = [...roleHosts(moving)].filter((r) => !kept.has(r)).sort(compareNames);
  return { side, moving, staying, pairs, uncovered };
}
