/**
 * Simulated time: every duration is scaled (`time_scale`), and every pending timer can be
 * cancelled at once when the fleet stops.
 */
export class SimTime {
  readonly scale: number;
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #start = performance.now();

  constructor(scale: number) {
    this.scale = scale;
  }

  /** Real milliseconds since the fleet started. */
  now(): number {
    return performance.now() - this.#start;
  }

  /** Real milliseconds for a simulated duration. */
  real(ms: number): number {
    return Math.max(0, Math.round(ms * this.scale));
  }

  /** Runs `fn` after the simulated duration `ms`; returns a cancel function. */
  after(ms: number, fn: () => void): () => void {
    return this.afterReal(this.real(ms), fn);
  }

  /** Runs `fn` after `ms` real milliseconds (not scaled); returns a cancel function. */
  afterReal(ms: number, fn: () => void): () => void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      fn();
    }, ms);
    this.#timers.add(timer);
    return () => {
      clearTimeout(timer);
      this.#timers.delete(timer);
    };
  }

  /** Resolves after the simulated duration `ms`, or rejects when `signal` aborts. */
  wait(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason as Error);
      const onAbort = (): void => {
        cancel();
        reject(signal?.reason as Error);
      };
      const cancel = this.after(ms, () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      });
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  stop(): void {
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
  }
}
