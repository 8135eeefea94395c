/**
 * What a failover or failback must find before it changes anything. Every problem found is a
 * refusal that names the failed check; nothing here changes a machine.
 *
 *   failover: no side recorded as down; every host running with its checks green; every pair
 *             whole (DRBD Connected UpToDate/UpToDate, Pacemaker nodes online, nothing failed)
 *   failback: the recorded side (if any) is this one; the staying hosts healthy; each pair's
 *             staying node Primary and UpToDate carrying its resources; no node StandAlone
 */
import type { SideOperation, SideSplit } from '../plan/index.js';
import type { ExecContext } from './context.js';
import { checkHealth, scopeOf, type HealthResult } from './health.js';
import type { SideRecord } from './side-run.js';

export async function preflight(ctx: ExecContext, op: SideOperation, split: SideSplit, recorded: SideRecord | undefined): Promise<HealthResult[]> {
  const file = ctx.topology.file;
  if (op === 'failover' && recorded) {
    return [{ check: 'no side down', ok: false, observed: `side ${recorded.side} is already down (failover at ${recorded.since}); bring it back first: orchestrate failback ${file} --side ${recorded.side}` }];
  }
  if (op === 'failback' && recorded && recorded.side !== split.side) {
    return [{ check: 'the side is down', ok: false, observed: `side ${recorded.side} is the one down (failover at ${recorded.since}), not ${split.side}: orchestrate failback ${file} --side ${recorded.side}` }];
  }
  const moving = new Set(split.pairs.map((p) => p.pair.name));
  const scope = op === 'failover'
    ? scopeOf(ctx.topology)
    : {
        hosts: split.staying,
        pairs: [
          ...split.pairs.map((sp) => ({ pair: sp.pair, scope: sp.staying })),
          ...ctx.topology.pairs.filter((p) => !moving.has(p.name)).map((pair) => ({ pair, scope: 'both' })),
        ],
      };
  const results = await checkHealth(ctx, scope);
  return results.filter((r) => !r.ok);
}
