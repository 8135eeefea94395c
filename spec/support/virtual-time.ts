/**
 * A clock for runs against in-memory fakes: time stands still while anything can still happen
 * (pending promises and callbacks), and jumps to the next sleeper's wake-up when nothing can. So
 * sleeps of concurrent hosts overlap as in real time, a run takes no real time for its waits,
 * and the same run always happens in the same order.
 */
import type { Clock } from '../../lib/events/index.js';

interface Sleeper {
  readonly at: number;
  readonly seq: number;
  readonly wake: () => void;
}

export class VirtualTime {
  #now = 0;
  #seq = 0;
  #sleepers: Sleeper[] = [];
  #scheduled = false;

  readonly clock: Clock = { now: () => this.#now, wallTime: () => new Date(Date.UTC(2026, 0, 1) + this.#now) };

  now(): number {
    return this.#now;
  }

  readonly sleep = (ms: number, signal: AbortSignal): Promise<void> =>
    new Promise((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason as Error);
      const onAbort = (): void => {
        this.#sleepers = this.#sleepers.filter((s) => s !== sleeper);
        reject(signal.reason as Error);
      };
      const sleeper: Sleeper = {
        at: this.#now + Math.max(0, ms),
        seq: this.#seq++,
        wake: () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.#sleepers.push(sleeper);
      this.#schedule();
    });

  /** Runs the next wake-up once every callback and promise of this turn has run. */
  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      if (this.#sleepers.length === 0) return;
      this.#sleepers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.#sleepers.shift() as Sleeper;
      this.#now = Math.max(this.#now, next.at);
      next.wake();
      if (this.#sleepers.length > 0) this.#schedule();
    });
  }
}
