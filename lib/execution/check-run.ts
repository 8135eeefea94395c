/**
 * `orchestrate check`: the platform's health on demand. Every host in scope (is it running, then
 * its roles' up checks) and every pair touching it, all in parallel, each result a `health`
 * event. The same checks gate `up` and form the precondition of a failover.
 */
import type { Topology } from '../topology/index.js';
import type { RunOptions } from './context.js';
import { checkHealth, scopeOf, type HealthResult } from './health.js';
import { createRun } from './run-plan.js';

export interface CheckOptions extends RunOptions {
  /** Hosts to check; pairs are checked when one of their hosts is in scope. @default every host */
  readonly hosts?: readonly string[];
  /** Each check with its own attempts and deadline instead of one attempt. */
  readonly retry?: boolean;
}

export interface CheckReport {
  readonly ok: boolean;
  readonly cancelled: boolean;
  readonly durationMs: number;
  readonly results: readonly HealthResult[];
}

export async function checkPlatform(topology: Topology, options: CheckOptions): Promise<CheckReport> {
  const run = createRun(topology, options);
  const results = await checkHealth(run.ctx, scopeOf(topology, options.hosts), { retry: options.retry === true });
  const cancelled = options.signal.aborted;
  return { ok: !cancelled && results.every((r) => r.ok), cancelled, durationMs: run.emitter.elapsedMs, results };
}
