/**
 * Runs a plan as a graph, eagerly: a host starts as soon as everything it waits for is
 * satisfied (`requires`: that host finished; `after`: that host was powered), with no barrier
 * at wave boundaries, and at most `concurrency` hosts at once. Waves only group the output.
 *
 * On a failure, by policy: `stop` starts nothing new and lets running hosts finish; `continue`
 * also starts hosts that do not depend on the failed one; `abort` cancels running hosts too.
 */
import pLimit from 'p-limit';
import type { HostStatus } from '../events/index.js';
import type { HostPlan, Plan } from '../plan/index.js';
import type { ExecContext, FailurePolicy } from './context.js';
import { runHost } from './host-runner.js';

type State = 'waiting' | 'queued' | 'running' | 'done';

const REACHED = new Set<HostStatus>(['up', 'down', 'already-up', 'already-down', 'planned']);

export interface ScheduleOptions {
  readonly concurrency: number;
  readonly policy: FailurePolicy;
  /** Called once when the policy says to cancel running hosts. */
  readonly abortRunning: () => void;
}

export function schedule(ctx: ExecContext, plan: Plan, options: ScheduleOptions): Promise<Map<string, HostStatus>> {
  const limit = pLimit(options.concurrency);
  const state = new Map<string, State>(plan.hosts.map((h) => [h.name, 'waiting']));
  const powered = new Set<string>();
  const results = new Map<string, HostStatus>();
  const waves = new WaveTracker(ctx, plan);
  let failed = false;

  return new Promise((resolve) => {
    const finishIfIdle = (): void => {
      if ([...state.values()].some((s) => s === 'queued' || s === 'running')) return;
      // Nothing is running and nothing can start: whatever still waits never will.
      for (const h of plan.hosts) {
        if (state.get(h.name) !== 'waiting') continue;
        const blocker = ctx.cancel.aborted ? undefined : blockedBy(h, results);
        const status: HostStatus = blocker !== undefined ? 'blocked' : 'not-started';
        const reason = blocker !== undefined ? `waits for ${blocker}, which did not come ${plan.action}` : ctx.cancel.aborted ? 'the run was cancelled' : 'the run stopped after a failure';
        state.set(h.name, 'done');
        results.set(h.name, status);
        ctx.emitter.emit({ type: 'host-finished', host: h.name, wave: h.wave, status, durationMs: 0, reason });
        waves.finished(h.name, status);
      }
      resolve(results);
    };

    const canStart = (h: HostPlan): boolean =>
      h.waitsFor.every((l) => (l.kind === 'after' ? powered.has(l.host) || REACHED.has(results.get(l.host) ?? 'failed') : REACHED.has(results.get(l.host) ?? 'failed')));

    const pump = (): void => {
      const stopNew = ctx.signal.aborted || (failed && options.policy !== 'continue');
      if (!stopNew) {
        for (const h of plan.hosts) {
          if (state.get(h.name) !== 'waiting' || !canStart(h)) continue;
          state.set(h.name, 'queued');
          void limit(() => start(h));
        }
      }
      finishIfIdle();
    };

    const start = async (h: HostPlan): Promise<void> => {
      // Re-check after waiting for a slot: the run may have stopped meanwhile.
      if (ctx.signal.aborted || (failed && options.policy !== 'continue')) {
        state.set(h.name, 'waiting');
        pump();
        return;
      }
      state.set(h.name, 'running');
      waves.started(h);
      ctx.emitter.emit({ type: 'host-started', host: h.name, wave: h.wave });
      const t0 = ctx.clock.now();
      const markPowered = (): void => {
        if (powered.has(h.name)) return;
        powered.add(h.name);
        ctx.emitter.emit({ type: 'host-powered', host: h.name });
        queueMicrotask(pump);
      };
      const result = await runHost(ctx, h, plan.action, markPowered).catch((e: unknown) => {
        // A bug must not leave the run waiting forever: the host fails, loudly.
        const message = `internal error: ${e instanceof Error ? e.message : String(e)}`;
        ctx.fail({ host: h.name, step: `${h.name}/internal`, name: 'orchestrate', target: 'local', reason: message, ...(e instanceof Error && e.stack ? { outputTail: e.stack } : {}) });
        return { status: 'failed' as const, reason: message };
      });
      results.set(h.name, result.status);
      state.set(h.name, 'done');
      ctx.emitter.emit({ type: 'host-finished', host: h.name, wave: h.wave, status: result.status, durationMs: Math.round(ctx.clock.now() - t0), ...(result.reason === undefined ? {} : { reason: result.reason }) });
      waves.finished(h.name, result.status);
      if (result.status === 'failed' && !failed) {
        failed = true;
        if (options.policy === 'abort') options.abortRunning();
      }
      pump();
    };

    ctx.signal.addEventListener('abort', () => queueMicrotask(pump), { once: true });
    pump();
  });
}

/** The first thing `h` waits for that ended without reaching the target state. */
function blockedBy(h: HostPlan, results: ReadonlyMap<string, HostStatus>): string | undefined {
  return h.waitsFor.find((l) => {
    const s = results.get(l.host);
    return s !== undefined && !REACHED.has(s);
  })?.host;
}

/** Emits wave-started when a wave's first host starts and wave-finished when its last host ends. */
class WaveTracker {
  readonly #ctx: ExecContext;
  readonly #remaining: Map<number, Set<string>>;
  readonly #startedAt = new Map<number, number>();
  readonly #statuses = new Map<number, HostStatus[]>();
  readonly #plan: Plan;

  constructor(ctx: ExecContext, plan: Plan) {
    this.#ctx = ctx;
    this.#plan = plan;
    this.#remaining = new Map(plan.waves.map((w, i) => [i + 1, new Set(w)]));
  }

  started(h: HostPlan): void {
    if (this.#startedAt.has(h.wave)) return;
    this.#startedAt.set(h.wave, this.#ctx.clock.now());
    this.#ctx.emitter.emit({ type: 'wave-started', wave: h.wave, hosts: this.#plan.waves[h.wave - 1] ?? [] });
  }

  finished(host: string, status: HostStatus): void {
    const wave = this.#plan.hosts.find((h) => h.name === host)?.wave ?? 0;
    const left = this.#remaining.get(wave);
    if (!left) return;
    left.delete(host);
    this.#statuses.set(wave, [...(this.#statuses.get(wave) ?? []), status]);
    if (left.size > 0) return;
    const all = this.#statuses.get(wave) ?? [];
    const waveStatus = all.every((s) => REACHED.has(s)) ? 'done' : all.includes('failed') ? 'failed' : all.includes('cancelled') ? 'cancelled' : 'incomplete';
    const began = this.#startedAt.get(wave);
    if (began === undefined) return; // no host of this wave ever started: nothing to report
    this.#ctx.emitter.emit({ type: 'wave-finished', wave, status: waveStatus, durationMs: Math.round(this.#ctx.clock.now() - began) });
  }
}
