/**
 * What a failover or failback must find before it changes anything (the plan's preflight). Every
 * problem found is a refusal that names the failed check; nothing here changes a machine.
 *
 *   failover: no side recorded as down; every host running with its checks green; every pair
 *             whole (DRBD Connected UpToDate/UpToDate, Pacemaker nodes online, nothing failed)
 *   failback: the recorded side (if any) is this one; the staying hosts healthy; each pair's
 *             staying node Primary and UpToDate carrying its resources; no node StandAlone
 */
import type { SidePlan, SideOperation } from '../plan/index.js';
import type { ExecContext } from './context.js';
import { checkHealth, type HealthResult } from './health.js';
import type { SideRecord } from './side-run.js';

export async function preflight(ctx: ExecContext, op: SideOperation, side: SidePlan, recorded: SideRecord | undefined): Promise<HealthResult[]> {
  const file = ctx.plan.file;
  if (op === 'failover' && recorded?.partial === true && recorded.side === side.side) {
    // A failover of this side that was cut short: the platform is half-moved by design. The
    // staying hosts must be healthy; the moves (idempotent) and the shutdowns continue.
    const staying = new Set(side.staying);
    const results = await checkHealth(ctx, { hosts: side.preflight.hosts.filter((h) => staying.has(h.name)), pairs: [] });
    return results.filter((r) => !r.ok);
  }
  if (op === 'failover' && recorded) {
    return [{ check: 'no side down', ok: false, observed: `side ${recorded.side} is already down (failover at ${recorded.since}); bring it back first: orchestrate failback ${file} --side ${recorded.side}` }];
  }
  if (op === 'failback' && recorded && recorded.side !== side.side) {
    return [{ check: 'the side is down', ok: false, observed: `side ${recorded.side} is the one down (failover at ${recorded.since}), not ${side.side}: orchestrate failback ${file} --side ${recorded.side}` }];
  }
  const results = await checkHealth(ctx, side.preflight);
  return results.filter((r) => !r.ok);
}
