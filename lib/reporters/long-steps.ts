/**
 * Which running steps have been running long, for the plain output's "still running" lines:
 * steps that cross a threshold at about the same time (15 hosts booting at once) come out as one
 * group, so they make one line, not fifteen. Pure: the caller says what time it is and owns the
 * timer. The live view does not use this; there a long step is the host's state.
 */

/** A timer source: injected so specs run on a fake clock. */
export interface Timers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Real time; timers are unref'd so they never keep the process alive. */
export const REAL_TIMERS: Timers = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** When a step first counts as long, and how often after that. @default 5 s, then every 30 s */
export const LONG_STEP_MS = { first: 5_000, every: 30_000 } as const;

/** Steps crossing a threshold this close together share a line. */
export const GROUP_MS = 500;

interface Tracked {
  readonly host: string;
  /** What the line calls the step (`wait for boot`, `db/start mysql`). */
  readonly label: string;
  /** Shown when the group has one host, or all have the same. */
  readonly command?: string | undefined;
  readonly startedAt: number;
  next: number;
}

/** Hosts whose step `label` is still running, `afterMs` after it started (the shortest of the group). */
export interface LongGroup {
  readonly label: string;
  readonly hosts: readonly string[];
  readonly command?: string;
  readonly afterMs: number;
}

export class LongSteps {
  readonly #steps = new Map<string, Tracked>();
  readonly #first: number;
  readonly #every: number;

  constructor(thresholds: { readonly first: number; readonly every: number } = LONG_STEP_MS) {
    this.#first = thresholds.first;
    this.#every = thresholds.every;
  }

  /** Tracks a step; returns when to look for it (its first threshold plus the grouping window). */
  start(step: string, s: { host: string; label: string; command?: string | undefined; at: number }): number {
    this.#steps.set(step, { host: s.host, label: s.label, command: s.command, startedAt: s.at, next: s.at + this.#first });
    return s.at + this.#first + GROUP_MS;
  }

  finish(step: string): void {
    this.#steps.delete(step);
  }

  clear(): void {
    this.#steps.clear();
  }

  /** How many steps are tracked. */
  get size(): number {
    return this.#steps.size;
  }

  /** When to look next: the first step's threshold plus the grouping window; undefined when nothing runs. */
  wakeAt(): number | undefined {
    let first: number | undefined;
    for (const t of this.#steps.values()) first = first === undefined ? t.next : Math.min(first, t.next);
    return first === undefined ? undefined : first + GROUP_MS;
  }

  /** The steps past their threshold at `now`, grouped by label in start order; each moves on to its next threshold. */
  due(now: number): LongGroup[] {
    const groups = new Map<string, Tracked[]>();
    for (const t of this.#steps.values()) {
      if (t.next > now) continue;
      groups.set(t.label, [...(groups.get(t.label) ?? []), t]);
      while (t.next <= now) t.next += this.#every;
    }
    return [...groups].map(([label, ts]) => {
      const commands = new Set(ts.map((t) => t.command));
      const [command] = commands;
      return {
        label, hosts: ts.map((t) => t.host), afterMs: Math.min(...ts.map((t) => now - t.startedAt)),
        ...(commands.size === 1 && command !== undefined ? { command } : {}),
      };
    });
  }
}
