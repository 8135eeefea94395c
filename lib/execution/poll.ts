/**
 * Polling until something is true or a deadline passes (boot, power off, pair states, service
 * states, quick looks of checks). Polls start fast and back off: the pause before the next
 * attempt is a twentieth of the time waited so far, at least POLL_FLOOR_MS, at most the
 * configured interval (a ceiling, not a step). So a wait costs at most about 5% more than what
 * it waits for: a 1 s boot is seen within ~0.05 s, a 20 s boot within ~1 s. The floor rises
 * with the number of waits in progress, so that all of them together poll at most
 * POLLS_PER_SECOND times a second: a thousand booting hosts do not make the controller spin.
 */
import { linkSignals } from '../util/abort.js';
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

/** The shortest pause between two attempts. */
export const POLL_FLOOR_MS = 50;
/** All waits of a run together poll about this often at most, once they are many. */
export const POLLS_PER_SECOND = 1000;
/** The pause is this share of the time waited so far (then capped by the interval). */
export const POLL_SHARE = 0.05;

/** The pause before the next attempt, `elapsedMs` into a wait whose interval is `ceilingMs`, with `waits` waits in progress. */
export function pollGap(elapsedMs: number, ceilingMs: number, waits = 1): number {
  const floor = Math.max(POLL_FLOOR_MS, (waits * 1000) / POLLS_PER_SECOND);
  return Math.max(1, Math.min(ceilingMs, Math.max(floor, elapsedMs * POLL_SHARE)));
}

/** How many waits of a run are polling now (for the floor of pollGap). */
export class PollCount {
  active = 0;
}

/**
 * Calls `attempt` (given the time left) until it says done or fail, pausing between attempts
 * (pollGap, `intervalMs` at most), until `deadlineMs` has passed.
 */
/** The least time worth an attempt near a deadline (a quarter of the deadline, if that is less). */
export const MIN_ATTEMPT_MS = 500;

export interface PollOptions<T> {
  readonly deadlineMs: number;
  readonly intervalMs: number;
  readonly attempt: (remainingMs: number, n: number) => Promise<PollVerdict<T>>;
  /** A sign that the state may just have changed (a host's connections closed): the pause then ends at once, once. */
  readonly wake?: Promise<unknown> | undefined;
}

export async function poll<T>(ctx: ExecContext, opts: PollOptions<T>): Promise<PollResult<T>> {
  ctx.polls.active++;
  try {
    return await pollLoop(ctx, opts);
  } finally {
    ctx.polls.active--;
  }
}

async function pollLoop<T>(ctx: ExecContext, opts: PollOptions<T>): Promise<PollResult<T>> {
  let woken = false;
  let wakeUp: (() => void) | undefined;
  void opts.wake?.then(() => {
    woken = true;
    wakeUp?.();
  });
  const start = ctx.clock.now();
  const end = start + opts.deadlineMs;
  let observed = 'nothing yet';
  // An attempt with almost no time left would only time out and read as a slow host: none is made.
  const least = Math.min(MIN_ATTEMPT_MS, opts.deadlineMs / 4);
  for (let n = 1; ; n++) {
    if (ctx.signal.aborted) return { stopped: 'cancelled', observed, attempts: n - 1 };
    if (n > 1 && end - ctx.clock.now() < least) return { stopped: 'deadline', observed, attempts: n - 1 };
    const verdict = await opts.attempt(Math.max(1, end - ctx.clock.now()), n);
    if ('done' in verdict) return { done: verdict.done, observed, attempts: n };
    if ('fail' in verdict) return { stopped: 'failed', observed: verdict.fail, attempts: n };
    // An empty observation (an attempt cut short by the deadline) keeps the previous one.
    if (verdict.wait !== '') observed = verdict.wait;
    if (ctx.signal.aborted) return { stopped: 'cancelled', observed, attempts: n };
    const now = ctx.clock.now();
    const left = end - now;
    if (left <= 0) return { stopped: 'deadline', observed, attempts: n };
    if (woken) {
      woken = false;
      continue;
    }
    const pause = new AbortController();
    wakeUp = () => pause.abort();
    const { signal, unlink } = linkSignals(ctx.signal, pause.signal);
    try {
      await ctx.sleep(Math.min(pollGap(now - start, opts.intervalMs, ctx.polls.active), left), signal);
    } catch {
      if (ctx.signal.aborted) return { stopped: 'cancelled', observed, attempts: n };
      woken = false;
    } finally {
      unlink();
      wakeUp = undefined;
    }
  }
}
