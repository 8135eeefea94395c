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
import type { HostGraph } from '../graph/index.js';
import { buildPlan, splitSides, type SideOperation, type SideSplit } from '../plan/index.js';
import { hostVars, needsMissingPartner, type Topology } from '../topology/index.js';
import type { RunOptions } from './context.js';
import { ContinuityMonitor } from './continuity.js';
import { checkHealth, scopeOf, type HealthResult } from './health.js';
import { REACHED } from './scheduler.js';
import { createRun, runStatus, scheduleHosts, type Run } from './run-plan.js';
import { preflight } from './side-preflight.js';
import { moveAway, rejoin } from './standby.js';

/** A side recorded as down in the state directory. */
export interface SideRecord {
  readonly side: string;
  /** ISO time of the failover. */
  readonly since: string;
}

export interface SideRunOptions extends RunOptions {
  readonly operation: SideOperation;
  readonly side: string;
  readonly graph: HostGraph;
  /** What the state directory says is down now. */
  readonly recorded?: SideRecord;
  /** Called with the side once a failover has taken it down, and with undefined once a failback brought it back whole. */
  readonly record?: (down: SideRecord | undefined) => void;
}


/** The failover or failback steps left out of the plan because their host has no partner. */
function partnerless(topology: Topology, split: SideSplit, op: SideOperation): { host: string; role: string; step: string }[] {
  return topology.hosts.filter((h) => split.moving.includes(h.name)).flatMap((h) => h.roles.flatMap((name) => {
    const role = topology.roles.get(name);
    if (!role) return [];
    const vars = hostVars(topology, h, role);
    return [...role[op].steps, ...role[op].checks].filter((s) => needsMissingPartner(s, vars)).map((s) => ({ host: h.name, role: name, step: s.name }));
  }));
}

function asFailure(r: HealthResult, prefix: string): Failure {
  return { host: r.host ?? '', step: `${prefix}/${r.check}`, name: r.check, target: r.host ?? 'local', reason: r.observed };
}

export async function runSideOperation(topology: Topology, options: SideRunOptions): Promise<RunSummary> {
  const run = createRun(topology, options);
  const { ctx, emitter } = run;
  const op = options.operation;
  const split = splitSides(topology, options.side);
  const plan = 'error' in split ? undefined : buildPlan(topology, options.graph, op === 'failover' ? 'down' : 'up', { only: new Set(split.moving), operation: op });
  emitter.emit({ type: 'run-started', version: EVENTS_VERSION, action: op, side: options.side, topology: topology.name, file: topology.file, dryRun: ctx.dryRun, waves: plan?.waves ?? [] });
  let hosts: Record<string, HostStatus> = Object.fromEntries((plan?.hosts ?? []).map((h) => [h.name, 'not-started' as HostStatus]));
  let continuity: ProbeSummary[] | undefined;
  const finish = (status: RunStatus): RunSummary => {
    const durationMs = emitter.elapsedMs;
    emitter.emit({ type: 'run-finished', status, durationMs, hosts, failures: run.failures });
    return { action: op, status, durationMs, hosts, failures: run.failures, dryRun: ctx.dryRun, ...(continuity ? { continuity } : {}) };
  };
  if ('error' in split || !plan) {
    run.failures.push({ host: '', step: 'preflight/sides', name: 'sides', target: 'local', reason: 'error' in split ? split.error : 'no plan' });
    return finish('refused');
  }
  for (const role of split.uncovered) emitter.emit({ type: 'warning', message: `role ${role} has no host outside side ${split.side}: it is out of service until the failback` });
  for (const w of partnerless(topology, split, op)) emitter.emit({ type: 'warning', host: w.host, message: `'${w.step}' of role ${w.role} is left out: no ${w.role} host on another side to be its partner` });

  emitter.emit({ type: 'phase', phase: 'preflight', description: op === 'failover' ? 'the whole platform must be healthy, and no side down' : `the staying side must carry the service, with no split brain` });
  // The side that is down is no part of the clusters the staying hosts' checks count.
  if (op === 'failback') for (const h of split.moving) ctx.members.set(h, 'off');
  const refusals = ctx.dryRun ? [] : await preflight(ctx, op, split, options.recorded);
  if (refusals.length > 0) {
    run.failures.push(...refusals.map((r) => asFailure(r, 'preflight')));
    return finish(ctx.cancel.aborted ? 'cancelled' : 'refused');
  }

  const monitor = ctx.dryRun || topology.continuity.probes.length === 0 ? undefined : new ContinuityMonitor(ctx, (h) => split.staying.includes(h));
  monitor?.start();
  try {
    hosts = op === 'failover' ? await failover(run, options, split, plan) : await failback(run, options, split, plan);
  } finally {
    continuity = await monitor?.stop();
  }
  if (continuity) emitter.emit({ type: 'continuity', probes: continuity });
  const status = runStatus(run, options, hosts);
  if (status === 'succeeded' && !ctx.dryRun) options.record?.(op === 'failover' ? { side: split.side, since: ctx.clock.wallTime().toISOString() } : undefined);
  return finish(status);
}

async function failover(run: Run, options: SideRunOptions, split: SideSplit, plan: ReturnType<typeof buildPlan>): Promise<Record<string, HostStatus>> {
  const { ctx, emitter } = run;
  const none = Object.fromEntries(plan.hosts.map((h) => [h.name, 'not-started' as HostStatus]));
  emitter.emit({ type: 'phase', phase: 'move', description: `the pairs' services move to the staying nodes (${split.pairs.map((p) => p.staying).join(', ') || 'no pairs'})` });
  for (const sp of split.pairs) {
    if (ctx.signal.aborted || !(await moveAway(ctx, sp))) return none;
  }
  emitter.emit({ type: 'phase', phase: 'shutdown', description: `side ${split.side} goes down in tier order: ${plan.waves.map((w) => w.join(', ')).join(' → ')}` });
  return scheduleHosts(run, plan, options);
}

async function failback(run: Run, options: SideRunOptions, split: SideSplit, plan: ReturnType<typeof buildPlan>): Promise<Record<string, HostStatus>> {
  const { ctx, emitter } = run;
  emitter.emit({ type: 'phase', phase: 'boot', description: `side ${split.side} comes up in tier order: ${plan.waves.map((w) => w.join(', ')).join(' → ')}` });
  for (const h of split.moving) ctx.members.clear(h);
  const hosts = await scheduleHosts(run, plan, options);
  if (!Object.values(hosts).every((s) => REACHED.has(s))) return hosts;
  emitter.emit({ type: 'phase', phase: 'rejoin', description: `the returning nodes take part in their clusters again (${split.pairs.map((p) => p.moving).join(', ') || 'no pairs'})` });
  for (const sp of split.pairs) {
    if (ctx.signal.aborted || !(await rejoin(ctx, sp))) return hosts;
  }
  if (ctx.dryRun) return hosts;
  emitter.emit({ type: 'phase', phase: 'health', description: 'the whole platform is checked once more' });
  const results = await checkHealth(ctx, scopeOf(ctx.topology));
  run.failures.push(...results.filter((r) => !r.ok).map((r) => asFailure(r, 'health')));
  return hosts;
}
