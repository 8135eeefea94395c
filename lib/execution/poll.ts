/** Polling until something is true or a deadline passes (boot, power off, checks). */
import type { ExecContext } from './context.js';

export type PollVerdict<T> = { readonly done: T } | { readonly fail: string } | { readonly wait: string };

export interface PollResult<T> {
  /** Present when the condition was met. */
  readonly done?: T;
  /** Why it stopped without the condition met: a failure, the deadline, or cancel. */
  readonly stopped?: 'failed' | 'deadline' | 'cancelled';
  /** The last thing observed, for messages. */
  readonly observed: string;
  readonly attempts: number;
}

/**
 * Calls `attempt` (given the time left) until it says done or fail, waiting `intervalMs` between
 * attempts, until `deadlineMs` has passed.
 */
export async function poll<T>(ctx: ExecContext, opts: { deadlineMs: number; intervalMs: number; attempt: (remainingMs: number, n: number) => Promise<PollVerdict<T>> }): Promise<PollResult<T>> {
  const end = ctx.clock.now() + opts.deadlineMs;
  let observed = 'nothing yet';
  for (let n = 1; ; n++) {
    if (ctx.signal.aborted) return { stopped: 'cancelled', observed, attempts: n - 1 };
    const verdict = await opts.attempt(Math.max(1, end - ctx.clock.now()), n);
    if ('done' in verdict) return { done: verdict.done, observed, attempts: n };
    if ('fail' in verdict) return { stopped: 'failed', observed: verdict.fail, attempts: n };
    // An empty observation (an attempt cut short by the deadline) keeps the previous one.
    if (verdict.wait !== '') observed = verdict.wait;
    if (ctx.signal.aborted) return { stopped: 'cancelled', observed, attempts: n };
    const left = end - ctx.clock.now();
    if (left <= 0) return { stopped: 'deadline', observed, attempts: n };
    try {
      await ctx.sleep(Math.min(opts.intervalMs, left), ctx.signal);
    } catch {
      return { stopped: 'cancelled', observed, attempts: n };
    }
  }
}
