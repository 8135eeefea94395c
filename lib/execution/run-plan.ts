/**
 * runPlan: executes a plan and returns its summary, emitting RunEvents on the way. The only entry
 * point of execution; it never exits the process and never writes to the terminal.
 */
import { setMaxListeners } from 'node:events';
import { Emitter, systemClock, type Failure, type RunSummary } from '../events/index.js';
import type { Plan } from '../plan/index.js';
import type { Topology } from '../topology/index.js';
import { sleep as realSleep } from '../util/abort.js';
import { NO_PAIR_MEMORY, type ExecContext, type RunOptions } from './context.js';
import { schedule } from './scheduler.js';

export async function runPlan(topology: Topology, plan: Plan, options: RunOptions): Promise<RunSummary> {
  const clock = options.clock ?? systemClock;
  const emitter = new Emitter(options.listeners, clock);
  const policy = options.onFailure ?? 'stop';
  const failures: Failure[] = [];
  const abortAfterFailure = new AbortController();
  const signal = AbortSignal.any([options.signal, abortAfterFailure.signal]);
  // Every waiting host listens to the run's signal (polls, check intervals): dozens at once is normal.
  setMaxListeners(0, signal);
  const ctx: ExecContext = {
    topology,
    transport: options.transport,
    emitter,
    signal,
    cancel: options.signal,
    clock,
    sleep: options.sleep ?? realSleep,
    dryRun: options.dryRun ?? false,
    streamOutput: options.streamOutput ?? false,
    fail: (f) => failures.push(f),
    pairs: options.pairs ?? NO_PAIR_MEMORY,
  };
  emitter.emit({ type: 'run-started', version: 1, action: plan.action, topology: plan.topology, file: plan.file, dryRun: ctx.dryRun, waves: plan.waves });
  const results = await schedule(ctx, plan, {
    concurrency: options.concurrency ?? plan.concurrency,
    policy,
    abortRunning: () => abortAfterFailure.abort(new Error('cancelled after a failure elsewhere (--on-failure abort)')),
  });
  const hosts = Object.fromEntries(plan.hosts.map((h) => [h.name, results.get(h.name) ?? 'not-started']));
  // A cancel wins: the user asked to stop, and the exit code should say so.
  const status = options.signal.aborted ? 'cancelled' : failures.length > 0 || Object.values(hosts).includes('failed') ? 'failed' : 'succeeded';
  const durationMs = emitter.elapsedMs;
  emitter.emit({ type: 'run-finished', status, durationMs, hosts, failures });
  return { action: plan.action, status, durationMs, hosts, failures, dryRun: ctx.dryRun };
}
