/**
 * Where each host of a run stands, for the checks that count cluster members (Hazelcast): which
 * hosts are certainly members now, and which may be. A membership check passes when the size it
 * sees lies between the two, so
 * - a host that failed while running (its step failed, its JVM may still be in the cluster) is
 *   neither required nor excluded: one failure does not fail every other member;
 * - a host still starting, or not started yet, may or may not have joined: members never wait
 *   for each other (the last member to start checks the whole cluster);
 * - a host known to be off is no member.
 * Without run information (orchestrate check, preflights) every host not found off is certain.
 * A host outside a limited plan (`--limit`) is neither: the run does not know whether it runs.
 */

import type { Plan } from '../plan/index.js';

/**
 * - `pending`: in the plan, not started yet.
 * - `starting`: working on it (booting, running its steps).
 * - `up`: reached its target state going up (its checks passed, or found already up).
 * - `failed`: failed or was cancelled after it was powered: it may still run.
 * - `off`: known not to run (found off, never powered, or taken down).
 * - `outside`: not in a limited plan: may run or not.
 */
export type Presence = 'pending' | 'starting' | 'up' | 'failed' | 'off' | 'outside';

export interface MemberRange {
  /** Hosts certainly in the cluster. */
  readonly min: number;
  /** Hosts possibly in the cluster. */
  readonly max: number;
}

export class Members {
  readonly #presence = new Map<string, Presence>();

  /** Members for a run of `plan`: a limited plan's hosts outside it are `outside`. */
  static of(plan: Plan): Members {
    const members = new Members();
    if (plan.limit === undefined) return members;
    const inPlan = new Set([...plan.hosts, ...(plan.health?.hosts ?? [])].map((h) => h.name));
    for (const h of Object.keys(plan.platform.hosts)) if (!inPlan.has(h)) members.set(h, 'outside');
    return members;
  }

  set(host: string, presence: Presence): void {
    this.#presence.set(host, presence);
  }

  /** Back to "no run information" (certain unless found off). */
  clear(host: string): void {
    this.#presence.delete(host);
  }

  isOff(host: string): boolean {
    return this.#presence.get(host) === 'off';
  }

  /** How many of `hosts` are certainly, and possibly, members, as seen from `self` (a member running its check). */
  range(hosts: readonly string[], self: string): MemberRange {
    let min = 0;
    let max = 0;
    for (const h of hosts) {
      const p = this.#presence.get(h);
      if (p === 'off') continue;
      max++;
      if (h === self || p === undefined || p === 'up') min++;
    }
    return { min, max };
  }
}
