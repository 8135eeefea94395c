/**
 * After `orchestrate check`: the half-done states it can name, with the command that resolves
 * each (docs/redundancy.md). A failover recorded in the state directory (finished or cut short),
 * a cluster node left in standby, a DRBD resource StandAlone.
 */
import type { HealthResult } from '../execution/index.js';
import type { Plan } from '../plan/index.js';
import type { SideDown } from './state.js';

export function checkHints(plan: Plan, results: readonly HealthResult[], side: SideDown | undefined): string[] {
  const hints: string[] = [];
  const file = plan.file;
  if (side?.partial === true) {
    hints.push(`a failover of side ${side.side} was cut short (${side.since}): finish it with: orchestrate failover ${file} --side ${side.side}; or bring the side back with: orchestrate failback ${file} --side ${side.side}`);
  } else if (side) {
    hints.push(`side ${side.side} is down since a failover (${side.since}): bring it back with: orchestrate failback ${file} --side ${side.side}`);
  }
  const standby = new Set<string>();
  for (const r of results) {
    if (r.ok) continue;
    for (const m of r.observed.matchAll(/([\w.-]+) (?:standby|in standby)\b/g)) if (m[1] !== undefined && m[1] !== 'nodes:') standby.add(m[1]);
    if (/StandAlone/.test(r.observed)) hints.push(`${r.check}: a DRBD node is StandAlone (split brain or a lost connection): see docs/redundancy.md, "Split brain", before anything else`);
  }
  if (!side) for (const node of standby) hints.push(`${node} is in standby with no failover recorded: take it back into its cluster with: pcs cluster unstandby ${node} (on a node of its pair)`);
  return hints;
}
