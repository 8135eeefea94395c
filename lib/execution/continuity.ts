/**
 * Continuity probes: while a failover or failback runs, each probe runs every `interval` and
 * says whether the service still answers. A role probe tries the role's hosts, the staying side
 * first, until one passes; it fails only when none does. The summary gives each probe's
 * availability and its longest gap. Like a client, it keeps to the host that answered last
 * (so a switch-over is seen as the client sees it, not as a race between two hosts). A probe
 * never changes the run's outcome: it measures it.
 */
import type { ProbeSummary } from '../events/index.js';
import type { ContinuityPlan } from '../plan/index.js';
import { hostNamed } from './context.js';
import { describeResult } from './step-runner.js';
import type { ExecContext } from './context.js';
import { linkSignals } from '../util/abort.js';

type ContinuityProbe = ContinuityPlan['probes'][number];
type Place = ContinuityProbe['on'][number];

interface Tally {
  attempts: number;
  passed: number;
  /** Start of the current failing streak. */
  failingSince?: number;
  longestGapMs: number;
  lastOk?: boolean;
  lastFailure?: string;
}

export class ContinuityMonitor {
  readonly #ctx: ExecContext;
  readonly #plan: ContinuityPlan;
  readonly #staying: (host: string) => boolean;
  readonly #stop = new AbortController();
  readonly #tallies = new Map<string, Tally>();
  /** The host each probe passed on last: tried first next time. */
  readonly #last = new Map<string, string>();
  #loops: Promise<void>[] = [];
  #unlink: () => void = () => undefined;

  /** `staying`: hosts expected to keep running (tried first). */
  constructor(ctx: ExecContext, plan: ContinuityPlan, staying: (host: string) => boolean) {
    this.#ctx = ctx;
    this.#plan = plan;
    this.#staying = staying;
  }

  start(): void {
    const { signal, unlink } = linkSignals(this.#ctx.signal, this.#stop.signal);
    this.#unlink = unlink;
    this.#loops = this.#plan.probes.map((p) => this.#loop(p, signal));
  }

  /** Stops probing (a running attempt is cancelled and not counted) and sums up. */
  async stop(): Promise<ProbeSummary[]> {
    this.#stop.abort(new Error('continuity probes stopped'));
    await Promise.all(this.#loops);
    this.#unlink();
    const now = this.#ctx.clock.now();
    return this.#plan.probes.map((p) => {
      const t = this.#tallies.get(p.name) ?? { attempts: 0, passed: 0, longestGapMs: 0 };
      const open = t.failingSince === undefined ? 0 : now - t.failingSince;
      return {
        name: p.name, attempts: t.attempts, passed: t.passed,
        availability: t.attempts === 0 ? 1 : t.passed / t.attempts,
        longestGapMs: Math.round(Math.max(t.longestGapMs, open)),
        ...(t.lastFailure === undefined ? {} : { lastFailure: t.lastFailure }),
      };
    });
  }

  async #loop(probe: ContinuityProbe, signal: AbortSignal): Promise<void> {
    const interval = this.#plan.intervalMs;
    while (!signal.aborted) {
      const started = this.#ctx.clock.now();
      const result = await this.#attempt(probe, signal);
      if (signal.aborted) return;
      this.#record(probe, started, result);
      const left = interval - (this.#ctx.clock.now() - started);
      try {
        await this.#ctx.sleep(Math.max(1, left), signal);
      } catch {
        return;
      }
    }
  }

  #record(probe: ContinuityProbe, started: number, r: { ok: boolean; host?: string; observed: string }): void {
    const t = this.#tallies.get(probe.name) ?? { attempts: 0, passed: 0, longestGapMs: 0 };
    this.#tallies.set(probe.name, t);
    t.attempts++;
    if (r.ok) {
      t.passed++;
      if (t.failingSince !== undefined) t.longestGapMs = Math.max(t.longestGapMs, this.#ctx.clock.now() - t.failingSince);
      delete t.failingSince;
    } else {
      t.failingSince ??= started;
      t.lastFailure = r.observed;
    }
    if (t.lastOk !== r.ok) {
      this.#ctx.emitter.emit({ type: 'probe', probe: probe.name, ok: r.ok, ...(r.host === undefined ? {} : { host: r.host }), observed: r.observed });
    }
    t.lastOk = r.ok;
  }

  /** Where the probe runs, in the order tried: where it passed last, then the staying side. */
  #where(probe: ContinuityProbe): readonly Place[] {
    const last = this.#last.get(probe.name);
    const rank = (p: Place): number => (p.host === undefined || p.host === last ? 0 : this.#staying(p.host) ? 1 : 2);
    return [...probe.on].sort((a, b) => rank(a) - rank(b));
  }

  async #attempt(probe: ContinuityProbe, signal: AbortSignal): Promise<{ ok: boolean; host?: string; observed: string }> {
    const failures: string[] = [];
    for (const where of this.#where(probe)) {
      const endpoint = where.host === undefined ? 'local' : hostNamed(this.#ctx.plan, where.host)?.ssh;
      if (endpoint === undefined) continue;
      const r = await this.#ctx.transport.exec(endpoint, where.command, { signal, timeoutMs: probe.timeoutMs });
      const name = where.host;
      if (r.outcome === 'exited' && r.exitCode === 0) {
        if (name !== undefined) this.#last.set(probe.name, name);
        return { ok: true, ...(name === undefined ? {} : { host: name }), observed: r.stdout.trim().split('\n')[0]?.slice(0, 120) || 'exit 0' };
      }
      if (signal.aborted) break;
      const why = r.outcome === 'exited' ? `exit ${r.exitCode ?? '?'}${r.stderr.trim() ? `: ${r.stderr.trim().split('\n')[0] ?? ''}` : ''}` : describeResult(r, probe.timeoutMs);
      failures.push(name === undefined ? why : `${name}: ${why}`);
    }
    return { ok: false, observed: failures.join('; ') || 'no host to run it on' };
  }
}
