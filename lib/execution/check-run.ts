/**
 * `orchestrate check`: the platform's health on demand. Every host in scope (is it running, then
 * its roles' up checks) and every pair touching it, all in parallel, each result a `health`
 * event. The same checks gate `up` and form the precondition of a failover.
 */
import { InternalError } from '../errors.js';
import type { Plan } from '../plan/index.js';
import type { RunOptions } from './context.js';
import { checkHealth, type HealthResult } from './health.js';
import { createRun } from './run-plan.js';

export interface CheckOptions extends RunOptions {
  /** Each check with its own attempts and deadline instead of one attempt. */
  readonly retry?: boolean;
}

export interface CheckReport {
  readonly ok: boolean;
  readonly cancelled: boolean;
  readonly durationMs: number;
  readonly results: readonly HealthResult[];
}

/** Runs a check plan (plan/side-plan.ts checkPlanOf). */
export async function checkPlatform(plan: Plan, options: CheckOptions): Promise<CheckReport> {
  if (!plan.health) throw new InternalError(`not a check plan: ${plan.action}`);
  const run = createRun(plan, options);
  const results = await checkHealth(run.ctx, plan.health, { retry: options.retry === true });
  const cancelled = options.signal.aborted;
  return { ok: !cancelled && results.every((r) => r.ok), cancelled, durationMs: run.emitter.elapsedMs, results };
}
