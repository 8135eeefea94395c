/**
 * Runs a plan as a graph, eagerly: a host starts as soon as everything it waits for is
 * satisfied (`requires`: that host finished; `after`: that host was powered), with no barrier
 * at wave boundaries. Waves only group the output. How much runs at once is bounded per command
 * (work-limit.ts), not per host: a host waiting for its boot or for peers holds nothing.
 *
 * On a failure, by policy: `stop` starts nothing new and lets running hosts finish; `continue`
 * also starts hosts that do not depend on the failed one; `abort` cancels running hosts too.
 */
import type { HostStatus } from '../events/index.js';
import type { HostLink } from '../graph/index.js';
import { directionOf, linkSatisfied, REACHED, type GatePlan, type HostPlan, type Plan, type WaitFacts } from '../plan/index.js';
import type { ExecContext, FailurePolicy } from './context.js';
import { runHost, type HostResult } from './host-runner.js';
import type { Presence } from './members.js';
import { runPairUnit } from './pair-runner.js';

type State = 'waiting' | 'queued' | 'running' | 'done';

export { REACHED };

export interface ScheduleOptions {
  readonly policy: FailurePolicy;
  /** Called once when the policy says to cancel running hosts. */
  readonly abortRunning: () => void;
  /** Filled with the failed hosts a quorum gate let the run go on without (the run is then degraded). */
  readonly tolerated?: Set<string>;
}

export function schedule(ctx: ExecContext, plan: Plan, options: ScheduleOptions): Promise<Map<string, HostStatus>> {
  const state = new Map<string, State>(plan.hosts.map((h) => [h.name, 'waiting']));
  const powered = new Set<string>();
  const results = new Map<string, HostStatus>();
  const waves = new WaveTracker(ctx, plan);
  const units = unitsOf(plan);
  const gates = new Map(plan.gates.map((g) => [g.role, g]));
  const direction = directionOf(plan.action);
  let failed = false;
  const reached = (host: string): boolean => REACHED.has(results.get(host) ?? 'failed');
  const facts: WaitFacts = { reached, powered: (host) => powered.has(host), gates };
  const linkDone = (l: HostLink): boolean => linkSatisfied(l, facts);
  /** A failed host that only gated roles depend on, each still able to reach its quorum, does not stop the run. */
  const tolerated = (h: HostPlan): boolean => {
    const mine = [...gates.values()].filter((g) => g.hosts.includes(h.name));
    if (mine.length === 0) return false;
    const dependants = plan.hosts.flatMap((o) => o.waitsFor.filter((l) => l.host === h.name));
    if (dependants.some((l) => l.direct || !l.roles.every((r) => gates.has(r)))) return false;
    return mine.every((g) => g.hosts.filter((n) => results.get(n) !== 'failed' && results.get(n) !== 'blocked').length >= g.min);
  };

  return new Promise((resolve) => {
    const finishIfIdle = (): void => {
      if ([...state.values()].some((s) => s === 'queued' || s === 'running')) return;
      // Nothing is running and nothing can start: whatever still waits never will.
      for (const h of plan.hosts) {
        if (state.get(h.name) !== 'waiting') continue;
        const blocker = ctx.cancel.aborted ? undefined : h.waitsFor.find((l) => results.has(l.host) && !linkDone(l))?.host;
        const status: HostStatus = blocker !== undefined ? 'blocked' : 'not-started';
        const reason = blocker !== undefined ? `waits for ${blocker}, which did not come ${direction}` : ctx.cancel.aborted ? 'the run was cancelled' : 'the run stopped after a failure';
        state.set(h.name, 'done');
        results.set(h.name, status);
        if (direction === 'up') ctx.members.set(h.name, 'off');
        ctx.emitter.emit({ type: 'host-finished', host: h.name, wave: h.wave, status, durationMs: 0, reason });
        waves.finished(h.name, status);
      }
      reportGates(ctx, gates, results);
      resolve(results);
    };

    const canStart = (h: HostPlan): boolean => h.waitsFor.every(linkDone);

    const pump = (): void => {
      const stopNew = ctx.signal.aborted || (failed && options.policy !== 'continue');
      if (!stopNew) {
        for (const unit of units) {
          if (!unit.every((h) => state.get(h.name) === 'waiting' && canStart(h))) continue;
          for (const h of unit) state.set(h.name, 'queued');
          void start(unit);
        }
      }
      finishIfIdle();
    };

    const begin = (h: HostPlan): (() => void) => {
      state.set(h.name, 'running');
      ctx.members.set(h.name, 'starting');
      waves.started(h);
      ctx.emitter.emit({ type: 'host-started', host: h.name, wave: h.wave });
      return (): void => {
        if (powered.has(h.name)) return;
        powered.add(h.name);
        ctx.emitter.emit({ type: 'host-powered', host: h.name });
        queueMicrotask(pump);
      };
    };

    const finish = (h: HostPlan, result: HostResult, t0: number): void => {
      results.set(h.name, result.status);
      state.set(h.name, 'done');
      ctx.emitter.emit({ type: 'host-finished', host: h.name, wave: h.wave, status: result.status, durationMs: Math.round(ctx.clock.now() - t0), ...(result.reason === undefined ? {} : { reason: result.reason }) });
      waves.finished(h.name, result.status);
      ctx.members.set(h.name, presenceAfter(direction, result.status, powered.has(h.name)));
      if (result.status === 'failed' && !failed && tolerated(h)) {
        options.tolerated?.add(h.name);
        const g = [...gates.values()].filter((x) => x.hosts.includes(h.name)).map((x) => `${x.role} (${x.min} of ${x.hosts.length} needed)`).join(', ');
        ctx.emitter.emit({ type: 'warning', host: h.name, message: `${h.name} failed; its dependants wait only for a quorum of ${g}, so the run goes on` });
      } else if (result.status === 'failed' && !failed) {
        failed = true;
        if (options.policy === 'abort') options.abortRunning();
      }
    };

    const start = async (unit: readonly HostPlan[]): Promise<void> => {
      // Re-check after waiting for a slot: the run may have stopped meanwhile.
      if (ctx.signal.aborted || (failed && options.policy !== 'continue')) {
        for (const h of unit) state.set(h.name, 'waiting');
        pump();
        return;
      }
      const t0 = ctx.clock.now();
      const markers = new Map(unit.map((h) => [h.name, begin(h)]));
      const outcome = await runUnit(ctx, plan, unit, (name) => markers.get(name) ?? (() => undefined)).catch((e: unknown): Map<string, HostResult> => {
        // A bug must not leave the run waiting forever: the unit fails, loudly.
        const message = `internal error: ${e instanceof Error ? e.message : String(e)}`;
        const first = unit[0]?.name ?? '';
        ctx.fail({ host: first, step: `${first}/internal`, name: 'orchestrate', target: 'local', reason: message, ...(e instanceof Error && e.stack ? { outputTail: e.stack } : {}) });
        return new Map(unit.map((h) => [h.name, { status: 'failed', reason: message }]));
      });
      for (const h of unit) finish(h, outcome.get(h.name) ?? { status: 'failed', reason: 'no result' }, t0);
      pump();
    };

    ctx.signal.addEventListener('abort', () => queueMicrotask(pump), { once: true });
    for (const h of plan.hosts) ctx.members.set(h.name, 'pending');
    pump();
  });
}

/** Where a host stands for cluster membership once it finished (members.ts). */
function presenceAfter(action: Plan['action'], status: HostStatus, powered: boolean): Presence {
  if (action === 'down') return status === 'down' || status === 'already-down' ? 'off' : 'failed';
  if (REACHED.has(status)) return 'up';
  return powered ? 'failed' : 'off';
}

/** What is scheduled together: a host, or the members of a redundant pair (both hosts, or the one leaving or returning). */
function unitsOf(plan: Plan): HostPlan[][] {
  const byName = new Map(plan.hosts.map((h) => [h.name, h]));
  const inPair = new Set(plan.pairs.flatMap((p) => p.members));
  const pairs = plan.pairs.map((p) => p.members.map((n) => byName.get(n)).filter((h): h is HostPlan => h !== undefined));
  return [...plan.hosts.filter((h) => !inPair.has(h.name)).map((h) => [h]), ...pairs.filter((u) => u.length > 0)];
}

function runUnit(ctx: ExecContext, plan: Plan, unit: readonly HostPlan[], powered: (host: string) => () => void): Promise<Map<string, HostResult>> {
  const [first] = unit;
  const pair = plan.pairs.find((p) => p.members.includes(first?.name ?? ''));
  if (pair && first) return runPairUnit(ctx, { pair, hosts: unit }, directionOf(plan.action), powered);
  if (!first) return Promise.resolve(new Map());
  return runHost(ctx, first, directionOf(plan.action), powered(first.name)).then((r) => new Map([[first.name, r]]));
}

/** Says, for each gate some of whose hosts did not come up, whether the quorum held and who failed. */
function reportGates(ctx: ExecContext, gates: ReadonlyMap<string, GatePlan>, results: ReadonlyMap<string, HostStatus>): void {
  for (const g of gates.values()) {
    const up = g.hosts.filter((h) => REACHED.has(results.get(h) ?? 'failed'));
    const down = g.hosts.filter((h) => !up.includes(h));
    if (down.length === 0) continue;
    const held = up.length >= g.min ? 'quorum held' : 'quorum NOT reached';
    ctx.emitter.emit({ type: 'warning', message: `${g.role}: ${up.length} of ${g.hosts.length} up (min ${g.min}), ${held}; not up: ${down.map((h) => `${h} (${results.get(h) ?? 'unknown'})`).join(', ')}` });
  }
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
