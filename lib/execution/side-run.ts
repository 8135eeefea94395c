/**
 * runSideOperation: a controlled failover (one side out of service while the others keep it
 * running) or failback (that side back), with a preflight that refuses an unsafe start and
 * changes nothing, continuity probes throughout, and typed events like any run.
 *
 *   failover: preflight (whole platform healthy, no side down) → move each pair's service to
 *             the staying node → the side's hosts down in tier order (failover steps first,
 *             pairs by the one-node-down procedure) → the side is recorded as down
 *   failback: preflight (the staying side carries the service, no split brain) → the side's
 *             hosts up in tier order (pairs by the one-node-up procedure, failback checks) →
 *             unstandby and cleanup → full health check → the record is cleared
 */
import { EVENTS_VERSION, type Failure, type HostStatus, type ProbeSummary, type RunStatus, type RunSummary } from '../events/index.js';
import { InternalError } from '../errors.js';
import type { HealthHost, Plan, SideOperation, SidePlan } from '../plan/index.js';
import type { RunOptions } from './context.js';
import { ContinuityMonitor } from './continuity.js';
import { checkHealth, runningNow, type HealthResult } from './health.js';
import { REACHED } from './scheduler.js';
import { createRun, runStatus, scheduleHosts, type Run } from './run-plan.js';
import { preflight } from './side-preflight.js';
import { runMoves } from './standby.js';

/** A side recorded as down in the state directory. */
export interface SideRecord {
  readonly side: string;
  /** ISO time of the failover. */
  readonly since: string;
  /** The failover began to move the side and did not finish (a rerun continues it). */
  readonly partial?: boolean;
}

export interface SideRunOptions extends RunOptions {
  /** What the state directory says is down now. */
  readonly recorded?: SideRecord;
  /** Called with the side once a failover has taken it down, and with undefined once a failback brought it back whole. */
  readonly record?: (down: SideRecord | undefined) => void;
}


/** The moving side's hosts as the plan's health checks know them (every host is in a failover's preflight and a failback's final check). */
function movingHealth(side: SidePlan): HealthHost[] {
  const moving = new Set(side.moving);
  return (side.health ?? side.preflight).hosts.filter((h) => moving.has(h.name));
}

function asFailure(r: HealthResult, prefix: string): Failure {
  return { host: r.host ?? '', step: `${prefix}/${r.check}`, name: r.check, target: r.host ?? 'local', reason: r.observed };
}

export async function runSideOperation(plan: Plan, options: SideRunOptions): Promise<RunSummary> {
  const op = plan.action;
  const side = plan.side;
  if ((op !== 'failover' && op !== 'failback') || !side) throw new InternalError(`not a failover or failback plan: ${op}`);
  const run = createRun(plan, options);
  const { ctx, emitter } = run;
  emitter.emit({ type: 'run-started', version: EVENTS_VERSION, action: op, side: side.side, topology: plan.topology, file: plan.file, dryRun: ctx.dryRun, waves: plan.waves });
  let hosts: Record<string, HostStatus> = Object.fromEntries(plan.hosts.map((h) => [h.name, 'not-started' as HostStatus]));
  let continuity: ProbeSummary[] | undefined;
  const finish = (status: RunStatus): RunSummary => {
    const durationMs = emitter.elapsedMs;
    emitter.emit({ type: 'run-finished', status, durationMs, hosts, failures: run.failures });
    return { action: op, status, durationMs, hosts, failures: run.failures, dryRun: ctx.dryRun, ...(continuity ? { continuity } : {}) };
  };
  for (const w of side.warnings) emitter.emit({ type: 'warning', ...(w.host === undefined ? {} : { host: w.host }), message: w.message });

  emitter.emit({ type: 'phase', phase: 'preflight', description: op === 'failover' ? 'the whole platform must be healthy, and no side down' : `the staying side must carry the service, with no split brain` });
  // Cluster members are counted on the platform as it is: the moving side's hosts that run are
  // members (a failback or a failover cut short leaves some running), those that do not are not.
  const continuing = op === 'failover' && options.recorded?.side === side.side && options.recorded.partial === true;
  if (!ctx.dryRun && (op === 'failback' || continuing)) {
    // Off: not a member. Booting: maybe one already (its services may have started).
    for (const [h, state] of await runningNow(ctx, movingHealth(side))) if (state !== 'running') ctx.members.set(h, state === 'off' ? 'off' : 'starting');
  }
  const refusals = ctx.dryRun ? [] : await preflight(ctx, op, side, options.recorded);
  if (refusals.length > 0) {
    run.failures.push(...refusals.map((r) => asFailure(r, 'preflight')));
    return finish(ctx.cancel.aborted ? 'cancelled' : 'refused');
  }

  const staying = new Set(side.staying);
  const monitor = ctx.dryRun || side.continuity.probes.length === 0 ? undefined : new ContinuityMonitor(ctx, side.continuity, (h) => staying.has(h));
  monitor?.start();
  try {
    hosts = op === 'failover' ? await failover(run, options, side, plan) : await failback(run, options, side, plan);
  } finally {
    continuity = await monitor?.stop();
  }
  if (continuity) emitter.emit({ type: 'continuity', probes: continuity });
  const status = runStatus(run, options, hosts);
  if (status === 'succeeded' && !ctx.dryRun) options.record?.(op === 'failover' ? { side: side.side, since: ctx.clock.wallTime().toISOString() } : undefined);
  return finish(status);
}

async function failover(run: Run, options: SideRunOptions, split: SidePlan, plan: Plan): Promise<Record<string, HostStatus>> {
  const { ctx, emitter } = run;
  const none = Object.fromEntries(plan.hosts.map((h) => [h.name, 'not-started' as HostStatus]));
  // From here the platform is half-moved until the side is down: a rerun continues from where this stops.
  if (!ctx.dryRun) options.record?.({ side: split.side, since: ctx.clock.wallTime().toISOString(), partial: true });
  emitter.emit({ type: 'phase', phase: 'move', description: `the pairs' services move to the staying nodes (${split.pairs.map((p) => p.staying).join(', ') || 'no pairs'})` });
  for (const sp of split.pairs) {
    if (ctx.signal.aborted || !(await runMoves(ctx, sp, 'failover'))) return none;
  }
  emitter.emit({ type: 'phase', phase: 'shutdown', description: `side ${split.side} goes down in tier order: ${plan.waves.map((w) => w.join(', ')).join(' → ')}` });
  return scheduleHosts(run, plan, options);
}

async function failback(run: Run, options: SideRunOptions, split: SidePlan, plan: Plan): Promise<Record<string, HostStatus>> {
  const { ctx, emitter } = run;
  emitter.emit({ type: 'phase', phase: 'boot', description: `side ${split.side} comes up in tier order: ${plan.waves.map((w) => w.join(', ')).join(' → ')}` });
  for (const h of split.moving) ctx.members.clear(h);
  const hosts = await scheduleHosts(run, plan, options);
  if (!Object.values(hosts).every((s) => REACHED.has(s))) return hosts;
  emitter.emit({ type: 'phase', phase: 'rejoin', description: `the returning nodes take part in their clusters again (${split.pairs.map((p) => p.moving).join(', ') || 'no pairs'})` });
  for (const sp of split.pairs) {
    if (ctx.signal.aborted || !(await runMoves(ctx, sp, 'failback'))) return hosts;
  }
  if (ctx.dryRun) return hosts;
  emitter.emit({ type: 'phase', phase: 'health', description: 'the whole platform is checked once more' });
  // Each check with its own attempts and deadline (replicas catching up after a long absence are
  // waited for within that bound, not failed at the first look).
  const results = split.health ? await checkHealth(ctx, split.health, { retry: true }) : [];
  run.failures.push(...results.filter((r) => !r.ok).map((r) => asFailure(r, 'health')));
  return hosts;
}
