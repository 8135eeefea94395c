/**
 * runPlan: executes a plan and returns its summary, emitting RunEvents on the way. The only entry
 * point of execution for `up` and `down` (side-run.ts is the one for failover and failback); it
 * never exits the process and never writes to the terminal.
 */
import { setMaxListeners } from 'node:events';
import { Emitter, EVENTS_VERSION, systemClock, type Failure, type HostStatus, type RunStatus, type RunSummary } from '../events/index.js';
import { InternalError } from '../errors.js';
import type { Plan } from '../plan/index.js';
import { withSecrets } from '../transport/index.js';
import { linkSignals, sleep as realSleep } from '../util/abort.js';
import { NO_PAIR_MEMORY, type ExecContext, type RunOptions } from './context.js';
import { Members } from './members.js';
import { PollCount } from './poll.js';
import { SharedReads } from './shared-reads.js';
import { warmConnections } from './warm.js';
import { limitedTransport, WorkLimit } from './work-limit.js';
import { schedule } from './scheduler.js';

export interface Run {
  readonly ctx: ExecContext;
  readonly emitter: Emitter;
  readonly failures: Failure[];
  /** Cancels running work after a failure (the `abort` policy). */
  readonly abortRunning: () => void;
  /** Failed hosts a quorum gate let the run go on without. */
  readonly tolerated: Set<string>;
}

/** The context every part of a run shares. */
export function createRun(plan: Plan, options: RunOptions): Run {
  const clock = options.clock ?? systemClock;
  const emitter = new Emitter(options.listeners, clock, options.secrets);
  const failures: Failure[] = [];
  const abortAfterFailure = new AbortController();
  const { signal } = linkSignals(options.signal, abortAfterFailure.signal);
  // Every waiting host listens to the run's signal (polls, check intervals): dozens at once is normal.
  setMaxListeners(0, signal);
  const limit = new WorkLimit(options.concurrency ?? plan.concurrency);
  const ctx: ExecContext = {
    plan,
    transport: limitedTransport(options.secrets ? withSecrets(options.transport, options.secrets) : options.transport, limit),
    limit,
    emitter,
    signal,
    cancel: options.signal,
    clock,
    sleep: options.sleep ?? realSleep,
    dryRun: options.dryRun ?? false,
    streamOutput: options.streamOutput ?? false,
    streamPolls: options.streamPolls ?? true,
    fail: (f) => failures.push(f),
    pairs: options.pairs ?? NO_PAIR_MEMORY,
    members: Members.of(plan),
    reads: new SharedReads(),
    polls: new PollCount(),
    ...(options.resume ? { resume: options.resume } : {}),
    ...(options.secrets ? { secrets: options.secrets } : {}),
  };
  return { ctx, emitter, failures, tolerated: new Set(), abortRunning: () => abortAfterFailure.abort(new Error('cancelled after a failure elsewhere (--on-failure abort)')) };
}

/** Runs a plan's hosts in the run's context; the hosts' statuses by name. */
export async function scheduleHosts(run: Run, plan: Plan, options: RunOptions): Promise<Record<string, HostStatus>> {
  warmConnections(run.ctx, plan);
  const results = await schedule(run.ctx, plan, {
    policy: options.onFailure ?? 'stop',
    abortRunning: run.abortRunning,
    tolerated: run.tolerated,
  });
  return Object.fromEntries(plan.hosts.map((h) => [h.name, results.get(h.name) ?? 'not-started']));
}

/**
 * A cancel wins (the user asked to stop, and the exit code should say so); then any failure;
 * `degraded` when the only failures are hosts a quorum gate let the run go on without.
 */
export function runStatus(run: Run, options: RunOptions, hosts: Readonly<Record<string, HostStatus>>): RunStatus {
  if (options.signal.aborted) return 'cancelled';
  const hard = run.failures.some((f) => !run.tolerated.has(f.host)) || Object.entries(hosts).some(([h, s]) => s === 'failed' && !run.tolerated.has(h));
  if (hard) return 'failed';
  return run.tolerated.size > 0 ? 'degraded' : 'succeeded';
}

/**
 * Runs an `up` or `down` plan (a failover or failback plan goes to runSideOperation, a check plan
 * to checkPlatform: see runAnyPlan).
 */
export async function runPlan(plan: Plan, options: RunOptions): Promise<RunSummary> {
  if (plan.action !== 'up' && plan.action !== 'down') throw new InternalError(`runPlan runs up and down plans, not ${plan.action}`);
  const action = plan.action;
  const run = createRun(plan, options);
  const { ctx, emitter } = run;
  emitter.emit({ type: 'run-started', version: EVENTS_VERSION, action, topology: plan.topology, file: plan.file, dryRun: ctx.dryRun, waves: plan.waves });
  const hosts = await scheduleHosts(run, plan, options);
  const status = runStatus(run, options, hosts);
  const durationMs = emitter.elapsedMs;
  emitter.emit({ type: 'run-finished', status, durationMs, hosts, failures: run.failures });
  return { action, status, durationMs, hosts, failures: run.failures, dryRun: ctx.dryRun };
}
